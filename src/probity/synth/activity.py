"""Operational activity: record subjects, incidents and who attended them, stop and search,
use of force. Looks-ups of police systems are in `lookups.py`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from probity.contract.tables import vocabulary
from probity.synth.duty import WORKING
from probity.synth.names import AREA_OUTWARD, draw_forenames, draw_surnames, postcodes

INCIDENT_CATEGORIES = np.array(
    [
        "domestic",
        "violence",
        "sexual_offence",
        "theft",
        "concern_for_welfare",
        "traffic",
        "public_order",
        "other",
    ]
)
INCIDENT_CATEGORY_P = np.array([0.14, 0.14, 0.03, 0.22, 0.13, 0.1, 0.08, 0.16])
CRIME = {"domestic", "violence", "sexual_offence", "theft"}
GRADES = np.array(["immediate", "priority", "scheduled", "resolved_without_deployment"])
GRADE_P = np.array([0.25, 0.4, 0.3, 0.05])
# Subject ethnicity mix of a London area, for stop and search and use of force records.
SUBJECT_ETHNICITY = np.array(["White", "Black", "Asian", "Mixed", "Other", "Not stated"])
SUBJECT_ETHNICITY_P = np.array([0.45, 0.2, 0.18, 0.07, 0.05, 0.05])

TACTICS = np.array(vocabulary("use_of_force", "tactic"))
TACTIC_P = np.array([0.45, 0.2, 0.15, 0.02, 0.03, 0.07, 0.02, 0.03, 0.02, 0.01])
SEARCH_OUTCOMES = np.array(vocabulary("stop_search", "outcome"))
SEARCH_OUTCOME_P = np.array([0.7, 0.14, 0.06, 0.03, 0.05, 0.02])


@dataclass
class RecordSubjects:
    subject_id: np.ndarray
    surname: np.ndarray
    forenames: np.ndarray
    date_of_birth: np.ndarray
    postcode: np.ndarray
    bcu: np.ndarray
    flags: list[set[str]]

    def __len__(self) -> int:
        return len(self.subject_id)

    def add(
        self,
        surname: str,
        forenames: str,
        dob: np.datetime64,
        postcode: str,
        bcu: int,
        flags: set[str],
    ) -> int:
        """Append one subject and return its index."""
        return self.add_many([(surname, forenames, dob, postcode, bcu, flags)])[0]

    def add_many(self, rows: list[tuple[str, str, np.datetime64, str, int, set[str]]]) -> list[int]:
        """Append subjects in one go (appending one at a time is quadratic); return their indices."""
        first = len(self)
        if not rows:
            return []
        surnames, forenames, dobs, postcodes_, bcus, flags = zip(*rows, strict=True)
        n = len(rows)
        new_ids = [f"S{90000000 + first + i:08d}" for i in range(n)]
        self.subject_id = np.append(self.subject_id, new_ids)
        self.surname = np.append(self.surname.astype(object), np.array(surnames, dtype=object))
        self.forenames = np.append(self.forenames.astype(object), np.array(forenames, dtype=object))
        self.date_of_birth = np.append(self.date_of_birth, np.array(dobs, dtype="datetime64[D]"))
        self.postcode = np.append(self.postcode.astype(object), np.array(postcodes_, dtype=object))
        self.bcu = np.append(self.bcu, np.array(bcus, dtype=np.int64))
        self.flags.extend(set(f) for f in flags)
        return list(range(first, first + n))


def make_record_subjects(
    rng: np.random.Generator, n: int, n_bcu: int, end: np.datetime64
) -> RecordSubjects:
    bcu = rng.integers(0, n_bcu, n)
    outward = np.array([rng.choice(AREA_OUTWARD[b][1]) for b in bcu])
    return RecordSubjects(
        subject_id=np.char.add("S", np.char.zfill(rng.permutation(n).astype(str), 8)),
        surname=draw_surnames(rng, n).astype(object),
        forenames=draw_forenames(rng, n, middle_share=0.0).astype(object),
        date_of_birth=end - rng.integers(12 * 365, 85 * 365, n).astype("timedelta64[D]"),
        postcode=postcodes(rng, outward).astype(object),
        bcu=bcu,
        flags=[set() for _ in range(n)],
    )


@dataclass
class Incidents:
    ref: np.ndarray
    opened: np.ndarray  # datetime64[m]
    closed: np.ndarray
    category: np.ndarray
    grade: np.ndarray
    postcode: np.ndarray
    unit: np.ndarray  # unit index
    bcu: np.ndarray
    # attendance rows
    att_incident: np.ndarray
    att_person: np.ndarray
    att_role: np.ndarray
    att_arrived: np.ndarray
    # subject rows
    sub_incident: np.ndarray
    sub_subject: np.ndarray
    sub_role: np.ndarray


def make_incidents(
    rng: np.random.Generator,
    n_incidents: int,
    day0: np.datetime64,
    duty: np.ndarray,
    person_bcu: np.ndarray,
    person_kind: np.ndarray,
    unit_index: dict[tuple[int, str], int],
    subjects: RecordSubjects,
) -> Incidents:
    n_bcu = int(subjects.bcu.max()) + 1
    days = duty.shape[1]
    bcu = rng.integers(0, n_bcu, n_incidents)
    day = rng.integers(0, days, n_incidents)
    minute = rng.integers(0, 24 * 60, n_incidents)
    opened = (day0 + day.astype("timedelta64[D]")).astype("datetime64[m]") + minute.astype(
        "timedelta64[m]"
    )
    category = rng.choice(INCIDENT_CATEGORIES, n_incidents, p=INCIDENT_CATEGORY_P)
    is_crime = np.isin(category, list(CRIME))
    duration_h = np.where(
        is_crime, rng.lognormal(3.5, 1.2, n_incidents), rng.lognormal(0.8, 0.8, n_incidents)
    )
    closed = opened + (duration_h * 60).astype("timedelta64[m]")
    outward = np.array([rng.choice(AREA_OUTWARD[b][1]) for b in bcu])
    first_unit_kind = np.where(rng.random(n_incidents) < 0.75, "response", "neighbourhood")
    unit = np.array(
        [unit_index[(int(b), str(k))] for b, k in zip(bcu, first_unit_kind, strict=True)]
    )

    # Attendance: one to three officers of the area's response or neighbourhood teams who
    # were on duty that day; crimes often get a detective as officer in charge.
    working = np.isin(duty, WORKING)
    pools: dict[tuple[int, str], np.ndarray] = {}
    for b in range(n_bcu):
        for k in ("response", "neighbourhood", "investigation"):
            pools[(b, k)] = np.flatnonzero((person_bcu == b) & (person_kind == k))
    att_i, att_p, att_r = [], [], []
    n_attend = rng.choice([1, 2, 3], n_incidents, p=[0.35, 0.5, 0.15])
    for slot in range(3):
        for b in range(n_bcu):
            for k in ("response", "neighbourhood"):
                inc = np.flatnonzero((bcu == b) & (first_unit_kind == k) & (n_attend > slot))
                pool = pools[(b, k)]
                if len(inc) == 0 or len(pool) == 0:
                    continue
                for _ in range(4):  # a few redraws to find someone on duty
                    cand = rng.choice(pool, len(inc))
                    ok = working[cand, day[inc]]
                    att_i.append(inc[ok])
                    att_p.append(cand[ok])
                    att_r.append(np.full(ok.sum(), "supervisor" if slot == 2 else "attending"))
                    inc = inc[~ok]
                    if len(inc) == 0:
                        break
    for b in range(n_bcu):
        inc = np.flatnonzero((bcu == b) & is_crime & (rng.random(n_incidents) < 0.35))
        pool = pools[(b, "investigation")]
        for _ in range(4):  # the officer in charge is a detective at work that day
            if len(inc) == 0 or len(pool) == 0:
                break
            cand = rng.choice(pool, len(inc))
            ok = working[cand, day[inc]]
            att_i.append(inc[ok])
            att_p.append(cand[ok])
            att_r.append(np.full(ok.sum(), "oic"))
            inc = inc[~ok]
    att_incident = np.concatenate(att_i)
    # The same officer drawn twice for one incident is kept once.
    pairs = np.unique(np.stack([att_incident, np.concatenate(att_p)]), axis=1, return_index=True)[1]
    att_incident = att_incident[pairs]
    att_person = np.concatenate(att_p)[pairs]
    att_role = np.concatenate(att_r)[pairs]
    att_arrived = opened[att_incident] + rng.integers(3, 90, len(att_incident)).astype(
        "timedelta64[m]"
    )

    # Subjects: victims for crimes and welfare calls, suspects and witnesses often, drawn from
    # people who live in the area.
    sub_i, sub_s, sub_r = [], [], []
    by_bcu = [np.flatnonzero(subjects.bcu == b) for b in range(n_bcu)]
    for role, p in (("victim", 0.9), ("suspect", 0.5), ("witness", 0.4), ("reporting_person", 0.2)):
        take = rng.random(n_incidents) < np.where(is_crime | (role != "victim"), p, p * 0.5)
        for b in range(n_bcu):
            inc = np.flatnonzero(take & (bcu == b))
            if len(inc):
                sub_i.append(inc)
                sub_s.append(rng.choice(by_bcu[b], len(inc)))
                sub_r.append(np.full(len(inc), role))
    sub_incident = np.concatenate(sub_i)
    sub_subject = np.concatenate(sub_s)
    sub_role = np.concatenate(sub_r)
    for s, r, i in zip(sub_subject, sub_role, sub_incident, strict=True):
        if r != "reporting_person":
            subjects.flags[s].add(str(r))
        if r == "victim" and category[i] in ("domestic", "sexual_offence") and rng.random() < 0.4:
            subjects.flags[s].add("vulnerable")
    suspects = np.unique(sub_subject[sub_role == "suspect"])
    for s in rng.choice(suspects, max(1, len(suspects) // 150), replace=False):
        subjects.flags[s].add("ocg_nominal")
    for s in rng.choice(len(subjects), max(1, len(subjects) // 2000), replace=False):
        subjects.flags[s].add("high_profile")

    width = len(str(n_incidents)) + 1
    ref = np.char.add("CAD", np.char.zfill(np.arange(n_incidents).astype(str), width))
    return Incidents(
        ref=ref,
        opened=opened,
        closed=closed,
        category=category,
        grade=rng.choice(GRADES, n_incidents, p=GRADE_P),
        postcode=postcodes(rng, outward),
        unit=unit,
        bcu=bcu,
        att_incident=att_incident,
        att_person=att_person,
        att_role=att_role,
        att_arrived=att_arrived,
        sub_incident=sub_incident,
        sub_subject=sub_subject,
        sub_role=sub_role,
    )
