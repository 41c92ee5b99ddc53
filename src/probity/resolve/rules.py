"""Deterministic identity rules, one function per linkage task.

`person_refs` maps every value a person column may hold (HR person id, or a warrant number
given in its place) onto the internal `person_key`. The other tasks write to `links`.
"""

from __future__ import annotations

from collections.abc import Callable

from probity.resolve.standardise import (
    display_name_words,
    first_name,
    full_forenames,
    norm,
    postcode,
    recorded_name,
    recorded_rank,
    same_forename,
)
from probity.resolve.tasks import OFFICER_ID, RECORDED_UNIT, RECORDED_UNIT_JOIN
from probity.warehouse.engine import Engine

LINKS_DDL = """CREATE OR REPLACE TABLE links (
    task VARCHAR, record_id VARCHAR, person_key VARCHAR, probability DOUBLE, method VARCHAR,
    relationship VARCHAR)"""


def person_refs(engine: Engine) -> None:
    """HR ids and warrant numbers, each to its person. A person's key is their HR id."""
    engine.execute(
        """CREATE OR REPLACE TABLE person_refs AS
           SELECT person_id AS ref, person_id AS person_key, 'person_id' AS method FROM people
           UNION ALL
           SELECT warrant_number, person_id, 'warrant_number' FROM people WHERE warrant_number IS NOT NULL"""
    )


def system_accounts(engine: Engine) -> None:
    """Accounts that carry a person id (or a warrant number in its place)."""
    engine.execute(
        """INSERT INTO links SELECT 'system_account', a.account_id, r.person_key, 1.0,
                  'account_' || r.method, NULL
           FROM system_accounts a JOIN person_refs r ON r.ref = a.person_id"""
    )


def legacy_logins(engine: Engine) -> None:
    """An account without a person id whose login wraps exactly one person's current login
    ('LSMYTHJ04' around 'SMYTHJ04'), with the display name agreeing: the same surname, and the
    same first name (or a nickname of it) or initial where it gives one. A login that is
    another's with a number after it ('acook3' beside 'acook') is how a system tells namesakes
    apart, not a wrap, and is left to the model."""
    name = recorded_name("w.display_name")
    # In two steps: with the first-name test in one query, DuckDB planned the wrap join after
    # it and took ten seconds at Met scale instead of one.
    engine.execute(
        f"""CREATE OR REPLACE TEMP TABLE _wraps AS
            SELECT a.account_id, a.display_name, l.person_key, p.forenames
            FROM system_accounts a
            JOIN links l ON l.task = 'system_account' AND l.method LIKE 'account_%'
                        AND contains(upper(a.account_id), upper(l.record_id))
                        AND upper(a.account_id) <> upper(l.record_id)
            JOIN people p ON p.person_id = l.person_key
            WHERE a.person_id IS NULL
              AND NOT (starts_with(upper(a.account_id), upper(l.record_id))
                       AND regexp_full_match(substr(a.account_id, length(l.record_id) + 1), '[0-9]+'))
              AND {recorded_name("a.display_name")["surname"]} = {norm("p.surname")}"""
    )
    engine.execute(
        f"""INSERT INTO links
            SELECT 'system_account', w.account_id, w.person_key, 1.0, 'login_wraps_current_login', NULL
            FROM _wraps w
            WHERE ({name["initial"]} IS NULL OR {name["initial"]} = substr({first_name("w.forenames")}, 1, 1))
              AND ({name["forename"]} IS NULL
                   OR {same_forename(name["forename"], first_name("w.forenames"))})
            QUALIFY count(*) OVER (PARTITION BY w.account_id) = 1"""
    )
    engine.execute("DROP TABLE _wraps")


def complaint_subjects(engine: Engine) -> None:
    """A recorded warrant number is trusted only when the recorded surname agrees with it."""
    engine.execute(
        f"""INSERT INTO links SELECT 'complaint_subject', c.complaint_id, p.person_id, 1.0,
                  'warrant_number_and_surname', NULL
           FROM complaints c JOIN people p ON p.warrant_number = c.subject_warrant_number
           WHERE contains(' ' || {norm("c.subject_name_as_recorded")} || ' ', {norm("p.surname")})
             AND length({norm("p.surname")}) > 0"""
    )


def complaint_subjects_by_close_warrant(engine: Engine) -> None:
    """A recorded warrant number one keystroke from a person's (a digit mistyped, two digits
    swapped, one dropped or doubled: '275593' for 275539), with the recorded surname within
    one keystroke of theirs too, ties the complaint to them when exactly one person fits both.
    A stranger fitting both by chance is rare (about 60 numbers lie one keystroke from a
    six-digit number, and they would need the surname as well); a recorded number is better
    evidence than being one of several namesakes in the recorded unit, the rule that follows.

    On five characters or more, one keystroke leaves the first two or the last two as they
    were ('1234' and '1324' share neither), so only numbers of five or more sharing either
    are compared."""
    surname = recorded_name("c.subject_name_as_recorded")["surname"]
    candidates = " UNION ".join(
        f"""SELECT c.complaint_id, p.person_id FROM recorded c JOIN staff p
              ON {end}(p.warrant, 2) = {end}(c.warrant, 2)
            WHERE damerau_levenshtein(p.warrant, c.warrant) <= 1
              AND damerau_levenshtein(p.surname, c.surname) <= 1"""
        for end in ("left", "right")
    )
    engine.execute(
        f"""INSERT INTO links
            WITH recorded AS (  -- names and numbers cleaned once, not once per pair
                SELECT c.complaint_id, trim(c.subject_warrant_number) AS warrant, {surname} AS surname
                FROM complaints c
                WHERE length(trim(c.subject_warrant_number)) >= 5
                  AND c.complaint_id NOT IN (SELECT record_id FROM links WHERE task = 'complaint_subject')
            ),
            staff AS (
                SELECT person_id, warrant_number AS warrant, {norm("surname")} AS surname
                FROM people WHERE length(warrant_number) >= 4
            )
            SELECT 'complaint_subject', complaint_id, any_value(person_id), 1.0,
                   'close_warrant_number_and_surname', NULL
            FROM ({candidates}) GROUP BY complaint_id HAVING count(DISTINCT person_id) = 1"""
    )


# Common table expressions `served` and `members`: who served where, by their postings (or
# their current unit where no postings were exported), under both the unit's name and its
# command's.
UNIT_MEMBERS = f"""
            served AS (
                SELECT person_id, unit_code, start_date, end_date FROM postings
                UNION ALL
                SELECT p.person_id, p.unit_code, p.start_date, p.leave_date FROM people p
                WHERE p.person_id NOT IN (SELECT person_id FROM postings WHERE person_id IS NOT NULL)
            ),
            members AS (
                SELECT p.person_id, s.start_date, s.end_date, {norm("p.surname")} AS surname,
                       lower(substr(trim(p.forenames), 1, 1)) AS initial,
                       {first_name("p.forenames")} AS forename, upper(p.rank) AS rank, place
                FROM served s JOIN person_refs r ON r.ref = s.person_id
                JOIN people p ON p.person_id = r.person_key
                JOIN units u ON u.unit_code = s.unit_code,
                     LATERAL (SELECT unnest([{norm("u.name")}, {norm("u.command")}]) AS place)
                WHERE place IS NOT NULL
            )"""


def complaint_subjects_in_recorded_unit(engine: Engine) -> None:
    """A complaint with no usable warrant number, tied by the people serving in the recorded
    unit or command on the incident date (by their postings, or their current unit if no
    postings were exported). Among them, those with the recorded surname (and initial, if one
    was given), or failing any, a surname one or two keystrokes away (a misspelling), are the
    namesakes. If there is one, that is the subject. If there are several, each is scored on
    what else the record and the force's own data say: the recorded rank, the recorded first
    name (or a nickname of it), a rostered shift that day, and public contact on record that
    day (an incident attended, a stop and search, a use of force), since complaints arise from
    contact. The one namesake who agrees on more of these than every other is the subject;
    a tie is left to the probabilistic model and clerical review."""
    name = recorded_name("c.subject_name_as_recorded")
    engine.execute(
        f"""INSERT INTO links
            WITH recorded AS (
                SELECT c.complaint_id, c.incident_date, {name["surname"]} AS surname,
                       {name["initial"]} AS initial,
                       {name["forename"]} AS forename,
                       {recorded_rank("c.subject_name_as_recorded")} AS rank,
                       {RECORDED_UNIT} AS place
                FROM complaints c {RECORDED_UNIT_JOIN}
                WHERE c.incident_date IS NOT NULL
                  AND c.complaint_id NOT IN (SELECT record_id FROM links WHERE task = 'complaint_subject')
            ),
            {UNIT_MEMBERS},
            fits AS (
                SELECT DISTINCT r.complaint_id, r.incident_date, m.person_id,
                       m.surname = r.surname AS exact,
                       coalesce(m.rank = r.rank, false) AS same_rank,
                       coalesce(m.forename = r.forename
                                OR {same_forename("m.forename", "r.forename")},
                                false) AS same_forename
                FROM recorded r JOIN members m
                  -- the same first letter, or the first two swapped ('Hrat' for 'Hart')
                  ON m.place = r.place
                 AND substr(m.surname, 1, 1) IN (substr(r.surname, 1, 1), substr(r.surname, 2, 1))
                 AND r.incident_date BETWEEN coalesce(m.start_date, DATE '1900-01-01')
                                         AND coalesce(m.end_date, DATE '9999-12-31')
                WHERE (r.initial IS NULL OR r.initial = m.initial)
                  AND damerau_levenshtein(m.surname, r.surname) <= CASE WHEN length(r.surname) >= 7 THEN 2 ELSE 1 END
            ),
            best AS (  -- the exact surname if anyone has it, else the near misses
                SELECT * FROM fits
                QUALIFY exact OR NOT bool_or(exact) OVER (PARTITION BY complaint_id)
            ),
            asked AS (  -- the namesakes' days, on each reference the roster may give them by
                SELECT DISTINCT r.ref, r.person_key, b.incident_date AS day
                FROM best b JOIN person_refs r ON r.person_key = b.person_id
            ),
            worked AS (  -- a shift covers its duty date and the date it ends on (nights); the
                -- roster is matched on its own columns, not mapped to people row by row
                SELECT a.person_key, a.day FROM roster d
                JOIN asked a ON a.ref = d.person_id AND a.day = d.duty_date
                WHERE d.shift_start IS NOT NULL
                UNION
                SELECT a.person_key, a.day FROM roster d
                JOIN asked a ON a.ref = d.person_id AND a.day = CAST(d.shift_end AS DATE)
                WHERE d.shift_start IS NOT NULL
            ),
            contact AS (
                SELECT DISTINCT r.person_key, e.day FROM (
                    SELECT person_id, CAST(arrived_time AS DATE) AS day FROM incident_attendance
                    UNION ALL SELECT person_id, CAST(event_time AS DATE) FROM stop_search
                    UNION ALL SELECT person_id, CAST(event_time AS DATE) FROM use_of_force
                ) e JOIN person_refs r ON r.ref = e.person_id
                WHERE (r.person_key, e.day) IN (SELECT person_id, incident_date FROM best)
            ),
            scored AS (
                SELECT b.complaint_id, b.person_id, b.exact, b.same_rank, b.same_forename,
                       w.person_key IS NOT NULL AS on_duty, k.person_key IS NOT NULL AS in_contact
                FROM best b
                LEFT JOIN worked w ON w.person_key = b.person_id AND w.day = b.incident_date
                LEFT JOIN contact k ON k.person_key = b.person_id AND k.day = b.incident_date
            ),
            ranked AS (
                SELECT *, same_rank::INT + same_forename::INT + on_duty::INT + in_contact::INT AS agrees,
                       count(*) OVER (PARTITION BY complaint_id) AS namesakes
                FROM scored
                QUALIFY count(*) OVER (PARTITION BY complaint_id, agrees)
                        = 1 AND agrees = max(agrees) OVER (PARTITION BY complaint_id)
            )
            SELECT 'complaint_subject', complaint_id, person_id, 1.0,
                   CASE WHEN exact THEN 'surname' ELSE 'close_surname' END
                     || CASE WHEN namesakes = 1 THEN '_unique_in_recorded_unit'
                             ELSE '_in_recorded_unit_best_corroborated'
                                  || CASE WHEN same_rank THEN '_rank' ELSE '' END
                                  || CASE WHEN same_forename THEN '_forename' ELSE '' END
                                  || CASE WHEN on_duty THEN '_on_duty' ELSE '' END
                                  || CASE WHEN in_contact THEN '_public_contact' ELSE '' END END,
                   NULL
            FROM ranked"""
    )


def complaint_subjects_by_first_name_in_recorded_unit(engine: Engine) -> None:
    """Staff are often known by their first name ('custody Ngozi', 'control room Nat'). A
    complaint still unlinked whose last recorded word is nobody's surname in the recorded unit
    or command on the incident date (not within one keystroke of one), but the first name (or
    a short form of it) of exactly one person there, is tied to that person. Not where the
    name may be written surname first ('JOHNSON, Grace', 'Smith John'): with a comma, or with
    an earlier word that is anyone's surname in HR."""
    words = display_name_words("c.subject_name_as_recorded")
    word = norm(f"{words}[-1]")
    earlier = f"list_transform({words}[1:-1], lambda w: {norm('w')})"
    engine.execute(
        f"""INSERT INTO links
            WITH recorded AS (
                SELECT c.complaint_id, c.incident_date, {word} AS word, {RECORDED_UNIT} AS place,
                       {earlier} AS earlier
                FROM complaints c {RECORDED_UNIT_JOIN}
                WHERE c.incident_date IS NOT NULL
                  AND NOT contains(c.subject_name_as_recorded, ',')
                  AND c.complaint_id NOT IN (SELECT record_id FROM links WHERE task = 'complaint_subject')
            ),
            hr_surnames AS (SELECT list(DISTINCT {norm("surname")}) AS names FROM people),
            {UNIT_MEMBERS},
            present AS (
                SELECT r.complaint_id, r.word, m.person_id, m.surname, m.forename
                FROM recorded r JOIN members m ON m.place = r.place
                 AND r.incident_date BETWEEN coalesce(m.start_date, DATE '1900-01-01')
                                         AND coalesce(m.end_date, DATE '9999-12-31')
                WHERE length(r.word) > 1
                  AND NOT list_has_any(r.earlier, (SELECT names FROM hr_surnames))
            )
            SELECT 'complaint_subject', complaint_id, any_value(person_id), 1.0,
                   'first_name_unique_in_recorded_unit', NULL
            FROM present
            WHERE forename = word OR {same_forename("forename", "word")}
            GROUP BY complaint_id HAVING count(DISTINCT person_id) = 1
               AND complaint_id NOT IN (SELECT complaint_id FROM present
                                        WHERE damerau_levenshtein(surname, word) <= 1)"""
    )


def relatives_on_record(engine: Engine) -> None:
    """Record subjects who are a person's next of kin (same surname and date of birth), or who
    share the person's surname at their home postcode (household)."""
    engine.execute(
        f"""INSERT INTO links
           SELECT DISTINCT 'record_subject_relative', s.subject_id, r.person_key, 1.0, 'next_of_kin_surname_dob',
                  n.relationship
           FROM next_of_kin n
           JOIN person_refs r ON r.ref = n.person_id
           JOIN record_subjects s ON s.date_of_birth = n.date_of_birth AND {norm("s.surname")} = {norm("n.surname")}"""
    )
    engine.execute(
        f"""INSERT INTO links
           SELECT DISTINCT 'record_subject_relative', s.subject_id, p.person_id, 1.0, 'household_surname_postcode',
                  'household'
           FROM people p JOIN record_subjects s
             ON {postcode("s.postcode")} = {postcode("p.home_postcode")}
            AND {norm("s.surname")} = {norm("p.surname")}
           WHERE NOT EXISTS (SELECT 1 FROM links l WHERE l.task = 'record_subject_relative'
                             AND l.record_id = s.subject_id AND l.person_key = p.person_id)"""
    )


def company_officers(engine: Engine) -> None:
    """Register entries ("SURNAME, Forenames") with the person's surname, first forename, and
    month and year of birth, corroborated by the home postcode or by the same middle names.
    Name and month of birth alone are shared by namesakes in a city the size of London."""
    engine.execute(
        f"""INSERT INTO links
           SELECT DISTINCT 'company_officer', {OFFICER_ID}, p.person_id, 1.0,
                  'name_birth_month_year_and_' ||
                  CASE WHEN {postcode("c.postcode")} = {postcode("p.home_postcode")} THEN 'postcode'
                       ELSE 'middle_names' END,
                  NULL
           FROM company_officers c JOIN people p
             ON c.birth_year = year(p.date_of_birth) AND c.birth_month = month(p.date_of_birth)
            AND {norm("split_part(c.officer_name, ',', 1)")} = {norm("p.surname")}
            AND {first_name("split_part(c.officer_name, ',', 2)")} = {first_name("p.forenames")}
           WHERE {postcode("c.postcode")} = {postcode("p.home_postcode")}
              OR (contains(trim(p.forenames), ' ')
                  AND {full_forenames("split_part(c.officer_name, ',', 2)")} = {full_forenames("p.forenames")})"""
    )


def company_officers_declared(engine: Engine) -> None:
    """Register entries for a company a person declared an interest in, with the person's
    surname and first forename, and no birth month or year that disagrees (a namesake parent
    in a family business is not the person). The declaration ties them wherever the register
    gives a service address rather than the home postcode."""
    engine.execute(
        f"""INSERT INTO links
           SELECT DISTINCT 'company_officer', {OFFICER_ID}, p.person_id, 1.0, 'declared_company_and_name', NULL
           FROM declarations d JOIN person_refs r ON r.ref = d.person_id
           JOIN people p ON p.person_id = r.person_key
           JOIN company_officers c ON c.company_number = d.company_number
           WHERE {norm("split_part(c.officer_name, ',', 1)")} = {norm("p.surname")}
             AND {first_name("split_part(c.officer_name, ',', 2)")} = {first_name("p.forenames")}
             AND coalesce(c.birth_year = year(p.date_of_birth), true)
             AND coalesce(c.birth_month = month(p.date_of_birth), true)
             AND NOT EXISTS (SELECT 1 FROM links l WHERE l.task = 'company_officer'
                             AND l.record_id = {OFFICER_ID})"""
    )


# In the order they run, each with the task whose links it writes.
RULES: tuple[tuple[str, Callable[[Engine], None]], ...] = (
    ("system_account", system_accounts),
    ("system_account", legacy_logins),
    ("complaint_subject", complaint_subjects),
    ("complaint_subject", complaint_subjects_by_close_warrant),
    ("complaint_subject", complaint_subjects_in_recorded_unit),
    ("complaint_subject", complaint_subjects_by_first_name_in_recorded_unit),
    ("record_subject_relative", relatives_on_record),
    ("company_officer", company_officers),
    ("company_officer", company_officers_declared),
)
