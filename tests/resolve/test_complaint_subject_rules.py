"""Complaints with no warrant number are tied by who served in the unit the complainant named
on the day: a surname only one of them had (or nearly had: a misspelling), or, of several
namesakes, the one who agrees with more of the rest than any other: the recorded rank and
first name, a shift that day, public contact on record that day. Ties are left unlinked by
the rules."""

from __future__ import annotations

from pathlib import Path

from probity.ingest.load import ingest
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, shift, write_csv

PEOPLE = {
    "E1": ("Parker", "Charlotte", "SERT"),
    "E2": ("Newman", "Thomas", "SERT"),
    "E3": ("Newman", "Kelly", "SERT"),
    "E4": ("Quinn", "Adam", "INT1"),
    "E5": ("Okoro", "Ada", "INT1"),  # in South East response until the end of 2025
    "E6": ("Hatherford", "Luca", "SERT"),
    "E7": ("Hart", "James", "SERT"),  # a sergeant
    "E8": ("Hart", "Jade", "SERT"),  # a constable
    "E9": ("Yates", "Luca", "SERT"),
    "E10": ("Yates", "Liam", "SERT"),
    "E11": ("Adeyemi", "Natasha", "SERT"),
}
RANKS = {"E7": "PS"}
WARRANTS = {
    "E3": "241187",  # Kelly Newman's shifts are exported under her warrant number
    "E2": "275539",
    "E10": "263426",
    "E4": "228014",
}
BOTH_HARTS_AND_YATES = ("E7", "E8", "E9", "E10")


def night(pid: str, day: str, next_day: str) -> dict[str, str]:
    return {
        "person_id": pid,
        "duty_date": day,
        "duty_type": "night",
        "shift_start": f"{day}T22:00",
        "shift_end": f"{next_day}T06:00",
        "unit_code": "SERT",
    }


def search(pid: str, when: str, n: int) -> dict[str, str]:
    return {
        "event_id": f"SS{pid}{n}",
        "event_time": when,
        "person_id": pid,
        "legislation": "MDA_s23",
        "object_of_search": "drugs",
        "outcome": "nfa",
    }


def complaint(
    cid: str, name: str, day: str, unit: str = "South East response", warrant: str | None = None
) -> dict[str, str | None]:
    return {
        "complaint_id": cid,
        "received_date": day,
        "incident_date": day,
        "subject_warrant_number": warrant,
        "subject_name_as_recorded": name,
        "subject_unit_as_recorded": unit,
        "allegation_category": "individual_behaviour",
    }


def links(folder: Path) -> dict[str, tuple[str, str]]:
    write_csv(
        folder,
        "people",
        [
            person(
                p,
                surname=s,
                forenames=f,
                unit_code=u,
                rank=RANKS.get(p, "PC"),
                warrant_number=WARRANTS.get(p),
            )
            for p, (s, f, u) in PEOPLE.items()
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "postings",
        [
            {
                "person_id": "E5",
                "unit_code": "SERT",
                "start_date": "2020-01-01",
                "end_date": "2025-12-31",
            },
            {"person_id": "E5", "unit_code": "INT1", "start_date": "2026-01-01"},
        ],
    )
    # On 2 March only Kelly Newman was on shift; on 3, 4 and 7 March both Newmans were (and
    # both Harts and both Yateses on the 3rd); on the night of 5 March only Kelly.
    write_csv(
        folder,
        "roster",
        [
            shift("241187", "2026-03-02"),
            *[shift(p, "2026-03-03") for p in ("E2", "E3", *BOTH_HARTS_AND_YATES)],
            *[shift(p, day) for p in ("E2", "E3") for day in ("2026-03-04", "2026-03-07")],
            night("E3", "2026-03-05", "2026-03-06"),
        ],
    )
    # On 4 March only Thomas Newman searched anyone; on 7 March both did.
    write_csv(
        folder,
        "stop_search",
        [
            search("E2", "2026-03-04T10:20", 1),
            search("E2", "2026-03-07T09:00", 2),
            search("E3", "2026-03-07T11:00", 3),
        ],
    )
    write_csv(
        folder,
        "complaints",
        [
            complaint("C1", "Officer Parker", "2026-02-10"),
            complaint("C2", "PC L Hathrford", "2026-02-11"),  # misspelt
            complaint("C14", "PC C aPrker", "2026-02-12"),  # the first two letters swapped
            complaint("C3", "Officer Newman", "2026-03-02"),
            complaint("C4", "Officer Newman", "2026-03-03"),
            complaint("C5", "Officer Quinn", "2026-02-12"),  # no Quinn in that unit
            complaint("C6", "Officer Okoro", "2025-06-01"),  # while posted there
            complaint("C7", "PC J Parker", "2026-02-13"),  # the only Parker is a Charlotte
            complaint("C8", "Officer Parker", "2026-02-14", unit="South East"),  # the command
            complaint("C9", "PC J Hart", "2026-03-03"),  # both Harts on shift: one is a PC
            complaint("C10", "Luca Yates", "2026-03-03"),  # both on shift: one is a Luca
            complaint("C11", "Officer Newman", "2026-03-04"),  # one of them searched someone
            complaint("C12", "Officer Newman", "2026-03-06"),  # the small hours of a night shift
            complaint("C13", "Officer Newman", "2026-03-07"),  # both on shift, both searched
            # As C13, but with Thomas Newman's warrant number, two digits swapped.
            complaint("C15", "Officer Newman", "2026-03-07", warrant="275593"),
            # Surname and warrant number each with two letters or digits swapped.
            complaint("C16", "PC Yaets", "2026-03-03", warrant="263462"),
            # One keystroke from Adam Quinn's number, but Quinn is not the name recorded.
            complaint("C17", "Officer Newman", "2026-03-03", warrant="228041"),
            # The recorded surname, but two keystrokes from Thomas Newman's number.
            complaint("C18", "Officer Newman", "2026-03-03", warrant="257359"),
            # Staff known by their first name (or a short form of it) and their post.
            complaint("C19", "custody Nat", "2026-03-03"),
            complaint("C20", "control room Luca", "2026-03-03"),  # two Lucas in the unit
            complaint("C21", "custody Nat", "2026-03-03", unit="Intelligence Hub 1"),  # none there
            # Surname first: "Natasha" here is the forename of a Newman nobody can single out.
            complaint("C22", "Newman Natasha", "2026-03-03"),
        ],
    )
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    resolve(engine, absent_tables=set(result.absent_tables))
    rows = engine.fetch(
        "SELECT record_id, person_key, method FROM links WHERE task = 'complaint_subject'"
    )
    return {str(r): (str(p), str(m)) for r, p, m in rows}


def test_a_surname_one_person_in_the_unit_had_links_to_them(tmp_path: Path) -> None:
    found = links(tmp_path)
    assert found["C1"] == ("E1", "surname_unique_in_recorded_unit")
    assert found["C8"] == ("E1", "surname_unique_in_recorded_unit")
    assert found["C2"] == ("E6", "close_surname_unique_in_recorded_unit")
    assert found["C14"] == ("E1", "close_surname_unique_in_recorded_unit")
    assert found["C6"] == ("E5", "surname_unique_in_recorded_unit")


def test_of_namesakes_the_one_best_corroborated_is_linked(tmp_path: Path) -> None:
    found = links(tmp_path)
    best = "surname_in_recorded_unit_best_corroborated"
    # Only one on shift (her shift exported under her warrant number), or on a night shift.
    assert found["C3"] == ("E3", f"{best}_on_duty")
    assert found["C12"] == ("E3", f"{best}_on_duty")
    # Both on shift: the recorded rank, the recorded first name, a search that day.
    assert found["C9"] == ("E8", f"{best}_rank_on_duty")
    assert found["C10"] == ("E9", f"{best}_forename_on_duty")
    assert found["C11"] == ("E2", f"{best}_on_duty_public_contact")


def test_namesakes_alike_in_everything_other_units_and_wrong_initials_are_not_linked(
    tmp_path: Path,
) -> None:
    found = links(tmp_path)
    assert not {"C4", "C5", "C7", "C13"} & set(found)


def test_a_warrant_number_one_keystroke_out_ties_the_person_with_the_surname(
    tmp_path: Path,
) -> None:
    found = links(tmp_path)
    assert found["C15"] == ("E2", "close_warrant_number_and_surname")
    assert found["C16"] == ("E10", "close_warrant_number_and_surname")


def test_a_near_warrant_number_with_another_surname_or_two_keystrokes_out_ties_no_one(
    tmp_path: Path,
) -> None:
    """Both namesakes were on shift that day, so nothing else decides between them."""
    found = links(tmp_path)
    assert "C17" not in found and "C18" not in found


def test_staff_known_by_a_first_name_only_one_in_the_unit_bears_are_linked(
    tmp_path: Path,
) -> None:
    found = links(tmp_path)
    assert found["C19"] == ("E11", "first_name_unique_in_recorded_unit")
    assert "C20" not in found and "C21" not in found and "C22" not in found
