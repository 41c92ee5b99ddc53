"""A relative who is an organised-crime nominal is flagged when no notifiable association is
declared; declared relatives, and relatives who are not nominals, are not."""

from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [
            person("E1", surname="Okafor"),
            person("E2", surname="Baines", forenames="Ruth"),
            person("E3", surname="Kowalski", forenames="Adam"),
            person("E4", surname="Smyth", forenames="John", home_postcode="N1 9GU"),
            person("E5", surname="Patel", forenames="Asha", home_postcode="E1 6AN"),
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "next_of_kin",
        [
            {
                "person_id": "E1",
                "surname": "Okafor",
                "forenames": "Thomas",
                "date_of_birth": "1980-01-01",
                "relationship": "sibling",
            },
            {
                "person_id": "E2",
                "surname": "Baines",
                "forenames": "Jane",
                "date_of_birth": "1975-05-05",
                "relationship": "sibling",
            },
            {
                "person_id": "E3",
                "surname": "Kowalski",
                "forenames": "Piotr",
                "date_of_birth": "1950-03-03",
                "relationship": "parent",
            },
        ],
    )
    write_csv(
        folder,
        "record_subjects",
        [
            {
                "subject_id": "S1",
                "surname": "OKAFOR",
                "forenames": "Tom",
                "date_of_birth": "1980-01-01",
                "flags": "suspect;ocg_nominal",
            },
            {
                "subject_id": "S2",
                "surname": "Baines",
                "forenames": "Jane",
                "date_of_birth": "1975-05-05",
                "flags": "ocg_nominal",
            },
            {
                "subject_id": "S3",
                "surname": "Kowalski",
                "forenames": "Piotr",
                "date_of_birth": "1950-03-03",
                "flags": "suspect",
            },
            # No next of kin names them, but they live at E4's address with E4's surname.
            {
                "subject_id": "S4",
                "surname": "SMYTH",
                "forenames": "Dean",
                "postcode": "n1 9gu",
                "flags": "suspect;ocg_nominal",
            },
            # E5's neighbour: the same postcode, another family.
            {
                "subject_id": "S5",
                "surname": "Brown",
                "forenames": "Dean",
                "postcode": "E1 6AN",
                "flags": "suspect;ocg_nominal",
            },
        ],
    )
    write_csv(
        folder,
        "declarations",
        [
            {
                "declaration_id": "D1",
                "person_id": "E2",
                "kind": "notifiable_association",
                "counterpart_name": "Jane Baines",
                "counterpart_date_of_birth": "1975-05-05",
                "decision": "approved",
            }
        ],
    )
    return folder


def test_an_undeclared_nominal_relative_is_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "nominal_relative")
    assert set(found) == {"E1", "E4"}
    assert {"E1": found["E1"]} == {
        "E1": "Their sibling is recorded as an organised-crime nominal, and no notifiable association is declared."
    }


def test_a_nominal_in_their_household_is_flagged_and_a_neighbour_is_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "nominal_relative")
    assert found["E4"].startswith("Their household is recorded as an organised-crime nominal")
    assert "E5" not in found


def test_declared_relatives_and_relatives_who_are_not_nominals_are_not(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "nominal_relative")
    assert "E2" not in found and "E3" not in found
