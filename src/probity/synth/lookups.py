"""System accounts and the audit trail of look-ups, generated in blocks of people so that a
Met-sized log (150M+ rows) streams to Parquet without being held in memory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from probity.synth.arrow import dictionary
from probity.synth.duty import SHIFT_HOURS, SHIFT_START_H, WORKING

SYSTEMS = np.array(["PNC", "RMS", "CAD", "INTEL"])
KINDS = np.array(["person", "vehicle", "address", "crime_report", "intel_report"])
ACTIONS = np.array(["search", "view", "print", "export", "update"])
ACTION_P = np.array([0.45, 0.45, 0.03, 0.02, 0.05])
JUSTIFICATIONS = np.array(
    ["", "enquiry", "intel development", "call for service", "safeguarding check", "case file"]
)
# Look-ups per working day by role; analysts and call handlers work the systems all day.
DAILY_RATE = {
    "Intelligence analyst": 40.0,
    "Call handler": 15.0,
    "Intelligence": 20.0,
    "Professional standards": 10.0,
}
DEFAULT_DAILY_RATE = 3.0
INTELLIGENCE_ROLES = ("Intelligence analyst", "Intelligence")
# (person, subject) pairs are encoded as person * RELATIVE_KEY + subject.
RELATIVE_KEY = 1 << 32

LOG_SCHEMA = pa.schema(
    [
        ("event_time", pa.timestamp("s")),
        ("account_id", pa.dictionary(pa.int32(), pa.string())),
        ("system", pa.dictionary(pa.int32(), pa.string())),
        ("action", pa.dictionary(pa.int32(), pa.string())),
        ("subject_kind", pa.dictionary(pa.int32(), pa.string())),
        ("subject_id", pa.dictionary(pa.int32(), pa.string())),
        ("justification", pa.dictionary(pa.int32(), pa.string())),
        ("linked_reference", pa.dictionary(pa.int32(), pa.string())),
        ("terminal_id", pa.dictionary(pa.int32(), pa.string())),
    ]
)


def login_ids(surname: np.ndarray, forenames: np.ndarray) -> np.ndarray:
    """Logins in the force's convention: up to five letters of surname, initial, two digits."""
    seen: dict[str, int] = {}
    out = []
    for s, f in zip(surname, forenames, strict=True):
        stem = re.sub(r"[^A-Z]", "", str(s).upper())[:5] + str(f)[0].upper()
        seen[stem] = seen.get(stem, 0) + 1
        out.append(f"{stem}{seen[stem]:02d}")
    return np.array(out)


@dataclass
class LogBlock:
    """Look-ups as index arrays, turned into Arrow only at the end."""

    time: np.ndarray  # datetime64[s]
    account: np.ndarray  # index into the account dictionary
    subject_kind: np.ndarray  # index into KINDS
    subject: np.ndarray  # index into the subject dictionary
    linked: np.ndarray  # index into incident refs, -1 for none


def log_batch(
    rng: np.random.Generator,
    block: LogBlock,
    accounts: np.ndarray,
    subject_dict: np.ndarray,
    incident_refs: np.ndarray,
    n_terminals: int,
) -> pa.RecordBatch:
    n = len(block.time)
    kinds = block.subject_kind
    action = rng.choice(len(ACTIONS), n, p=ACTION_P)
    # Systems follow what is looked up: people and vehicles on PNC or RMS, reports on RMS/INTEL.
    system = np.where(
        kinds <= 1, rng.integers(0, 2, n), np.where(kinds == 4, 3, rng.integers(1, 3, n))
    )
    just = np.where(rng.random(n) < 0.8, 0, rng.integers(1, len(JUSTIFICATIONS), n))
    terminals = np.char.add("T", np.arange(n_terminals).astype(str))
    linked_null = block.linked < 0
    return pa.RecordBatch.from_arrays(
        [
            pa.array(block.time.astype("datetime64[s]"), type=pa.timestamp("s")),
            dictionary(block.account, accounts),
            dictionary(system, SYSTEMS),
            dictionary(action, ACTIONS),
            dictionary(kinds, KINDS),
            dictionary(block.subject, subject_dict),
            dictionary(just, JUSTIFICATIONS, null=just == 0),
            dictionary(np.where(linked_null, 0, block.linked), incident_refs, null=linked_null),
            dictionary(rng.integers(0, n_terminals, n), terminals),
        ],
        schema=LOG_SCHEMA,
    )


def routine_lookups(
    rng: np.random.Generator,
    people: np.ndarray,
    duty: np.ndarray,
    day0: np.datetime64,
    rate: np.ndarray,
    account_of: np.ndarray,
    person_subjects_by_bcu: list[np.ndarray],
    person_bcu: np.ndarray,
    n_person_subjects: int,
    n_other_per_kind: int,
    nominals_by_bcu: list[np.ndarray],
    nominal_share: np.ndarray,
    relative_pairs: np.ndarray,
    famous: np.ndarray | None = None,
    famous_share: np.ndarray | None = None,
) -> LogBlock:
    """Look-ups in the course of ordinary duty: during shifts, of the person's own area.
    Intelligence roles spend part of their searches on the area's organised-crime nominals;
    where a world says so, a role's work also brings it to high-profile records (`famous`)."""
    block = duty[people]
    rows, days = np.nonzero(np.isin(block, WORKING))
    counts = rng.poisson(rate[people[rows]])
    p = np.repeat(people[rows], counts)
    d = np.repeat(days, counts)
    code = np.repeat(block[rows, days], counts)
    n = len(p)
    start = (day0 + d.astype("timedelta64[D]")).astype("datetime64[s]") + (
        SHIFT_START_H[code] * 3600
    ).astype("timedelta64[s]")
    time = start + (rng.random(n) * SHIFT_HOURS[code] * 3600).astype("timedelta64[s]")
    kinds = rng.choice(len(KINDS), n, p=[0.4, 0.25, 0.2, 0.1, 0.05])
    # Vehicles, addresses and reports have ids of their own after the people on record.
    subject = (
        n_person_subjects + (kinds - 1) * n_other_per_kind + rng.integers(0, n_other_per_kind, n)
    )
    is_person = kinds == 0
    bcu = person_bcu[p[is_person]]
    pick = np.empty(int(is_person.sum()), dtype=np.int64)
    targets_nominal = rng.random(len(pick)) < nominal_share[p[is_person]]
    for b, pool in enumerate(person_subjects_by_bcu):
        sel = (bcu == b) & ~targets_nominal
        pick[sel] = rng.choice(pool, int(sel.sum()))
        focus = (bcu == b) & targets_nominal
        if focus.any() and len(nominals_by_bcu[b]):
            pick[focus] = rng.choice(nominals_by_bcu[b], int(focus.sum()))
        elif focus.any():
            pick[focus] = rng.choice(pool, int(focus.sum()))
    if famous is not None and famous_share is not None and len(famous) and famous_share.any():
        to_famous = (rng.random(len(pick)) < famous_share[p[is_person]]) & ~targets_nominal
        pick[to_famous] = rng.choice(famous, int(to_famous.sum()))
    subject[is_person] = pick
    # Routine work does not land on one's own relatives: those look-ups are planted, not chance.
    clash = is_person & np.isin(p.astype(np.int64) * RELATIVE_KEY + subject, relative_pairs)
    for b, pool in enumerate(person_subjects_by_bcu):
        sel = clash & (person_bcu[p] == b)
        subject[sel] = rng.choice(pool, int(sel.sum()))
    return LogBlock(time, account_of[p], kinds, subject, np.full(n, -1))


def incident_lookups(
    rng: np.random.Generator,
    att_person: np.ndarray,
    att_arrived: np.ndarray,
    att_incident: np.ndarray,
    sub_incident: np.ndarray,
    sub_subject: np.ndarray,
    n_incidents: int,
    account_of: np.ndarray,
) -> LogBlock:
    """Look-ups of the subjects of incidents the person attended, mostly citing the incident."""
    order = np.argsort(sub_incident, kind="stable")
    subjects_sorted = sub_subject[order]
    first = np.searchsorted(sub_incident[order], np.arange(n_incidents + 1))
    n_subs = np.diff(first)[att_incident]
    counts = np.where(n_subs > 0, rng.poisson(2.5, len(att_person)), 0)
    idx = np.repeat(np.arange(len(att_person)), counts)
    n = len(idx)
    inc = att_incident[idx]
    subject = subjects_sorted[first[inc] + (rng.random(n) * n_subs[idx]).astype(np.int64)]
    time = att_arrived[idx].astype("datetime64[s]") + rng.integers(60, 8 * 3600, n).astype(
        "timedelta64[s]"
    )
    linked = np.where(rng.random(n) < 0.7, inc, -1)
    return LogBlock(time, account_of[att_person[idx]], np.zeros(n, dtype=np.int64), subject, linked)


def subject_dictionary(person_subject_ids: np.ndarray, n_other_per_kind: int) -> np.ndarray:
    """Record subjects first, then vehicles, addresses, crime and intelligence reports."""
    others = [
        np.char.add(prefix, np.arange(n_other_per_kind).astype(str))
        for prefix in ("VRM", "ADR", "CRI", "INR")
    ]
    return np.concatenate([person_subject_ids.astype(str), *others])


def concat(blocks: list[LogBlock]) -> LogBlock:
    return LogBlock(
        *(
            np.concatenate([getattr(b, f) for b in blocks])
            for f in ("time", "account", "subject_kind", "subject", "linked")
        )
    )


def blocks_of(n: int, size: int) -> Iterator[np.ndarray]:
    for start in range(0, n, size):
        yield np.arange(start, min(n, start + size))
