"""The linkage tasks: which records are tied to which people, on what evidence.

Each task gives two SQL queries with the same columns (records, and the people or relatives
they may be), the comparisons that score a pair, and the blocking rules that keep the
number of pairs compared in proportion to the data.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from probity.resolve import behaviour
from probity.resolve import comparisons as cmp
from probity.resolve.standardise import (
    display_name_words,
    district,
    first_name,
    forename_forms,
    full_forenames,
    norm,
    plausible_birth_date,
    postcode,
    recorded_name,
    recorded_rank,
    surname_comes_first,
    written_forenames,
    written_surname,
)
from probity.warehouse.engine import Engine

# Every task's two sides carry these columns (NULL where a side has no such value).
COLUMNS = (
    "unique_id",
    "surname",
    "forename",
    "forename_forms",
    "initial",
    "forenames_full",
    "dob",
    "birth_year",
    "birth_month",
    "postcode",
    "district",
    "warrant",
    "rank",
    "unit",
    "command",
    "stem",
    "login",
    "created",
    "start",
    "leave",
    "person_key",
    "relationship",
    "description",
)


def select(**exprs: str) -> str:
    """The common column list, filling what a side does not have with NULL."""
    typed_nulls = {
        "dob": "DATE",
        "created": "DATE",
        "start": "DATE",
        "leave": "DATE",
        "birth_year": "BIGINT",
        "birth_month": "BIGINT",
    }
    parts = []
    for col in COLUMNS:
        if col in exprs:
            parts.append(f"{exprs[col]} AS {col}")
        else:
            parts.append(f"CAST(NULL AS {typed_nulls.get(col, 'VARCHAR')}) AS {col}")
    return "SELECT " + ",\n       ".join(parts)


def names(surname_expr: str, forenames_expr: str) -> dict[str, str]:
    first = first_name(forenames_expr)
    # An initial alone ('K Oduya') is no forename to compare with 'Kemi': only the initial is.
    written_out = f"(CASE WHEN length({first}) > 1 THEN {first} END)"
    return {
        "surname": norm(surname_expr),
        "forename": written_out,
        "forename_forms": forename_forms(written_out),
        "initial": f"substr({first}, 1, 1)",
        "forenames_full": full_forenames(forenames_expr),
    }


def person_side(alias: str = "p") -> dict[str, str]:
    """A member of the workforce as HR holds them."""
    return {
        **names(f"{alias}.surname", f"{alias}.forenames"),
        "unique_id": f"{alias}.person_id",
        "person_key": f"{alias}.person_id",
        "dob": plausible_birth_date(f"{alias}.date_of_birth"),
        "birth_year": "year(" + plausible_birth_date(f"{alias}.date_of_birth") + ")",
        "birth_month": "month(" + plausible_birth_date(f"{alias}.date_of_birth") + ")",
        "postcode": postcode(f"{alias}.home_postcode"),
        "district": district(f"{alias}.home_postcode"),
        "description": f"{alias}.surname || ', ' || coalesce({alias}.forenames, '') || ' · ' || coalesce({alias}.rank, '') || ' ' || coalesce({alias}.role, '') || ' · ' || coalesce({alias}.unit_code, '') || ' · born ' || coalesce(CAST({alias}.date_of_birth AS VARCHAR), '?')",
    }


def unlinked(task: str, id_expr: str) -> str:
    return f"{id_expr} NOT IN (SELECT record_id FROM links WHERE task = '{task}')"


@dataclass(frozen=True)
class LinkageTask:
    name: str
    records_sql: str
    people_sql: str
    comparisons: tuple[dict[str, Any], ...]
    blocking: tuple[str, ...]
    # Blocking rules EM trains on; each leaves out what it blocks on, so between them every
    # comparison is trained.
    training: tuple[str, ...]
    # Rules whose matches are near-certain, for estimating how often two records match.
    deterministic: tuple[str, ...]
    inputs: tuple[str, ...]
    # Every source table the task's rules and model read (a test holds it complete), so a
    # run knows when the task's links from the last run still stand.
    reads: tuple[str, ...]
    one_person_per_record: bool = True
    # True where every record names someone in the workforce (a complaint's subject, a login),
    # so two random records match with probability 1 / people. Otherwise it is estimated
    # from the deterministic rules.
    every_record_is_someone: bool = False
    # Comparisons some of whose weights are measured on this run's data (replacing
    # `comparisons` when set), for habits that differ between forces.
    # (Out of the repr, which signs the task for reuse: a function's repr names its address;
    # its code is signed with the package's.)
    measured: Callable[[Engine], tuple[dict[str, Any], ...]] | None = field(
        default=None, repr=False
    )
    # Further evidence on each pair Splink scored, added to its match weight in `_lk_pairs`
    # before links are decided; returns what it weighed, for the run report.
    weigh_pairs: Callable[[Engine], Mapping[str, Any]] | None = field(default=None, repr=False)
    # The task's own match threshold where it differs from the policy's general one (the
    # policy file can still set either).
    match_threshold: float | None = None
    # Tables among `reads` read only on certain days: table -> SQL for the days a record of it
    # is read on (any of them), and `read_on`, a query for those days. Records added since
    # the last run on none of them leave the task's links as they were.
    read_by_day: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    read_on: str | None = None
    retain: tuple[str, ...] = field(default=("person_key", "relationship", "description"))
    # Pairs (record_id, same_id) of the task's records that are one identity, so that a
    # clerical judgement on one stands for the others.
    same_record_sql: str | None = None

    def on_a_read_day(self, table: str) -> str:
        """SQL: a record of `table` (one of `read_by_day`) falls on a day the task reads it on;
        false when its day is unknown, since no day's records are then joined to it."""
        assert self.read_on is not None, f"{self.name} declares no days it reads tables on"
        return " OR ".join(
            f"coalesce({day} IN ({self.read_on}), false)" for day in self.read_by_day[table]
        )


# The unit a complainant named, as the units table names it where they gave its code ('BW-CUS'
# for 'Brackwater Custody suite'), so that it compares with the person's unit either way.
RECORDED_UNIT_JOIN = (
    "LEFT JOIN units recorded_unit "
    "ON upper(recorded_unit.unit_code) = upper(trim(c.subject_unit_as_recorded))"
)
RECORDED_UNIT = f"coalesce({norm('recorded_unit.name')}, {norm('c.subject_unit_as_recorded')})"


def complaint_subject() -> LinkageTask:
    name = recorded_name("c.subject_name_as_recorded")
    records = (
        select(
            unique_id="c.complaint_id",
            surname=name["surname"],
            forename=name["forename"],
            forename_forms=forename_forms(name["forename"]),
            initial=name["initial"],
            warrant="c.subject_warrant_number",
            rank=recorded_rank("c.subject_name_as_recorded"),
            unit=RECORDED_UNIT,
            description="coalesce(c.subject_name_as_recorded, '?') || ' · ' || coalesce(c.subject_unit_as_recorded, '?') || ' · warrant ' || coalesce(c.subject_warrant_number, '?') || ' · incident ' || coalesce(CAST(c.incident_date AS VARCHAR), '?')",
        )
        + f"""
FROM complaints c {RECORDED_UNIT_JOIN}
WHERE {unlinked("complaint_subject", "c.complaint_id")}"""
    )
    people = (
        select(
            **person_side(),
            warrant="p.warrant_number",
            rank="upper(p.rank)",
            unit=norm("u.name"),
            command=norm("u.command"),
        )
        + "\nFROM people p LEFT JOIN units u ON u.unit_code = p.unit_code"
    )
    return LinkageTask(
        name="complaint_subject",
        records_sql=records,
        people_sql=people,
        comparisons=(
            cmp.surname(),
            cmp.initial(),
            cmp.forename(),
            cmp.exact("rank", 0.85, 0.3),
            cmp.exact("warrant", 0.9, 0.0001),
            cmp.unit_as_recorded(),
        ),
        blocking=(
            "l.surname = r.surname",
            "l.warrant = r.warrant",
            "l.initial = r.initial AND l.unit = r.command",
            # Surnames misheard or mistyped still share the initial and the team.
            "l.initial = r.initial AND l.unit = r.unit",
            "l.forename = r.forename AND l.unit = r.command",
            # A misspelt surname with nothing else recorded: the same first letter in the team
            # or command the complainant named.
            "substr(l.surname, 1, 1) = substr(r.surname, 1, 1) AND l.unit = r.unit",
            "substr(l.surname, 1, 1) = substr(r.surname, 1, 1) AND l.unit = r.command",
        ),
        training=("l.surname = r.surname", "l.warrant = r.warrant"),
        deterministic=("l.warrant = r.warrant AND l.surname = r.surname",),
        inputs=("complaints",),
        reads=(
            "complaints",
            "people",
            "postings",
            "units",
            "roster",
            "incident_attendance",
            "stop_search",
            "use_of_force",
        ),
        # The rule in the recorded unit reads the namesakes' shifts and public contact on the
        # complaint's incident date only (a night shift on its duty date and the next).
        read_by_day={
            "roster": ("duty_date", "CAST(shift_end AS DATE)"),
            "incident_attendance": ("CAST(arrived_time AS DATE)",),
            "stop_search": ("CAST(event_time AS DATE)",),
            "use_of_force": ("CAST(event_time AS DATE)",),
        },
        read_on="SELECT incident_date FROM complaints",
        every_record_is_someone=True,
        # A complaint names someone; what stands against a link is usually a misheard
        # warrant number, so a lower bar keeps recall without admitting namesakes (the
        # ambiguity margin still holds two plausible officers back for review).
        match_threshold=0.8,
    )


# HR's surnames, to read the order of a display name that does not say it (`surname_comes_first`).
_HR_SURNAMES = f"(SELECT DISTINCT {norm('surname')} AS surname FROM people)"


def _account_comparisons(fit_share: float = 0.95) -> tuple[dict[str, Any], ...]:
    return (
        cmp.surname(),
        cmp.initial(),
        cmp.forename(),
        cmp.middle_names(),
        cmp.login_convention(fit_share),
        cmp.served_when_created(),
    )


# Of the logins that carry their holder's person id, the share built from the holder's surname
# and initial: how far this force's logins follow that convention at all.
LOGIN_FIT_SHARE_SQL = f"""
    SELECT avg(CASE WHEN contains(login, stem) THEN 1.0 ELSE 0.0 END)
    FROM (SELECT regexp_replace(upper(a.account_id), '[^A-Z]', '', 'g') AS login,
                 upper(substr({norm("p.surname")}, 1, 5) || substr({first_name("p.forenames")}, 1, 1)) AS stem
          FROM system_accounts a JOIN links l ON l.task = 'system_account' AND l.record_id = a.account_id
          JOIN people p ON p.person_id = l.person_key
          WHERE l.method = 'account_person_id')
    WHERE stem IS NOT NULL"""


def _login_fit_share(engine: Engine) -> float:
    share = engine.fetch(LOGIN_FIT_SHARE_SQL)[0][0]
    return 0.95 if share is None else float(share)


def system_account() -> LinkageTask:
    display = "trim(a.display_name)"
    has_comma = f"contains({display}, ',')"
    words = display_name_words(display)
    first_word = f"{norm(words + '[1]')}"
    last_word = f"{norm(words + '[-1]')}"
    surname_first = surname_comes_first(
        display, "hr_first.surname IS NOT NULL", "hr_last.surname IS NOT NULL"
    )
    surname_part = f"""CASE WHEN {has_comma} THEN split_part({display}, ',', 1)
        WHEN {surname_first} THEN {words}[1] ELSE {words}[-1] END"""
    fore_part = f"""CASE WHEN {has_comma} THEN split_part({display}, ',', 2)
        WHEN {surname_first} THEN array_to_string({words}[2:], ' ')
        ELSE array_to_string({words}[1:-1], ' ') END"""
    records = (
        select(
            **names(surname_part, fore_part),
            unique_id="a.account_id",
            stem="regexp_replace(upper(a.account_id), '[^A-Z]', '', 'g')",
            login="upper(a.account_id)",
            created="a.created_date",
            description="a.account_id || ' · ' || coalesce(a.system, '?') || ' · \"' || coalesce(a.display_name, '?') || '\" · created ' || coalesce(CAST(a.created_date AS VARCHAR), '?')",
        )
        + f"""
FROM system_accounts a
LEFT JOIN {_HR_SURNAMES} hr_first ON hr_first.surname = {first_word}
LEFT JOIN {_HR_SURNAMES} hr_last ON hr_last.surname = {last_word}
WHERE {unlinked("system_account", "a.account_id")}"""
    )
    people = (
        select(
            **person_side(),
            stem=f"upper(substr({norm('p.surname')}, 1, 5) || substr({first_name('p.forenames')}, 1, 1))",
            login="own.login",
            start="p.start_date",
            leave="p.leave_date",
        )
        + """
FROM people p LEFT JOIN (
    SELECT person_key, upper(min(record_id)) AS login FROM links
    WHERE task = 'system_account' AND method LIKE 'account_%' GROUP BY person_key
) own ON own.person_key = p.person_id"""
    )
    return LinkageTask(
        name="system_account",
        records_sql=records,
        people_sql=people,
        comparisons=_account_comparisons(),
        measured=lambda engine: _account_comparisons(_login_fit_share(engine)),
        blocking=(
            "l.surname = r.surname",
            "l.initial = r.initial AND substr(l.surname, 1, 3) = substr(r.surname, 1, 3)",
        ),
        training=(
            "l.surname = r.surname",
            "l.initial = r.initial AND substr(l.surname, 1, 3) = substr(r.surname, 1, 3)",
        ),
        deterministic=("l.surname = r.surname AND l.forename = r.forename",),
        inputs=("system_accounts",),
        reads=("system_accounts", "people", *behaviour.READS),
        every_record_is_someone=True,
        weigh_pairs=_weigh_accounts_by_behaviour,
    )


def _weigh_accounts_by_behaviour(engine: Engine) -> dict[str, Any]:
    return {name: fit.report() for name, fit in behaviour.weigh_by_behaviour(engine).items()}


# A register row has no id of its own: company number and row number make one.
OFFICER_ID = "c.company_number || '/' || c._source_row"


# One officer in the register under several companies: the same name, month and year of
# birth and postcode.
_OFFICER_IDENTITY = (
    f"SELECT {OFFICER_ID} AS id, {norm('c.officer_name')} AS name, c.birth_year, c.birth_month, "
    f"{postcode('c.postcode')} AS postcode FROM company_officers c"
)
SAME_REGISTER_OFFICER = f"""SELECT a.id AS record_id, b.id AS same_id
    FROM ({_OFFICER_IDENTITY}) a JOIN ({_OFFICER_IDENTITY}) b
      ON a.name = b.name AND a.birth_year = b.birth_year AND a.birth_month = b.birth_month
     AND a.postcode = b.postcode AND a.id <> b.id"""


def company_officer() -> LinkageTask:
    records = (
        select(
            **names(written_surname("c.officer_name"), written_forenames("c.officer_name")),
            unique_id=OFFICER_ID,
            birth_year="c.birth_year",
            birth_month="c.birth_month",
            postcode=postcode("c.postcode"),
            district=district("c.postcode"),
            description="coalesce(c.officer_name, '?') || ' · ' || coalesce(c.officer_role, '?') || ' of ' || coalesce(c.company_name, '?') || ' (' || c.company_number || ') · born ' || coalesce(CAST(c.birth_month AS VARCHAR), '?') || '/' || coalesce(CAST(c.birth_year AS VARCHAR), '?') || ' · ' || coalesce(c.postcode, '?')",
        )
        + f"\nFROM company_officers c WHERE {unlinked('company_officer', OFFICER_ID)}"
    )
    people = select(**person_side()) + "\nFROM people p"
    return LinkageTask(
        name="company_officer",
        records_sql=records,
        people_sql=people,
        comparisons=(
            cmp.surname(),
            cmp.initial(),
            cmp.forename(),
            cmp.middle_names(),
            cmp.birth_month_year(),
            cmp.address(),
        ),
        blocking=(
            "l.surname = r.surname AND l.birth_year = r.birth_year",
            "l.forename = r.forename AND l.birth_year = r.birth_year AND l.birth_month = r.birth_month",
            "l.postcode = r.postcode",
        ),
        training=(
            "l.surname = r.surname AND l.birth_year = r.birth_year",
            "l.postcode = r.postcode",
        ),
        deterministic=(
            "l.surname = r.surname AND l.forename = r.forename AND l.birth_year = r.birth_year AND l.birth_month = r.birth_month AND l.postcode = r.postcode",
        ),
        inputs=("company_officers",),
        reads=("company_officers", "people", "declarations"),
        same_record_sql=SAME_REGISTER_OFFICER,
    )


def _subject_side() -> dict[str, str]:
    return {
        **names("s.surname", "s.forenames"),
        "unique_id": "s.subject_id",
        "dob": plausible_birth_date("s.date_of_birth"),
        "birth_year": f"year({plausible_birth_date('s.date_of_birth')})",
        "birth_month": f"month({plausible_birth_date('s.date_of_birth')})",
        "postcode": postcode("s.postcode"),
        "district": district("s.postcode"),
        "description": "s.subject_id || ' · ' || coalesce(s.surname, '?') || ', ' || coalesce(s.forenames, '?') || ' · born ' || coalesce(CAST(s.date_of_birth AS VARCHAR), '?') || ' · ' || coalesce(s.postcode, '?') || coalesce(' · ' || s.flags, '')",
    }


PERSON_COMPARISONS = (
    cmp.surname(),
    cmp.initial(),
    cmp.forename(),
    cmp.date_of_birth(),
    cmp.address(),
)
PERSON_BLOCKING = (
    "l.surname = r.surname AND l.dob = r.dob",
    "l.dob = r.dob AND l.postcode = r.postcode",
    "l.surname = r.surname AND l.postcode = r.postcode",
)
PERSON_TRAINING = (
    "l.surname = r.surname AND l.dob = r.dob",
    "l.dob = r.dob AND l.postcode = r.postcode",
)


def record_subject_relative() -> LinkageTask:
    """Record subjects who are someone's next of kin (the information-misuse detectors use these)."""
    records = (
        select(**_subject_side())
        + f"\nFROM record_subjects s WHERE {unlinked('record_subject_relative', 's.subject_id')}"
    )
    people = (
        select(
            **names("n.surname", "n.forenames"),
            unique_id="'nok' || n._source_row",
            person_key="r.person_key",
            relationship="n.relationship",
            dob=plausible_birth_date("n.date_of_birth"),
            birth_year=f"year({plausible_birth_date('n.date_of_birth')})",
            birth_month=f"month({plausible_birth_date('n.date_of_birth')})",
            postcode=postcode("n.postcode"),
            district=district("n.postcode"),
            description="'next of kin (' || coalesce(n.relationship, '?') || ') of ' || r.person_key || ': ' || coalesce(n.surname, '?') || ', ' || coalesce(n.forenames, '?') || ' · born ' || coalesce(CAST(n.date_of_birth AS VARCHAR), '?') || ' · ' || coalesce(n.postcode, '?')",
        )
        + "\nFROM next_of_kin n JOIN person_refs r ON r.ref = n.person_id"
    )
    return LinkageTask(
        name="record_subject_relative",
        records_sql=records,
        people_sql=people,
        comparisons=PERSON_COMPARISONS,
        blocking=PERSON_BLOCKING,
        training=PERSON_TRAINING,
        deterministic=("l.surname = r.surname AND l.dob = r.dob AND l.forename = r.forename",),
        inputs=("record_subjects", "next_of_kin"),
        reads=("record_subjects", "next_of_kin", "people"),
        # One police record can be the sister of two officers.
        one_person_per_record=False,
    )


def record_subject_person() -> LinkageTask:
    """Record subjects who are themselves members of the workforce (colleagues on record)."""
    records = (
        select(**_subject_side())
        + f"\nFROM record_subjects s WHERE {unlinked('record_subject_person', 's.subject_id')}"
    )
    people = select(**person_side(), relationship="'self'") + "\nFROM people p"
    return LinkageTask(
        name="record_subject_person",
        records_sql=records,
        people_sql=people,
        comparisons=PERSON_COMPARISONS,
        blocking=PERSON_BLOCKING,
        training=PERSON_TRAINING,
        deterministic=("l.surname = r.surname AND l.dob = r.dob AND l.forename = r.forename",),
        inputs=("record_subjects",),
        reads=("record_subjects", "people"),
    )


def all_tasks() -> tuple[LinkageTask, ...]:
    return (
        system_account(),
        complaint_subject(),
        company_officer(),
        record_subject_relative(),
        record_subject_person(),
    )


def task_defaults() -> dict[str, float | None]:
    """Each task's own match threshold, where it sets one."""
    return {t.name: t.match_threshold for t in all_tasks()}
