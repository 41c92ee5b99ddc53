"""Turn a built `World` into the source-export tables: small ones as Arrow tables, the three
large ones (roster, badge records, look-ups) as streams of record batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa

from probity.contract.tables import DUTY_TYPES
from probity.synth import claims, conduct, powers, register
from probity.synth.arrow import column, dictionary, money, table
from probity.synth.duty import WORKING, shift_times
from probity.synth.lookups import (
    DAILY_RATE,
    DEFAULT_DAILY_RATE,
    INTELLIGENCE_ROLES,
    RELATIVE_KEY,
    blocks_of,
    concat,
    incident_lookups,
    log_batch,
    routine_lookups,
    subject_dictionary,
)
from probity.synth.world import World

BLOCK = 2000  # people per streamed block
WARRANT_IN_PLACE_RATE = 0.02
COMPLAINT_COLUMNS = (
    "complaint_id",
    "received_date",
    "incident_date",
    "subject_warrant_number",
    "subject_name_as_recorded",
    "subject_unit_as_recorded",
    "allegation_category",
    "complainant_type",
    "outcome",
    "closed_date",
)


@dataclass
class ForceTables:
    tables: dict[str, pa.Table]
    streams: dict[str, Callable[[], Iterator[pa.RecordBatch]]]
    truth: dict[str, pa.Table] = field(default_factory=dict)


class PersonRefs:
    """Person references as exported: HR ids, with an officer's warrant number on some rows."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.messy: list[dict[str, Any]] = []

    def __call__(
        self, table_name: str, persons: np.ndarray, column_name: str = "person_id"
    ) -> np.ndarray:
        p = self.world.people
        ids = p.person_id[persons].astype(object)
        warrant = p.warrant_number[persons]
        has_warrant = np.array([w is not None for w in warrant], dtype=bool)
        swap = has_warrant & (self.world.rng.random(len(persons)) < WARRANT_IN_PLACE_RATE)
        ids[swap] = warrant[swap]
        for row in np.flatnonzero(swap):
            self.messy.append(
                {
                    "table": table_name,
                    "row": int(row) + 1,
                    "column": column_name,
                    "value": str(warrant[row]),
                    "person_id": str(p.person_id[persons[row]]),
                }
            )
        return ids


def _merge(base: dict[str, Any], extra: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for key, values in base.items():
        tail = [row.get(key) for row in extra]
        arr = np.asarray(values)
        if arr.dtype.kind == "M" and tail:
            out[key] = np.concatenate(
                [
                    arr,
                    np.array(
                        [np.datetime64("NaT") if t is None else t for t in tail], dtype=arr.dtype
                    ),
                ]
            )
        elif tail:
            out[key] = np.concatenate([arr.astype(object), np.array(tail, dtype=object)])
        else:
            out[key] = arr
    return out


def _ids(prefix: str, n: int) -> np.ndarray:
    return np.char.add(prefix, np.char.zfill(np.arange(1, n + 1).astype(str), 8))


def _people_tables(world: World, refs: PersonRefs) -> dict[str, pa.Table]:
    p = world.people
    u = world.units
    pid = p.person_id
    manager = np.where(world.manager >= 0, pid[np.maximum(world.manager, 0)], None)
    tables = {
        "units": table(
            unit_code=u.code,
            name=u.name,
            command=u.command,
            parent_code=np.full(len(u.code), None),
            kind=u.kind,
            required_vetting=u.required_vetting,
        ),
        "people": table(
            person_id=pid,
            warrant_number=p.warrant_number,
            surname=p.surname,
            forenames=p.forenames,
            date_of_birth=p.date_of_birth,
            sex=p.sex,
            ethnicity=p.ethnicity,
            staff_type=p.staff_type,
            rank=p.rank,
            role=p.role,
            unit_code=u.code[p.unit],
            line_manager_id=manager,
            start_date=p.start_date,
            leave_date=p.leave_date,
            home_postcode=p.home_postcode,
            home_address=p.home_address,
        ),
        "postings": table(
            person_id=pid,
            unit_code=u.code[p.unit],
            role=p.role,
            start_date=np.maximum(p.start_date, world.day0 - np.timedelta64(2000, "D")),
            end_date=p.leave_date,
        ),
    }
    nok = world.nok
    persons = np.array(nok["person"], dtype=np.int64)
    tables["next_of_kin"] = table(
        person_id=pid[persons],
        surname=np.array(nok["surname"], dtype=object),
        forenames=np.array(nok["forenames"], dtype=object),
        relationship=np.array(nok["relationship"], dtype=object),
        date_of_birth=np.array(nok["date_of_birth"], dtype="datetime64[D]"),
        postcode=np.array(nok["postcode"], dtype=object),
    )
    rng = world.rng
    required = u.required_vetting[p.unit]
    level = required.astype(object)
    status = np.full(world.n, "active", dtype=object)
    granted = np.maximum(
        p.start_date, world.day0 - rng.integers(0, 3000, world.n).astype("timedelta64[D]")
    )
    # Routine clearances are renewed in time: none expires inside the period.
    period_end = world.date(world.days - 1)
    renewal = period_end + rng.integers(30, 2000, world.n).astype("timedelta64[D]")
    expiry = np.maximum(granted + np.timedelta64(3650, "D"), renewal)
    if world.settings.lapsed_vetting_share:  # a force behind with its renewals
        lapsed = rng.random(world.n) < world.settings.lapsed_vetting_share
        expiry[lapsed] = world.day0 + rng.integers(0, world.days, int(lapsed.sum())).astype(
            "timedelta64[D]"
        )
    for person, (lvl, st, day) in world.vetting_override.items():
        level[person] = lvl
        status[person] = st
        expiry[person] = world.date(day)
    vetting = _merge(
        {
            "person": np.arange(world.n),
            "vetting_level": level,
            "granted_date": granted,
            "expiry_date": expiry,
            "status": status,
        },
        world.extra_rows.get("vetting", []),
    )
    tables["vetting"] = table(
        person_id=refs("vetting", vetting.pop("person").astype(np.int64)), **vetting
    )
    courses = np.array(
        [
            "Information management",
            "Officer safety",
            "First aid",
            "Data protection",
            "Professional standards",
        ]
    )
    tp = np.repeat(np.arange(world.n), 2)
    done = world.day0 + rng.integers(-700, world.days, len(tp)).astype("timedelta64[D]")
    tables["training"] = table(
        person_id=pid[tp],
        course=rng.choice(courses, len(tp)),
        completed_date=done,
        expiry_date=done + np.timedelta64(730, "D"),
    )
    acc = world.accounts
    tables["system_accounts"] = table(
        account_id=np.array(acc["account_id"]),
        system=np.array(acc["system"]),
        person_id=np.array(acc["person_id"], dtype=object),
        display_name=np.array(acc["display_name"]),
        created_date=np.array(acc["created_date"], dtype="datetime64[D]"),
        disabled_date=np.array(acc["disabled_date"], dtype="datetime64[D]"),
    )
    return tables


def _absences(world: World) -> pa.Table:
    s = world.spells
    person = np.array([x.person for x in s], dtype=np.int64)
    return table(
        person_id=world.people.person_id[person],
        absence_type=np.array([x.kind for x in s]),
        start_date=world.day0 + np.array([x.first_day for x in s]).astype("timedelta64[D]"),
        end_date=world.day0 + np.array([x.last_day for x in s]).astype("timedelta64[D]"),
        reason_category=np.array([x.reason for x in s], dtype=object),
    )


def _claims(world: World, refs: PersonRefs) -> dict[str, pa.Table]:
    routine = claims.overtime_rows(world)
    world.badge_blocks.append(claims.overtime_badges(world, routine))
    ot = _merge(routine, world.extra_rows.get("overtime_claims", []))
    person = ot["person"].astype(np.int64)
    hours = ot["hours"].astype(float)
    manager = world.manager[person]
    tables = {
        "overtime_claims": table(
            claim_id=_ids("OT", len(person)),
            person_id=refs("overtime_claims", person),
            work_date=ot["work_date"],
            start_time=ot["start_time"],
            end_time=ot["end_time"],
            hours=hours,
            reason_code=ot["reason_code"],
            operation_ref=ot["operation_ref"],
            authorised_by=np.where(
                manager >= 0, world.people.person_id[np.maximum(manager, 0)], None
            ),
            amount_gbp=money(hours * claims.HOURLY_RATE),
            submitted_date=ot["submitted_date"],
        )
    }
    ex = _merge(claims.expense_rows(world), world.extra_rows.get("expense_claims", []))
    person = ex["person"].astype(np.int64)
    manager = world.manager[person]
    tables["expense_claims"] = table(
        claim_id=_ids("EX", len(person)),
        person_id=world.people.person_id[person],
        claim_date=ex["claim_date"],
        category=ex["category"],
        amount_gbp=money(ex["amount_gbp"].astype(float)),
        description=ex["description"],
        authorised_by=np.where(manager >= 0, world.people.person_id[np.maximum(manager, 0)], None),
    )
    return tables


def _activity(world: World, refs: PersonRefs) -> dict[str, pa.Table]:
    inc = world.incidents
    s = world.subjects
    p = world.people
    tables = {
        "record_subjects": table(
            subject_id=s.subject_id,
            surname=s.surname,
            forenames=s.forenames,
            date_of_birth=s.date_of_birth,
            postcode=s.postcode,
            flags=np.array([";".join(sorted(f)) or None for f in s.flags], dtype=object),
        ),
        "incidents": table(
            incident_ref=inc.ref,
            opened_time=inc.opened,
            closed_time=inc.closed,
            category=inc.category,
            grade=inc.grade,
            postcode=inc.postcode,
            unit_code=world.units.code[inc.unit],
        ),
        "incident_attendance": table(
            incident_ref=inc.ref[inc.att_incident],
            person_id=refs("incident_attendance", inc.att_person),
            attendance_role=inc.att_role,
            arrived_time=inc.att_arrived,
        ),
    }
    extra = world.extra_rows.get("incident_subjects", [])
    sub_i = np.concatenate(
        [inc.sub_incident, np.array([r["incident"] for r in extra], dtype=np.int64)]
    )
    sub_s = np.concatenate(
        [inc.sub_subject, np.array([r["subject"] for r in extra], dtype=np.int64)]
    )
    sub_r = np.concatenate(
        [inc.sub_role, np.array([r["subject_role"] for r in extra], dtype=object)]
    )
    tables["incident_subjects"] = table(
        incident_ref=inc.ref[sub_i], subject_id=s.subject_id[sub_s], subject_role=sub_r
    )

    ss = powers.stop_search_rows(world, world.multiplier("searches"))
    tables["stop_search"] = table(
        event_id=_ids("SS", len(ss["person"])),
        event_time=ss["event_time"],
        person_id=refs("stop_search", ss["person"]),
        **{k: v for k, v in ss.items() if k not in ("person", "event_time")},
    )
    uof = powers.use_of_force_rows(world, world.multiplier("force"))
    tables["use_of_force"] = table(
        event_id=_ids("UF", len(uof["person"])),
        event_time=uof["event_time"],
        person_id=refs("use_of_force", uof["person"]),
        incident_ref=inc.ref[uof["incident"]],
        subject_ethnicity=uof["subject_ethnicity"],
        tactic=uof["tactic"],
        subject_injured=uof["subject_injured"],
        officer_injured=uof["officer_injured"],
    )

    exposure = conduct.exposure(world, ss["person"], uof["person"])
    conduct.draw_propensity(world)
    contacts = conduct.contact_days(
        world,
        [inc.att_person, ss["person"], uof["person"]],
        [inc.att_arrived, ss["event_time"], uof["event_time"]],
    )
    complaints = conduct.routine_complaints(
        world, exposure, world.multiplier("complaints"), contacts
    )
    complaints += world.extra_rows.get("complaints", [])
    for i, c in enumerate(complaints):
        c["complaint_id"] = f"CMP{i + 1:07d}"
    cases = conduct.routine_conduct_cases(world, complaints) + world.extra_rows.get(
        "conduct_cases", []
    )
    # A few complaints no record can settle (pending, so no conduct case follows them).
    unsettled = conduct.namesake_complaints(world, contacts, k=max(1, world.n // 10000))
    for i, c in enumerate(unsettled, start=len(complaints) + 1):
        c["complaint_id"] = f"CMP{i:07d}"
    complaints += unsettled
    tables["complaints"] = table(
        **{k: np.array([c[k] for c in complaints], dtype=_dtype(k)) for k in COMPLAINT_COLUMNS}
    )
    case_person = np.array([c["_person"] for c in cases], dtype=np.int64)
    tables["conduct_cases"] = table(
        case_id=_ids("CC", len(cases)),
        person_id=refs("conduct_cases", case_person),
        **{
            k: np.array([c[k] for c in cases], dtype=_dtype(k))
            for k in (
                "opened_date",
                "closed_date",
                "allegation_category",
                "origin",
                "severity",
                "outcome",
                "suspended",
                "linked_complaint_id",
            )
        },
    )
    world.links.extend(
        {
            "task": "complaint_subject",
            "record_id": c["complaint_id"],
            "person_id": str(p.person_id[c["_person"]]),
        }
        for c in complaints
    )
    return tables


def _dtype(name: str) -> Any:
    return "datetime64[D]" if name.endswith("_date") else object


def _register(world: World) -> dict[str, pa.Table]:
    base = register.background_register(world, max(1000, world.n * 15))
    rows = _merge(base, world.extra_rows.get("company_officers", []))
    rows["birth_month"] = rows["birth_month"].astype(np.int64)
    rows["birth_year"] = rows["birth_year"].astype(np.int64)
    out = {"company_officers": table(**rows)}
    decl = world.extra_rows.get("declarations", [])
    rng = world.rng
    # Routine declarations that point at nothing in the register.
    routine = rng.choice(world.n, world.n // 15, replace=False)
    kinds = rng.choice(
        [
            "gift_hospitality",
            "secondary_employment",
            "notifiable_association",
            "financial_difficulty",
        ],
        len(routine),
        p=[0.5, 0.3, 0.12, 0.08],
    )
    persons = np.concatenate([np.array([d["person"] for d in decl], dtype=np.int64), routine])
    n = len(persons)
    out["declarations"] = table(
        declaration_id=_ids("DEC", n),
        person_id=world.people.person_id[persons],
        kind=np.concatenate(
            [np.array([d["kind"] for d in decl], dtype=object), kinds.astype(object)]
        ),
        counterpart_name=np.array(
            [d["counterpart_name"] for d in decl] + [None] * len(routine), dtype=object
        ),
        counterpart_date_of_birth=np.array(
            [d.get("counterpart_date_of_birth", np.datetime64("NaT")) for d in decl]
            + [np.datetime64("NaT")] * len(routine),
            dtype="datetime64[D]",
        ),
        counterpart_postcode=np.full(n, None, dtype=object),
        company_number=np.array(
            [d.get("company_number") for d in decl] + [None] * len(routine), dtype=object
        ),
        details=np.array([d["details"] for d in decl] + ["declared"] * len(routine), dtype=object),
        declared_date=np.concatenate(
            [
                np.array([d["declared_date"] for d in decl], dtype="datetime64[D]"),
                world.day0 + rng.integers(0, world.days, len(routine)).astype("timedelta64[D]"),
            ]
        ),
        decision=np.array(
            [d["decision"] for d in decl]
            + list(
                rng.choice(["approved", "refused", "pending"], len(routine), p=[0.85, 0.05, 0.1])
            ),
            dtype=object,
        ),
        end_date=np.full(n, np.datetime64("NaT"), dtype="datetime64[D]"),
    )
    return out


def _roster_stream(world: World) -> Iterator[pa.RecordBatch]:
    codes = np.array(DUTY_TYPES)
    unit_codes = world.units.code
    for block in blocks_of(world.n, BLOCK):
        duty = world.duty[block]
        start, end = shift_times(duty, world.day0)
        rows, days = np.nonzero(duty >= 0)
        person = block[rows]
        yield pa.RecordBatch.from_pydict(
            {
                "person_id": dictionary(person, world.people.person_id),
                "duty_date": column(world.day0 + days.astype("timedelta64[D]")),
                "duty_type": dictionary(duty[rows, days].astype(np.int64), codes),
                "shift_start": column(start[rows, days]),
                "shift_end": column(end[rows, days]),
                "unit_code": dictionary(world.people.unit[person], unit_codes),
            }
        )


def _badge_stream(world: World) -> Iterator[pa.RecordBatch]:
    rng = np.random.default_rng(world.rng.integers(1 << 32))
    sites = np.char.add(world.units.code, "-STN")
    seen = world.duty_as_seen()
    for block in blocks_of(world.n, BLOCK):
        duty = seen[block]
        start, end = shift_times(duty, world.day0)
        rows, days = np.nonzero(np.isin(duty, WORKING) & (rng.random(duty.shape) < 0.9))
        n = len(rows)
        t_in = start[rows, days] - rng.integers(5, 25, n).astype("timedelta64[m]")
        t_out = end[rows, days] + rng.integers(0, 40, n).astype("timedelta64[m]")
        person = np.concatenate([block[rows], block[rows]])
        yield pa.RecordBatch.from_pydict(
            {
                "event_time": column(np.concatenate([t_in, t_out])),
                "person_id": dictionary(person, world.people.person_id),
                "site_code": dictionary(world.people.unit[person], sites),
                "direction": dictionary(np.repeat([0, 1], n), np.array(["in", "out"])),
            }
        )
    for swipes in world.badge_blocks:
        yield pa.RecordBatch.from_pydict(
            {
                "event_time": column(swipes["event_time"]),
                "person_id": dictionary(swipes["person"], world.people.person_id),
                "site_code": dictionary(world.people.unit[swipes["person"]], sites),
                "direction": dictionary(swipes["direction"], np.array(["in", "out"])),
            }
        )
    extra = world.extra_rows.get("building_access", [])
    if extra:
        person = np.array([r["person"] for r in extra], dtype=np.int64)
        yield pa.RecordBatch.from_pydict(
            {
                "event_time": column(
                    np.array([r["event_time"] for r in extra], dtype="datetime64[s]")
                ),
                "person_id": pa.array(world.people.person_id[person]).dictionary_encode(),
                "site_code": pa.array([r["site_code"] for r in extra]).dictionary_encode(),
                "direction": pa.array([r["direction"] for r in extra]).dictionary_encode(),
            }
        )


def _by_role(world: World, shares: dict[str, float]) -> np.ndarray:
    return np.array([shares.get(str(r), 0.0) for r in world.people.role])


def _log_stream(world: World) -> Iterator[pa.RecordBatch]:
    rng = np.random.default_rng(world.rng.integers(1 << 32))
    n_other = max(1000, world.n * 5)
    subjects = subject_dictionary(world.subjects.subject_id, n_other)
    accounts = np.array(world.accounts["account_id"])
    legacy_index = np.flatnonzero([pid is None for pid in world.accounts["person_id"]])
    legacy_person = np.array(world.accounts["person"])[legacy_index]
    legacy_of = np.full(world.n, -1)
    legacy_of[legacy_person] = legacy_index
    settings = world.settings
    daily = {**DAILY_RATE, **settings.lookups_per_day}
    rate = settings.lookup_volume * np.array(
        [daily.get(str(r), DEFAULT_DAILY_RATE) for r in world.people.role]
    )
    if settings.lookup_spread:  # people in one role differ in how much they look up
        spread = settings.lookup_spread
        rate = rate * rng.lognormal(-(spread**2) / 2, spread, world.n)
    n_bcu = int(world.subjects.bcu.max()) + 1
    by_bcu = [np.flatnonzero(world.subjects.bcu == b) for b in range(n_bcu)]
    inc = world.incidents
    n_terminals = max(50, world.n // 4)
    nominal = np.array(["ocg_nominal" in f for f in world.subjects.flags])
    nominals_by_bcu = [np.flatnonzero(nominal & (world.subjects.bcu == b)) for b in range(n_bcu)]
    if settings.nominal_share is None:
        nominal_share = np.where(np.isin(world.people.role, list(INTELLIGENCE_ROLES)), 0.05, 0.0)
    else:
        nominal_share = _by_role(world, settings.nominal_share)
    famous = np.flatnonzero(["high_profile" in f for f in world.subjects.flags])
    famous_share = _by_role(world, settings.high_profile_share)
    relatives = [
        (person, subject)
        for person, subject in zip(world.nok["person"], world.nok.get("subject", []), strict=False)
        if subject is not None
    ]
    relative_pairs = np.array([p * RELATIVE_KEY + s for p, s in relatives], dtype=np.int64)
    seen = world.duty_as_seen()
    for block in blocks_of(world.n, BLOCK):
        routine = routine_lookups(
            rng,
            block,
            seen,
            world.day0,
            rate,
            world.account_of,
            by_bcu,
            world.person_bcu,
            len(world.subjects),
            n_other,
            nominals_by_bcu,
            nominal_share,
            relative_pairs,
            famous,
            famous_share,
        )
        mine = np.isin(inc.att_person, block)
        linked = incident_lookups(
            rng,
            inc.att_person[mine],
            inc.att_arrived[mine],
            inc.att_incident[mine],
            inc.sub_incident,
            inc.sub_subject,
            len(inc.ref),
            world.account_of,
        )
        if world.never_cite:
            silent = np.isin(linked.account, world.account_of[sorted(world.never_cite)])
            linked.linked = np.where(silent, -1, linked.linked)
        both = concat([routine, linked])
        # Holders of a legacy login still use it for some look-ups.
        owner = both.account  # own accounts are indexed by person
        alt = legacy_of[owner]
        use_legacy = (alt >= 0) & (rng.random(len(owner)) < 0.2)
        both.account = np.where(use_legacy, alt, owner)
        yield log_batch(rng, both, accounts, subjects, inc.ref, n_terminals)
    if world.extra_lookups:
        yield log_batch(rng, concat(world.extra_lookups), accounts, subjects, inc.ref, n_terminals)


def force_tables(world: World) -> ForceTables:
    refs = PersonRefs(world)
    tables = _people_tables(world, refs)
    tables["absences"] = _absences(world)
    tables.update(_claims(world, refs))
    tables.update(_activity(world, refs))
    tables.update(_register(world))
    streams: dict[str, Callable[[], Iterator[pa.RecordBatch]]] = {
        "roster": lambda: _roster_stream(world),
        "building_access": lambda: _badge_stream(world),
        "access_log": lambda: _log_stream(world),
    }
    truth = {
        "planted": pa.Table.from_pylist(world.planted),
        "decoys": pa.Table.from_pylist(world.decoys),
        "identity_links": pa.Table.from_pylist(world.links),
        "messy_references": pa.Table.from_pylist(refs.messy)
        if refs.messy
        else pa.table({"table": pa.array([], pa.string())}),
    }
    return ForceTables(tables, streams, truth)
