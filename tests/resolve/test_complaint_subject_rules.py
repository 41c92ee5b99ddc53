"""Complaints with no warrant number are tied by who served in the unit the complainant named
on the day: a surname only one of them had (or nearly had: a misspelling), or only one of
several namesakes on a shift that day. Anything less certain is left unlinked by the rules."""

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
}


def complaint(cid: str, name: str, day: str, unit: str = "South East response") -> dict[str, str]:
    return {
        "complaint_id": cid,
        "received_date": day,
        "incident_date": day,
        "subject_name_as_recorded": name,
        "subject_unit_as_recorded": unit,
        "allegation_category": "individual_behaviour",
    }


def links(folder: Path) -> dict[str, tuple[str, str]]:
    write_csv(
        folder,
        "people",
        [person(p, surname=s, forenames=f, unit_code=u) for p, (s, f, u) in PEOPLE.items()],
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
    # On 2 March only Kelly Newman was on shift; on 3 March both were.
    write_csv(
        folder,
        "roster",
        [shift("E3", "2026-03-02"), shift("E2", "2026-03-03"), shift("E3", "2026-03-03")],
    )
    write_csv(
        folder,
        "complaints",
        [
            complaint("C1", "Officer Parker", "2026-02-10"),
            complaint("C2", "PC L Hathrford", "2026-02-11"),  # misspelt
            complaint("C3", "Officer Newman", "2026-03-02"),
            complaint("C4", "Officer Newman", "2026-03-03"),
            complaint("C5", "Officer Quinn", "2026-02-12"),  # no Quinn in that unit
            complaint("C6", "Officer Okoro", "2025-06-01"),  # while posted there
            complaint("C7", "PC J Parker", "2026-02-13"),  # the only Parker is a Charlotte
            complaint("C8", "Officer Parker", "2026-02-14", unit="South East"),  # the command
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
    assert found["C6"] == ("E5", "surname_unique_in_recorded_unit")


def test_of_namesakes_the_only_one_on_shift_is_linked(tmp_path: Path) -> None:
    assert links(tmp_path)["C3"] == ("E3", "surname_in_recorded_unit_only_one_on_duty")


def test_namesakes_on_shift_together_other_units_and_wrong_initials_are_not_linked(
    tmp_path: Path,
) -> None:
    found = links(tmp_path)
    assert not {"C4", "C5", "C7"} & set(found)
