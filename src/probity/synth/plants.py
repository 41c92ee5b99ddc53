"""Planted cases for every concern, and innocent look-alikes (decoys) for the detectors.

Every planted case and decoy is recorded in the world's ground truth, which is written beside
the export folder and never inside it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from probity.synth.conduct import complaint_row, conduct_case_row
from probity.synth.duty import CODE, SHIFT_HOURS, SHIFT_START_H, WORKING, Spell
from probity.synth.lookups import LogBlock
from probity.synth.names import variant_forename
from probity.synth.register import company, directorship_row
from probity.synth.world import World

# The force's nightly accommodation rate: a round sum many people claim.
FIXED_ACCOMMODATION_RATE = 95.0


class Picker:
    """Draws people for plants and decoys, each person used once, serving the whole period."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.used: set[int] = set()
        self.full = world.employed.all(axis=1)

    def take(self, mask: np.ndarray, k: int) -> list[int]:
        candidates = [int(i) for i in np.flatnonzero(mask & self.full) if int(i) not in self.used]
        if not candidates:
            return []
        chosen = self.world.rng.choice(candidates, min(k, len(candidates)), replace=False)
        self.used.update(int(c) for c in chosen)
        return [int(c) for c in chosen]


def _at(world: World, day: int, minute: int) -> np.datetime64:
    return world.date(day).astype("datetime64[s]") + np.timedelta64(int(minute) * 60, "s")


def _officers_at_incidents(
    world: World, pick: Picker, rows: np.ndarray, k: int
) -> Iterator[tuple[int, int]]:
    """Up to k officers who attended one of the attendance `rows`, each with one of their rows,
    drawn at random."""
    inc = world.incidents
    attended = np.zeros(world.n, dtype=bool)
    attended[inc.att_person[rows]] = True
    for person in pick.take(attended & (world.people.staff_type == "officer"), k):
        yield person, int(world.rng.choice(rows[inc.att_person[rows] == person]))


def _with_peers(world: World, others: int = 5) -> np.ndarray:
    """People whose role × unit kind × rank group has at least `others` other members: the
    detectors that compare with peers can assess nobody else."""
    p = world.people
    groups = np.array(
        [
            f"{r}|{k}|{rank}"
            for r, k, rank in zip(p.role, world.units.kind[p.unit], p.rank, strict=True)
        ]
    )
    _, inverse, counts = np.unique(groups, return_inverse=True, return_counts=True)
    return counts[inverse] - 1 >= others


def _off_duty_days(world: World, person: int) -> np.ndarray:
    return np.flatnonzero(world.duty[person] == CODE["rest_day"])


def _lookups(
    world: World, person: int, subject: int, times: list[np.datetime64], incident: int = -1
) -> None:
    """Look-ups of one record subject by the person, citing `incident` (or nothing)."""
    n = len(times)
    world.extra_lookups.append(
        LogBlock(
            time=np.array(times, dtype="datetime64[s]"),
            account=np.full(n, world.account_of[person]),
            subject_kind=np.zeros(n, dtype=np.int64),
            subject=np.full(n, subject),
            linked=np.full(n, incident),
        )
    )


def _scattered_times(world: World, person: int, n: int, after_day: int = 0) -> list[np.datetime64]:
    """Half off duty in the evening, half during shifts, spread over the period."""
    rng = world.rng
    off = _off_duty_days(world, person)
    off = off[off >= after_day]
    on = np.flatnonzero(np.isin(world.duty[person], WORKING))
    on = on[on >= after_day]
    times = []
    for j in range(n):
        if j % 2 == 0 and len(off):
            times.append(_at(world, int(rng.choice(off)), int(rng.integers(19 * 60, 23 * 60))))
        elif len(on):
            d = int(rng.choice(on))
            code = world.duty[person, d]
            times.append(
                _at(
                    world,
                    d,
                    int(SHIFT_START_H[code] * 60 + rng.integers(30, SHIFT_HOURS[code] * 60 - 30)),
                )
            )
    return times


def plant_relative_lookups(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    nok = world.nok
    has_nok = np.zeros(world.n, dtype=bool)
    has_nok[np.array(nok["person"], dtype=np.int64)] = True
    for person in pick.take(has_nok & (world.people.staff_type != "special"), k):
        rows = [j for j, p in enumerate(nok["person"]) if p == person]
        j = int(rng.choice(rows))
        subject = nok.get("subject", [None] * len(nok["person"]))[j]
        if subject is None:
            subject = world.subjects.add(
                nok["surname"][j],
                variant_forename(rng, nok["forenames"][j]),
                nok["date_of_birth"][j],
                nok["postcode"][j],
                int(world.person_bcu[person]),
                {"victim"} if rng.random() < 0.5 else set(),
            )
            world.links.append(
                {
                    "task": "record_subject_relative",
                    "record_id": str(world.subjects.subject_id[subject]),
                    "person_id": str(world.people.person_id[person]),
                    "relationship": nok["relationship"][j],
                }
            )
        n = int(rng.integers(4, 10))
        _lookups(world, person, subject, _scattered_times(world, person, n))
        world.plant(
            person,
            "information_misuse",
            "relative_lookup",
            f"{n} look-ups of their {nok['relationship'][j]}",
        )


def plant_victim_pursuit(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    inc = world.incidents
    sensitive = np.isin(inc.category, ["domestic", "sexual_offence"])
    victim_of = {
        int(i): int(s)
        for i, s, r in zip(inc.sub_incident, inc.sub_subject, inc.sub_role, strict=True)
        if r == "victim"
    }
    rows = np.flatnonzero(sensitive[inc.att_incident] & np.isin(inc.att_incident, list(victim_of)))
    for person, a in _officers_at_incidents(world, pick, rows, k):
        incident = int(inc.att_incident[a])
        victim = victim_of[incident]
        world.subjects.flags[victim].update({"victim", "vulnerable"})
        closed_day = (
            int(
                (inc.closed[incident].astype("datetime64[D]") - world.day0) / np.timedelta64(1, "D")
            )
            + 3
        )
        n = int(rng.integers(5, 11))
        times = _scattered_times(world, person, n, after_day=min(closed_day, world.days - 30))
        _lookups(world, person, victim, times)
        world.plant(
            person,
            "abuse_of_position_sexual",
            "victim_lookups_after_closure",
            f"{n} look-ups of a vulnerable victim after incident {inc.ref[incident]} closed",
        )
        if rng.random() < 0.5:
            day = (
                int(rng.integers(closed_day, world.days))
                if closed_day < world.days
                else world.days - 1
            )
            world.add_row(
                "complaints",
                complaint_row(world, person, day, "abuse_of_position_sexual", "colleague"),
            )


def plant_nominal_lookups(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    nominals = np.array([i for i, f in enumerate(world.subjects.flags) if "ocg_nominal" in f])
    for person in pick.take((world.people.staff_type == "officer") & _with_peers(world), k):
        total = 0
        for subject in rng.choice(nominals, min(2, len(nominals)), replace=False):
            n = int(rng.integers(3, 7))
            total += n
            _lookups(world, person, int(subject), _scattered_times(world, person, n))
        world.plant(
            person,
            "corrupt_association",
            "nominal_lookups",
            f"{total} look-ups of organised-crime nominals with no reference",
        )


def plant_undeclared_directorships(world: World, pick: Picker, k: int, serial: list[int]) -> None:
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        serial[0] += 1
        number, name = company(world.rng, serial[0])
        appointed = world.date(int(world.rng.integers(0, world.days - 30)))
        # Planted cases are clear ones: registered at the person's home address.
        row = directorship_row(world, person, number, name, appointed, home_postcode_share=1.0)
        world.add_row("company_officers", row)
        world.links.append(
            {
                "task": "company_officer",
                "record_id": number,
                "person_id": str(world.people.person_id[person]),
            }
        )
        world.plant(
            person,
            "undeclared_interest",
            "undeclared_directorship",
            f"director of {name} ({number}), not declared",
        )


def _overtime(
    world: World, person: int, day: int, start_h: float, hours: float, reason: str
) -> None:
    start = world.date(day).astype("datetime64[m]") + np.timedelta64(int(start_h * 60), "m")
    world.add_row(
        "overtime_claims",
        {
            "person": person,
            "work_date": world.date(day),
            "start_time": start,
            "end_time": start + np.timedelta64(int(hours * 60), "m"),
            "hours": hours,
            "reason_code": reason,
            "operation_ref": "OP-MERIDIAN" if reason in ("operation", "event") else None,
            "submitted_date": world.date(day) + np.timedelta64(int(world.rng.integers(2, 15)), "D"),
        },
    )


def plant_claims_while_absent(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    absent = np.isin(world.duty, [CODE["sick"], CODE["annual_leave"]])
    enough = absent.sum(axis=1) >= 8
    for person in pick.take(enough & np.isin(world.people.staff_type, ["officer", "pcso"]), k):
        days = rng.choice(np.flatnonzero(absent[person]), int(rng.integers(3, 7)), replace=False)
        for day in days:
            _overtime(
                world,
                person,
                int(day),
                8,
                float(rng.choice([6.0, 8.0, 10.0])),
                str(rng.choice(["event", "operation", "cover"])),
            )
        world.plant(
            person,
            "claims_and_attendance",
            "overtime_while_absent",
            f"{len(days)} overtime claims on days rostered sick or on leave",
        )


def plant_complaint_pattern(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    public = np.isin(world.units.kind[world.people.unit], ["response", "neighbourhood"]) & (
        world.people.staff_type == "officer"
    )
    for person in pick.take(public & _with_peers(world), k):
        theme = str(rng.choice(["discriminatory_behaviour", "individual_behaviour"]))
        n = int(rng.integers(6, 10))
        for day in rng.choice(world.days, n, replace=False):
            world.add_row(
                "complaints",
                complaint_row(world, person, int(day), theme if rng.random() < 0.8 else "other"),
            )
        world.plant(
            person, "complaint_pattern", "repeated_theme", f"{n} complaints, mostly {theme}"
        )


def plant_use_of_powers(world: World, pick: Picker, k: int) -> None:
    attended = np.bincount(world.incidents.att_person, minlength=world.n)
    # Constables: force is mostly theirs to use, and they have peers enough to compare with.
    constables = (world.units.kind[world.people.unit] == "response") & (world.people.rank == "PC")
    for person in pick.take(constables & (attended >= 10), k):
        world.multiplier("force")[person] = 8.0
        world.multiplier("searches")[person] = 3.0
        world.plant(
            person,
            "use_of_powers",
            "force_far_above_peers",
            "use of force about eight times the rate of peers",
        )


def plant_vetting(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    for i, person in enumerate(pick.take(np.ones(world.n, dtype=bool), k)):
        if i % 2 == 0:
            world.vetting_override[person] = ("RV", "active", world.days + 2000)
            detail = "holds RV vetting, below the unit's requirement"
        else:
            world.vetting_override[person] = (
                "NPPV2",
                "lapsed",
                int(rng.integers(0, world.days - 60)),
            )
            detail = "vetting lapsed while serving"
        world.plant(person, "vetting_compliance", "vetting_gap", detail)


def plant_fatigue(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    response = world.units.kind[world.people.unit] == "response"
    for person in pick.take(response & (world.people.staff_type == "officer"), k):
        first = int(rng.integers(0, max(1, world.days - 120)))
        window = np.arange(first, min(world.days, first + 120))
        rest = window[world.duty[person, window] == CODE["rest_day"]]
        world.duty[person, rest[rng.random(len(rest)) < 0.85]] = CODE["late"]
        for day in window[np.isin(world.duty[person, window], WORKING)][::2]:
            code = world.duty[person, day]
            _overtime(
                world,
                person,
                int(day),
                float(SHIFT_START_H[code] + SHIFT_HOURS[code]),
                3.0,
                "late_turn_out",
            )
        world.plant(
            person,
            "welfare",
            "sustained_hours",
            "120 days with almost no rest days and frequent late turn-outs",
        )


def plant_team_culture(world: World, pick: Picker) -> None:
    """Several members of one sergeant's team in a response unit with discriminatory-
    behaviour allegations: the team, not one person, is the concern."""
    rng = world.rng
    response = world.units.kind[world.people.unit] == "response"
    officers = response & (world.people.staff_type == "officer") & pick.full
    reports = np.bincount(world.manager[officers & (world.manager >= 0)], minlength=world.n)
    manager = int(np.argmax(reports))
    team = (world.manager == manager) & officers
    members = pick.take(team, 7)
    code = str(world.units.code[world.people.unit[manager]])
    for person in members:
        for day in rng.choice(world.days, int(rng.integers(2, 4)), replace=False):
            world.add_row(
                "complaints",
                complaint_row(
                    world,
                    person,
                    int(day),
                    "discriminatory_behaviour",
                    str(rng.choice(["public", "colleague"])),
                ),
            )
        world.add_row(
            "conduct_cases",
            conduct_case_row(
                world,
                person,
                world.date(int(rng.integers(0, world.days))),
                "discriminatory_behaviour",
                "internal_report",
                None,
            ),
        )
        world.plant(
            person,
            "team_culture",
            "unit_cluster",
            f"one of several in a team in {code} with discriminatory-behaviour allegations",
            unit_code=code,
        )


def plant_high_profile_browsing(world: World, pick: Picker, k: int) -> None:
    """Curiosity about a high-profile person's record, returned to on several days."""
    rng = world.rng
    famous = np.array([i for i, f in enumerate(world.subjects.flags) if "high_profile" in f])
    if not len(famous):
        return
    for person in pick.take(world.people.staff_type != "special", k):
        subject = int(rng.choice(famous))
        days = int(rng.integers(5, 9))
        times = _scattered_times(world, person, days * 3)
        by_day = {str(t.astype("datetime64[D]")): t for t in times}
        chosen = list(by_day.values())[:days]
        _lookups(world, person, subject, chosen)
        world.plant(
            person,
            "information_misuse",
            "high_profile_browsing",
            f"looked up high-profile record {world.subjects.subject_id[subject]} on {len(chosen)} days, no reference",
        )


def plant_phantom_overtime(world: World, pick: Picker, k: int) -> None:
    """Rest-day overtime claimed with nothing to show the person was at work."""
    rng = world.rng
    officers = np.isin(world.people.staff_type, ["officer", "pcso"])
    for person in pick.take(officers, k):
        # Not the morning a night shift ends: the claim is for a day otherwise off.
        rest = _off_duty_days(world, person)
        rest = rest[(rest == 0) | (world.duty[person, np.maximum(rest - 1, 0)] != CODE["night"])]
        days = rng.choice(rest, min(len(rest), int(rng.integers(8, 13))), replace=False)
        for day in days:
            _overtime(world, person, int(day), 8, float(rng.choice([8.0, 9.0, 10.0])), "cover")
        world.plant(
            person,
            "claims_and_attendance",
            "uncorroborated_overtime",
            f"{len(days)} rest-day overtime claims with no badge, look-up or incident in the hours claimed",
        )


def plant_search_outcomes(world: World, pick: Picker, k: int) -> None:
    """Many searches that rarely find anything, of people who are mostly Black."""
    # Constables: searching is their work, and they have peers enough to compare with.
    constables = (world.units.kind[world.people.unit] == "response") & (world.people.rank == "PC")
    for i, person in enumerate(pick.take(constables, k)):
        world.multiplier("searches")[person] = 8.0
        # Half find almost nothing; the other half also search mostly Black people.
        world.search_profile[person] = (0.01, 0.0) if i % 2 == 0 else (0.03, 0.6)
        world.plant(
            person,
            "use_of_powers",
            "search_outcomes_out_of_line",
            "eight times the searches of peers, almost none finding anything"
            + ("" if i % 2 == 0 else ", mostly of Black people"),
        )


def _expense(world: World, person: int, day: int, category: str, amount: float) -> None:
    world.add_row(
        "expense_claims",
        {
            "person": person,
            "claim_date": world.date(day),
            "category": category,
            "amount_gbp": amount,
            "description": f"{category} claim",
        },
    )


def plant_duplicate_expenses(world: World, pick: Picker, k: int) -> None:
    """The same expense claimed twice: same day, category and amount."""
    rng = world.rng
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        n = int(rng.integers(3, 6))
        for day in rng.choice(world.days, n, replace=False):
            category = str(rng.choice(["travel", "subsistence", "accommodation"]))
            amount = round(float(rng.lognormal(3.5, 0.6)), 2)
            _expense(world, person, int(day), category, amount)
            _expense(world, person, int(day), category, amount)
        world.plant(
            person,
            "claims_and_attendance",
            "duplicate_expenses",
            f"{n} expense claims submitted twice",
        )


def _relatives_made_nominals(world: World, pick: Picker, k: int) -> Iterator[tuple[int, int]]:
    """Up to k people with a relative already on police records, that relative now flagged as
    an organised-crime nominal; each with the index of the relative in the next-of-kin lists."""
    rows = [j for j, s in enumerate(world.nok.get("subject", [])) if s is not None]
    has = np.zeros(world.n, dtype=bool)
    has[[world.nok["person"][j] for j in rows]] = True
    for person in pick.take(has, k):
        j = next(j for j in rows if world.nok["person"][j] == person)
        world.subjects.flags[world.nok["subject"][j]].add("ocg_nominal")
        yield person, j


def plant_nominal_relatives(world: World, pick: Picker, k: int) -> None:
    """A relative on police records as an organised-crime nominal, never declared."""
    for person, j in _relatives_made_nominals(world, pick, k):
        world.plant(
            person,
            "corrupt_association",
            "nominal_relative_undeclared",
            f"their {world.nok['relationship'][j]} is an organised-crime nominal, not declared",
        )


def plant_rounded_expenses(world: World, pick: Picker, k: int) -> None:
    """Expense claims that are nearly all round sums: estimates, not receipts."""
    rng = world.rng
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        n = int(rng.integers(8, 13))
        for day in rng.choice(world.days, n, replace=False):
            category = str(rng.choice(["travel", "subsistence", "other"]))
            _expense(world, person, int(day), category, float(10 * rng.integers(2, 13)))
        world.plant(
            person,
            "claims_and_attendance",
            "rounded_expenses",
            f"{n} expense claims, every one a round sum",
        )


def _attend(world: World, person: int, incidents: np.ndarray) -> None:
    """Add the person to the attendance of `incidents`, arriving soon after each opened."""
    inc = world.incidents
    n = len(incidents)
    inc.att_incident = np.append(inc.att_incident, incidents)
    inc.att_person = np.append(inc.att_person, np.full(n, person))
    inc.att_role = np.append(inc.att_role, np.full(n, "attending"))
    inc.att_arrived = np.append(
        inc.att_arrived,
        inc.opened[incidents] + world.rng.integers(3, 30, n).astype("timedelta64[m]"),
    )


def _calls_while_on_duty(world: World, person: int, wanted: np.ndarray, days: int) -> np.ndarray:
    """Incidents matching `wanted` in the person's area, opened on days they were working within
    a window of `days` at a random place in the period, that they did not already attend."""
    inc = world.incidents
    first = int(world.rng.integers(0, max(1, world.days - days)))
    day = ((inc.opened.astype("datetime64[D]") - world.day0) / np.timedelta64(1, "D")).astype(int)
    inside = (day >= first) & (day < first + days)
    working = np.isin(world.duty[person, np.clip(day, 0, world.days - 1)], WORKING)
    already = np.zeros(len(inc.ref), dtype=bool)
    already[inc.att_incident[inc.att_person == person]] = True
    return np.flatnonzero(
        wanted & inside & working & ~already & (inc.bcu == world.person_bcu[person])
    )


def plant_traumatic_exposure(world: World, pick: Picker, k: int) -> None:
    """Three months sent to one emergency call about a sexual offence, violence or a sudden
    death after another."""
    inc = world.incidents
    traumatic = np.isin(inc.category, ["sexual_offence", "violence", "concern_for_welfare"]) & (
        inc.grade == "immediate"
    )
    response = (world.units.kind[world.people.unit] == "response") & (
        world.people.staff_type == "officer"
    )
    for person in pick.take(response, k):
        calls = _calls_while_on_duty(world, person, traumatic, 90)
        calls = world.rng.choice(calls, min(len(calls), 20), replace=False)
        _attend(world, person, calls)
        world.plant(
            person,
            "welfare",
            "traumatic_exposure",
            f"sent to {len(calls)} more emergency calls to sexual offences, violence or sudden "
            "deaths within three months",
        )


def plant_sickness_rise(world: World, pick: Picker, k: int) -> None:
    """After a steady record, many short sickness absences in the last six months. Needs two
    years of history: a rise is only a rise against a record."""
    if world.days < 2 * 365:
        return
    rng = world.rng
    spells = np.bincount(
        [s.person for s in world.spells if s.kind == "sickness"], minlength=world.n
    )
    for person in pick.take(spells <= 2 * world.days / 365, k):
        working = np.flatnonzero(
            np.isin(world.duty[person, world.days - 180 : world.days - 3], WORKING)
        )
        n = min(len(working), int(rng.integers(8, 11)))
        for first in world.days - 180 + np.sort(rng.choice(working, n, replace=False)):
            last = min(world.days - 1, int(first) + int(rng.integers(0, 3)))
            world.duty[person, first : last + 1] = CODE["sick"]
            reason = "mental_health" if rng.random() < 0.7 else "other"
            world.spells.append(Spell(person, "sickness", int(first), last, reason))
        world.plant(
            person,
            "welfare",
            "sickness_rise",
            f"{n} short sickness absences in the last six months after a steady record",
        )


def _resident_at_home(world: World, person: int, surname: str, flags: set[str]) -> int:
    """A new record subject living at the person's home postcode."""
    rng = world.rng
    dob = world.date(0) - np.timedelta64(int(rng.integers(20 * 365, 50 * 365)), "D")
    forenames = str(rng.choice(["Dean", "Kyle", "Jordan", "Lee", "Ryan", "Tyler", "Connor"]))
    return world.subjects.add(
        surname,
        forenames,
        dob,
        str(world.people.home_postcode[person]),
        int(world.person_bcu[person]),
        flags,
    )


def plant_nominal_at_home(world: World, pick: Picker, k: int) -> None:
    """An organised-crime nominal of the officer's surname at the officer's address: no next of
    kin names them, but the household is a tie all the same, and it was never declared."""
    for person in pick.take(world.people.staff_type == "officer", k):
        subject = _resident_at_home(
            world, person, str(world.people.surname[person]), {"ocg_nominal", "suspect"}
        )
        world.plant(
            person,
            "corrupt_association",
            "nominal_relative_undeclared",
            f"organised-crime nominal {world.subjects.subject_id[subject]} lives at their address "
            "with their surname, not declared",
        )


def _attended_days(world: World, person: int) -> np.ndarray:
    inc = world.incidents
    arrived = inc.att_arrived[inc.att_person == person].astype("datetime64[D]")
    return ((arrived - world.day0) / np.timedelta64(1, "D")).astype(int)


def plant_absent_from_base(world: World, pick: Picker, k: int) -> None:
    """Day shifts at the office on the roster for months, two in five with no trace of the
    person: no badge swipe, no look-up, no incident."""
    rng = world.rng
    office = ~np.isin(
        world.units.kind[world.people.unit],
        ["response", "neighbourhood", "public_order", "custody"],
    ) & (world.people.role != "Call handler")
    office &= np.isin(world.people.staff_type, ["officer", "staff"])
    for person in pick.take(office, k):
        first = int(rng.integers(0, max(1, world.days - 182)))
        window = np.arange(first, min(world.days, first + 182))
        shifts = window[world.duty[person, window] == CODE["day"]]
        shifts = shifts[~np.isin(shifts, _attended_days(world, person))]
        unseen = np.sort(rng.choice(shifts, int(0.4 * len(shifts)), replace=False))
        world.unseen_days[person] = unseen
        world.plant(
            person,
            "claims_and_attendance",
            "rostered_no_activity",
            f"{len(unseen)} rostered day shifts in six months with no badge swipe or look-up",
        )


def _colleague_on_record(world: World, person: int, flags: set[str]) -> int | None:
    """Put a colleague from the person's unit on police records (e.g. as the victim of a
    domestic incident), linked to them in the truth; return the record's index."""
    same_unit = np.flatnonzero(
        (world.people.unit == world.people.unit[person]) & (np.arange(world.n) != person)
    )
    if not len(same_unit):
        return None
    colleague = int(world.rng.choice(same_unit))
    subject = world.subjects.add(
        str(world.people.surname[colleague]),
        str(world.people.forenames[colleague]),
        world.people.date_of_birth[colleague],
        str(world.people.home_postcode[colleague]),
        int(world.person_bcu[colleague]),
        flags,
    )
    world.links.append(
        {
            "task": "record_subject_person",
            "record_id": str(world.subjects.subject_id[subject]),
            "person_id": str(world.people.person_id[colleague]),
        }
    )
    return subject


def plant_acquaintance_lookups(world: World, pick: Picker, k: int) -> None:
    """Repeated look-ups, some off duty, of a colleague on record or of a neighbour."""
    rng = world.rng
    surnames = set(world.people.surname)
    neighbour_surname = next(s for s in ("Nowicki", "Abara", "Lindqvist") if s not in surnames)
    for i, person in enumerate(pick.take(world.people.staff_type == "officer", k)):
        if i % 2 == 0:
            subject = _colleague_on_record(world, person, {"victim"})
            tie = "a colleague in their unit"
        else:
            subject = _resident_at_home(world, person, neighbour_surname, {"witness"})
            tie = "a neighbour"
        if subject is None:
            continue
        n = int(rng.integers(4, 8))
        _lookups(world, person, subject, _scattered_times(world, person, n))
        world.plant(person, "information_misuse", "acquaintance_lookups", f"{n} look-ups of {tie}")


def plant_lookups_while_sick(world: World, pick: Picker, k: int) -> None:
    """Look-ups from home on days off sick: nothing on the roster, nothing to do with work."""
    rng = world.rng
    sick_days = (world.duty == CODE["sick"]).sum(axis=1)
    local = [
        np.flatnonzero(world.subjects.bcu == b) for b in range(int(world.subjects.bcu.max()) + 1)
    ]
    for person in pick.take((sick_days >= 3) & (world.people.staff_type == "officer"), k):
        days = rng.choice(np.flatnonzero(world.duty[person] == CODE["sick"]), 3, replace=False)
        pool = local[int(world.person_bcu[person])]
        n = 0
        for day in days:
            for _ in range(int(rng.integers(2, 4))):
                when = _at(world, int(day), int(rng.integers(10 * 60, 22 * 60)))
                _lookups(world, person, int(rng.choice(pool)), [when])
                n += 1
        world.plant(
            person,
            "information_misuse",
            "lookups_while_absent",
            f"{n} look-ups on three days off sick",
        )


def plant_never_cites(world: World, pick: Picker, k: int) -> None:
    """A responder whose look-ups never cite the incident they were for, where colleagues'
    mostly do: what was looked up for work cannot be told from what was not."""
    attended = np.bincount(world.incidents.att_person, minlength=world.n)
    constables = (world.units.kind[world.people.unit] == "response") & (world.people.rank == "PC")
    for person in pick.take(constables & (attended >= 20), k):
        world.never_cite.add(person)
        world.plant(
            person,
            "information_misuse",
            "unreferenced_lookups",
            "cites no reference in any look-up, where peers cite the incident for most",
        )


# --- decoys -------------------------------------------------------------------------------


def decoy_busy_analysts(world: World, pick: Picker, k: int) -> None:
    for person in pick.take(world.people.role == "Intelligence analyst", k):
        world.decoy(
            person,
            "information_misuse",
            "intelligence analyst: very high look-up volume, all in role",
        )


def decoy_intelligence_nominal_work(world: World, pick: Picker, k: int) -> None:
    """Analysts return to nominals as their job; so do their peers (see `routine_lookups`)."""
    for person in pick.take(world.people.role == "Intelligence analyst", k):
        world.decoy(
            person,
            "corrupt_association",
            "intelligence analyst: repeated nominal look-ups, as peers",
        )


def decoy_namesake_lookups(world: World, pick: Picker, k: int) -> None:
    """Officers who, on duty and citing the incident, look up a stranger who shares their surname."""
    rng = world.rng
    inc = world.incidents
    every_row = np.arange(len(inc.att_person))
    for person, a in _officers_at_incidents(world, pick, every_row, k):
        incident = int(inc.att_incident[a])
        dob = world.people.date_of_birth[person] + np.timedelta64(
            int(rng.integers(3000, 9000)), "D"
        )
        subject = world.subjects.add(
            str(world.people.surname[person]),
            str(rng.choice(world.subjects.forenames)),
            dob,
            str(rng.choice(world.subjects.postcode)),
            int(world.person_bcu[person]),
            {"witness"},
        )
        world.add_row(
            "incident_subjects",
            {"incident": incident, "subject": subject, "subject_role": "witness"},
        )
        times = [
            inc.att_arrived[a].astype("datetime64[s]")
            + np.timedelta64(int(rng.integers(600, 7200)), "s")
            for _ in range(3)
        ]
        _lookups(world, person, subject, times, incident)
        world.decoy(
            person,
            "information_misuse",
            "looked up a namesake witness, citing an incident they attended",
        )


def decoy_public_order_exposure(world: World, pick: Picker, k: int) -> None:
    po = (world.units.kind[world.people.unit] == "public_order") & (
        world.people.staff_type == "officer"
    )
    for person in pick.take(po, k):
        world.multiplier("searches")[person] = 3.0
        world.multiplier("complaints")[person] = 3.0
        world.decoy(
            person,
            "complaint_pattern",
            "public-order officer: many complaints, in proportion to searches",
        )


def decoy_declared_interests(world: World, pick: Picker, k: int, serial: list[int]) -> None:
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        serial[0] += 1
        number, name = company(world.rng, serial[0])
        appointed = world.date(int(world.rng.integers(0, world.days - 30)))
        world.add_row("company_officers", directorship_row(world, person, number, name, appointed))
        world.add_row(
            "declarations",
            {
                "person": person,
                "kind": "business_interest",
                "counterpart_name": name,
                "company_number": number,
                "details": "director, family business",
                "declared_date": appointed - np.timedelta64(20, "D"),
                "decision": "approved",
            },
        )
        world.links.append(
            {
                "task": "company_officer",
                "record_id": number,
                "person_id": str(world.people.person_id[person]),
            }
        )
        world.decoy(person, "undeclared_interest", f"declared directorship of {name}")


def decoy_register_namesakes(world: World, pick: Picker, k: int, serial: list[int]) -> None:
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        serial[0] += 1
        number, name = company(world.rng, serial[0])
        row = directorship_row(world, person, number, name, world.date(10))
        row["birth_year"] = int(row["birth_year"]) + int(world.rng.choice([-9, -5, 6, 11]))
        row["postcode"] = str(world.rng.choice(world.subjects.postcode))
        world.add_row("company_officers", row)
        world.links.append({"task": "company_officer", "record_id": number, "person_id": None})
        world.decoy(person, "undeclared_interest", "a namesake of theirs is a company director")


def decoy_event_overtime(world: World, pick: Picker, k: int) -> None:
    rng = world.rng
    officers = np.isin(world.people.staff_type, ["officer"])
    for person in pick.take(officers, k):
        rest = _off_duty_days(world, person)
        for day in rng.choice(rest, min(4, len(rest)), replace=False):
            _overtime(world, person, int(day), 8, 10.0, "event")
            site = f"{world.units.code[world.people.unit[person]]}-STN"
            world.add_row(
                "building_access",
                {
                    "person": person,
                    "event_time": _at(world, int(day), 7 * 60 + 45),
                    "site_code": site,
                    "direction": "in",
                },
            )
            world.add_row(
                "building_access",
                {
                    "person": person,
                    "event_time": _at(world, int(day), 18 * 60 + 10),
                    "site_code": site,
                    "direction": "out",
                },
            )
        world.decoy(
            person, "claims_and_attendance", "big-event overtime on rest days, badge records match"
        )


def decoy_victim_follow_up(world: World, pick: Picker, k: int) -> None:
    """Officers who follow up a vulnerable victim after closure, citing the incident."""
    rng = world.rng
    inc = world.incidents
    victims = {
        int(i): int(s)
        for i, s, r in zip(inc.sub_incident, inc.sub_subject, inc.sub_role, strict=True)
        if r == "victim" and inc.category[i] == "domestic"
    }
    rows = np.flatnonzero(np.isin(inc.att_incident, list(victims)))
    for person, a in _officers_at_incidents(world, pick, rows, k):
        incident = int(inc.att_incident[a])
        victim = victims[incident]
        world.subjects.flags[victim].update({"victim", "vulnerable"})
        closed = inc.closed[incident].astype("datetime64[s]")
        times = [closed + np.timedelta64(int(rng.integers(3, 20)) * 86400, "s") for _ in range(4)]
        _lookups(world, person, victim, times, incident)
        world.decoy(
            person,
            "abuse_of_position_sexual",
            "safeguarding follow-up of a victim after closure, citing the incident",
        )


def decoy_event_fortnight(world: World, pick: Picker, k: int) -> None:
    """A fortnight of long days for a big event: heavy, but short-lived."""
    rng = world.rng
    response = world.units.kind[world.people.unit] == "response"
    for person in pick.take(response & (world.people.staff_type == "officer"), k):
        first = int(rng.integers(0, max(1, world.days - 14)))
        for day in range(first, first + 14):
            if world.duty[person, day] == CODE["rest_day"]:
                world.duty[person, day] = CODE["day"]
            code = world.duty[person, day]
            if code in WORKING:
                _overtime(
                    world, person, day, float(SHIFT_START_H[code] + SHIFT_HOURS[code]), 4.0, "event"
                )
        world.decoy(person, "welfare", "two weeks of long days for a big event, then normal hours")


def decoy_busiest_responders(world: World, pick: Picker, k: int) -> None:
    """The response officers who attend the most incidents: more force, in proportion."""
    attended = np.bincount(world.incidents.att_person, minlength=world.n)
    response = (world.units.kind[world.people.unit] == "response") & (
        world.people.staff_type == "officer"
    )
    busiest = response & (attended >= np.quantile(attended[response], 0.9))
    for person in pick.take(busiest, k):
        world.decoy(
            person,
            "use_of_powers",
            "attends the most incidents: many uses of force, at the usual rate",
        )


def decoy_scattered_allegations(world: World, pick: Picker, k: int) -> None:
    """Single discriminatory-behaviour complaints in different teams: no cluster."""
    rng = world.rng
    public = np.isin(world.units.kind[world.people.unit], ["response", "neighbourhood"])
    cluster = {p["person_id"] for p in world.planted if p["concern"] == "team_culture"}
    cluster_managers = {
        int(world.manager[i])
        for i in np.flatnonzero(np.isin(world.people.person_id, list(cluster)))
    }
    outside = ~np.isin(world.manager, list(cluster_managers))
    taken_units: set[int] = set()
    for person in pick.take(public & outside & (world.people.staff_type == "officer"), 4 * k):
        unit = int(world.people.unit[person])
        if unit in taken_units or len(taken_units) >= k:
            pick.used.discard(person)
            continue
        taken_units.add(unit)
        day = int(rng.integers(0, world.days))
        world.add_row("complaints", complaint_row(world, person, day, "discriminatory_behaviour"))
        world.decoy(
            person, "team_culture", "one discriminatory-behaviour complaint, alone in their team"
        )


def decoy_renewed_vetting(world: World, pick: Picker, k: int) -> None:
    """An old clearance lapsed long ago, replaced by the current one."""
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        world.add_row(
            "vetting",
            {
                "person": person,
                "vetting_level": "NPPV2",
                "granted_date": world.date(0) - np.timedelta64(4000, "D"),
                "expiry_date": world.date(0) - np.timedelta64(400, "D"),
                "status": "lapsed",
            },
        )
        world.decoy(person, "vetting_compliance", "an old clearance lapsed; a current one is held")


def decoy_overtime_after_sickness(world: World, pick: Picker, k: int) -> None:
    sick_end = {}
    for s in world.spells:
        if (
            s.kind == "sickness"
            and s.last_day + 1 < world.days
            and world.duty[s.person, s.last_day + 1] in WORKING
        ):
            sick_end[s.person] = s.last_day + 1
    mask = np.zeros(world.n, dtype=bool)
    mask[list(sick_end)] = True
    for person in pick.take(mask & (world.people.staff_type == "officer"), k):
        day = sick_end[person]
        code = world.duty[person, day]
        _overtime(
            world, person, day, float(SHIFT_START_H[code] + SHIFT_HOURS[code]), 2.0, "late_turn_out"
        )
        world.decoy(
            person, "claims_and_attendance", "late turn-out on the first day back from sickness"
        )


def decoy_high_volume_searchers(world: World, pick: Picker, k: int) -> None:
    """Officers who search eight times as often as peers, with ordinary outcomes and mix."""
    constables = (world.units.kind[world.people.unit] == "response") & (world.people.rank == "PC")
    for person in pick.take(constables, k):
        world.multiplier("searches")[person] = 8.0
        world.decoy(person, "use_of_powers", "many searches, ordinary outcomes and subjects")


def decoy_case_investigator(world: World, pick: Picker, k: int) -> None:
    """An officer in charge of a case who returns to its subject's record on many days,
    citing the incident each time."""
    inc = world.incidents
    has_subject = np.zeros(len(inc.ref), dtype=bool)
    has_subject[inc.sub_incident] = True
    rows = np.flatnonzero(has_subject[inc.att_incident])
    for person, a in _officers_at_incidents(world, pick, rows, k):
        incident = int(inc.att_incident[a])
        subject = int(inc.sub_subject[int(np.flatnonzero(inc.sub_incident == incident)[0])])
        world.subjects.flags[subject].add("high_profile")
        opened = inc.opened[incident].astype("datetime64[s]")
        times = [opened + np.timedelta64(int(d) * 86400 + 3600, "s") for d in range(1, 40, 5)]
        _lookups(world, person, subject, times, incident)
        world.decoy(
            person,
            "information_misuse",
            "returns to a high-profile subject's record on many days, citing their own incident",
        )


def decoy_same_day_expenses(world: World, pick: Picker, k: int) -> None:
    """Travel and a meal on the same day, on several days: two claims, not one claimed twice."""
    rng = world.rng
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        for day in rng.choice(world.days, 4, replace=False):
            _expense(world, person, int(day), "travel", round(float(rng.lognormal(3.0, 0.5)), 2))
            _expense(world, person, int(day), "subsistence", 12.5)
        world.decoy(person, "claims_and_attendance", "travel and subsistence on the same days")


def decoy_declared_nominal_relatives(world: World, pick: Picker, k: int) -> None:
    """A relative who is a nominal, declared as a notifiable association as the rules require."""
    for person, j in _relatives_made_nominals(world, pick, k):
        world.add_row(
            "declarations",
            {
                "person": person,
                "kind": "notifiable_association",
                "counterpart_name": f"{world.nok['forenames'][j]} {world.nok['surname'][j]}",
                "counterpart_date_of_birth": world.nok["date_of_birth"][j],
                "details": f"my {world.nok['relationship'][j]}",
                "declared_date": world.date(0),
                "decision": "approved",
            },
        )
        world.decoy(
            person,
            "corrupt_association",
            "relative who is a nominal, declared as a notifiable association",
        )


def decoy_fixed_rate_accommodation(world: World, pick: Picker, k: int) -> None:
    """Nights away claimed at the force's fixed accommodation rate, a round sum many claim."""
    rng = world.rng
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        for day in rng.choice(world.days, int(rng.integers(8, 13)), replace=False):
            _expense(world, person, int(day), "accommodation", FIXED_ACCOMMODATION_RATE)
        world.decoy(
            person,
            "claims_and_attendance",
            "many nights away at the fixed accommodation rate, a round sum",
        )
    # Others stay away a night or two at the same rate.
    for person in rng.choice(np.flatnonzero(pick.full), 2 * k, replace=False):
        _expense(
            world,
            int(person),
            int(rng.integers(0, world.days)),
            "accommodation",
            FIXED_ACCOMMODATION_RATE,
        )


def decoy_heavy_ordinary_workload(world: World, pick: Picker, k: int) -> None:
    """A quarter of many calls, nearly none of them traumatic: busy, not exposed."""
    inc = world.incidents
    ordinary = np.isin(inc.category, ["theft", "traffic", "public_order", "other"])
    response = (world.units.kind[world.people.unit] == "response") & (
        world.people.staff_type == "officer"
    )
    for person in pick.take(response, k):
        calls = _calls_while_on_duty(world, person, ordinary, 90)
        _attend(world, person, world.rng.choice(calls, min(len(calls), 30), replace=False))
        world.decoy(person, "welfare", "three months of many calls, nearly none traumatic")


def decoy_longstanding_sickness(world: World, pick: Picker, k: int) -> None:
    """Frequent short sickness absences, steady for years (already managed): no change."""
    rng = world.rng
    for person in pick.take(np.ones(world.n, dtype=bool), k):
        for first in range(int(rng.integers(0, 60)), world.days - 3, 70):
            first = min(world.days - 4, first + int(rng.integers(0, 10)))
            world.duty[person, first : first + 2] = CODE["sick"]
            world.spells.append(Spell(person, "sickness", first, first + 1, "musculoskeletal"))
        world.decoy(person, "welfare", "short sickness absences every ten weeks, for years")


def decoy_nominal_neighbour(world: World, pick: Picker, k: int) -> None:
    """An organised-crime nominal lives in the same postcode: a neighbour, never looked up."""
    surnames = set(world.people.surname)
    for person in pick.take(world.people.staff_type == "officer", k):
        other = next(
            s for s in ("Kowalczyk", "Adeyemi", "Fitzgerald", "Nakamura") if s not in surnames
        )
        _resident_at_home(world, person, other, {"ocg_nominal", "suspect"})
        world.decoy(
            person,
            "corrupt_association",
            "an organised-crime nominal lives in the same postcode, a neighbour never looked up",
        )


def decoy_court_and_courses(world: World, pick: Picker, k: int) -> None:
    """Weeks at court and on courses: away from base, and rostered as such."""
    rng = world.rng
    investigators = (world.units.kind[world.people.unit] == "investigation") & (
        world.people.staff_type == "officer"
    )
    for person in pick.take(investigators, k):
        shifts = np.flatnonzero(world.duty[person] == CODE["day"])
        away = np.sort(rng.choice(shifts, min(len(shifts), 40), replace=False))
        world.duty[person, away] = np.where(
            rng.random(len(away)) < 0.5, CODE["court"], CODE["training"]
        )
        world.unseen_days[person] = away
        world.decoy(
            person,
            "claims_and_attendance",
            f"{len(away)} days at court or on courses, away from base and rostered so",
        )


def decoy_colleague_victim_case(world: World, pick: Picker, k: int) -> None:
    """The officer who attended a colleague's domestic incident looks up the colleague's
    record while the case is open, citing it."""
    inc = world.incidents
    rows = np.flatnonzero(inc.category[inc.att_incident] == "domestic")
    for person, a in _officers_at_incidents(world, pick, rows, k):
        incident = int(inc.att_incident[a])
        subject = _colleague_on_record(world, person, {"victim"})
        if subject is None:
            continue
        inc.sub_incident = np.append(inc.sub_incident, incident)
        inc.sub_subject = np.append(inc.sub_subject, subject)
        inc.sub_role = np.append(inc.sub_role, "victim")
        opened = inc.opened[incident].astype("datetime64[s]")
        times = [opened + np.timedelta64(int(m) * 60, "s") for m in (40, 95, 150)]
        _lookups(world, person, subject, times, incident)
        world.decoy(
            person,
            "information_misuse",
            "looks up a colleague who is the victim in an incident they attended, citing it",
        )


def decoy_back_before_sickness_ended(world: World, pick: Picker, k: int) -> None:
    """Back at work, on the roster, before the sickness absence recorded for them ended: the
    look-ups of those shifts fall inside the absence record."""
    spells = {
        s.person: s
        for s in world.spells
        if s.kind == "sickness" and s.last_day - s.first_day >= 4 and s.last_day < world.days
    }
    has = np.zeros(world.n, dtype=bool)
    has[list(spells)] = True
    for person in pick.take(has & (world.people.staff_type == "officer"), k):
        s = spells[person]
        world.duty[person, s.last_day - 2 : s.last_day + 1] = CODE["early"]
        world.decoy(
            person,
            "information_misuse",
            "back at work three days before the sickness absence recorded for them ended",
        )


def plant_all(world: World) -> None:
    pick = Picker(world)
    k = max(3, world.n // 1000)
    serial = [0]
    if world.settings.planted:  # a null world plants nothing and keeps the innocent look-alikes
        _plant_cases(world, pick, k, serial)
    _decoys(world, pick, k, serial)


def _plant_cases(world: World, pick: Picker, k: int, serial: list[int]) -> None:
    plant_relative_lookups(world, pick, k)
    plant_victim_pursuit(world, pick, k)
    plant_nominal_lookups(world, pick, k)
    plant_undeclared_directorships(world, pick, k, serial)
    plant_claims_while_absent(world, pick, k)
    plant_complaint_pattern(world, pick, k)
    plant_use_of_powers(world, pick, k)
    plant_vetting(world, pick, k)
    plant_fatigue(world, pick, k)
    plant_team_culture(world, pick)
    plant_high_profile_browsing(world, pick, k)
    plant_phantom_overtime(world, pick, k)
    plant_search_outcomes(world, pick, k)
    plant_duplicate_expenses(world, pick, k)
    plant_nominal_relatives(world, pick, k)
    plant_rounded_expenses(world, pick, k)
    plant_traumatic_exposure(world, pick, k)
    plant_sickness_rise(world, pick, k)
    plant_nominal_at_home(world, pick, k)
    plant_absent_from_base(world, pick, k)
    plant_acquaintance_lookups(world, pick, k)
    plant_lookups_while_sick(world, pick, k)
    plant_never_cites(world, pick, k)


def _decoys(world: World, pick: Picker, k: int, serial: list[int]) -> None:
    decoy_busy_analysts(world, pick, k)
    decoy_namesake_lookups(world, pick, k)
    decoy_public_order_exposure(world, pick, k)
    decoy_declared_interests(world, pick, k, serial)
    decoy_register_namesakes(world, pick, k, serial)
    decoy_event_overtime(world, pick, k)
    decoy_overtime_after_sickness(world, pick, k)
    decoy_victim_follow_up(world, pick, k)
    decoy_renewed_vetting(world, pick, k)
    decoy_intelligence_nominal_work(world, pick, k)
    decoy_event_fortnight(world, pick, k)
    decoy_busiest_responders(world, pick, k)
    decoy_scattered_allegations(world, pick, k)
    decoy_high_volume_searchers(world, pick, k)
    decoy_case_investigator(world, pick, k)
    decoy_same_day_expenses(world, pick, k)
    decoy_declared_nominal_relatives(world, pick, k)
    decoy_fixed_rate_accommodation(world, pick, k)
    decoy_heavy_ordinary_workload(world, pick, k)
    decoy_longstanding_sickness(world, pick, k)
    decoy_nominal_neighbour(world, pick, k)
    decoy_court_and_courses(world, pick, k)
    decoy_colleague_victim_case(world, pick, k)
    decoy_back_before_sickness_ended(world, pick, k)
