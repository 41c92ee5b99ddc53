"""Names as other people write them: the company register gives a short forename ('Sam',
'Danny', 'Steph', from a maintained data set), slips a letter in the surname ('HAVEY',
'MCCARTYH'), or writes the forename first ('Danny Smith'). Entries that agree on month and
year of birth and the home postcode are tied to the person; namesakes born in another month
or generation, at another address, are not."""

from __future__ import annotations

from pathlib import Path

from probity.ingest.load import ingest
from probity.resolve.judgements import JudgementStore
from probity.resolve.nicknames import forms
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, write_csv
from tests.resolve.test_company_officer_rules import register

PEOPLE = [
    person(
        "E1",
        surname="Harvey",
        forenames="Samuel",
        date_of_birth="1984-06-02",
        home_postcode="SE13 5AB",
    ),
    person(
        "E2",
        surname="McCarthy",
        forenames="Stephanie",
        date_of_birth="1979-11-20",
        home_postcode="N1 9GU",
    ),
    person(
        "E3",
        surname="Smith",
        forenames="Daniel",
        date_of_birth="1990-02-14",
        home_postcode="E17 4PP",
    ),
    person(
        "E4",
        surname="Khan",
        forenames="Muhammad",
        date_of_birth="1988-08-08",
        home_postcode="E1 6AN",
    ),
    person(
        "E5", surname="Webb", forenames="Leanne", date_of_birth="1972-06-07", home_postcode="W8 6NZ"
    ),
]


SURNAMES = ["Okafor", "Patel", "Jones", "Brown", "Nowak", "Evans", "Begum", "Clarke", "Moore"]
FORENAMES = ["Grace", "Priya", "Tom", "Aisha", "Piotr", "Ruth", "Imran", "Chloe", "Kwame"]


def crowd(n: int, prefix: str) -> list[tuple[str, str, int, int, str]]:
    """`n` other names with births and postcodes: the background a linkage model measures
    how often things agree by chance against."""
    rows = []
    for i in range(n):
        surname = f"{SURNAMES[i % 9]}{'son' * (i // 81)}"
        forename = FORENAMES[(i // 9) % 9]
        rows.append((surname, forename, 1 + i % 12, 1960 + i % 40, f"{prefix}{i % 50} {i % 9}AB"))
    return rows


def company_links(folder: Path) -> dict[str, str]:
    staff = [
        person(f"B{i}", surname=s, forenames=f, date_of_birth=f"{y}-{m:02d}-10", home_postcode=pc)
        for i, (s, f, m, y, pc) in enumerate(crowd(400, "SW"))
    ]
    directors = [
        register(f"2{i:07d}", f"{s.upper()}, {f}", m, y, pc)
        for i, (s, f, m, y, pc) in enumerate(crowd(400, "NW"))
    ]
    write_csv(folder, "people", PEOPLE + staff)
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "company_officers",
        [
            register("10000001", "HAVEY, Sam", 6, 1984, "SE13 5AB"),
            register("10000002", "Steph MCCARTYH", 11, 1979, "N1 9GU"),
            register("10000003", "Danny Smith", 2, 1990, "E17 4PP"),
            register("10000004", "KHAN, Mohamed", 8, 1988, "E1 6AN"),
            register("10000005", "WEBB, Leanne", 6, 1972, "W8 6NZ"),  # as HR writes it
            register("10000006", "HARVEY, Sam", 3, 1958, "CR0 2XX"),  # the father
            register("10000007", "SMITH, Dan", 5, 1991, "BR1 1AA"),  # another Dan Smith
            *directors,
        ],
    )
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    resolve(engine, judgements=JudgementStore.to_table([]), absent_tables=set(result.absent_tables))
    rows = engine.fetch(
        "SELECT split_part(record_id, '/', 1), person_key FROM links WHERE task = 'company_officer'"
    )
    return {str(r): str(p) for r, p in rows}


def test_short_forms_slips_and_forename_first_are_tied_to_the_person(tmp_path: Path) -> None:
    found = company_links(tmp_path)
    assert found.get("10000001") == "E1"  # HAVEY, Sam
    assert found.get("10000002") == "E2"  # Steph MCCARTYH
    assert found.get("10000003") == "E3"  # Danny Smith
    assert found.get("10000004") == "E4"  # Mohamed for Muhammad
    assert found.get("10000005") == "E5"


def test_namesakes_at_other_addresses_and_generations_are_not(tmp_path: Path) -> None:
    found = company_links(tmp_path)
    assert "10000006" not in found
    assert "10000007" not in found


def test_short_forms_come_from_the_data_set_and_spellings_from_the_list() -> None:
    assert {"samuel", "samantha"} <= set(forms()["sam"])
    assert "daniel" in forms()["danny"]
    assert {"mohamed", "muhammad", "mohammed"} <= set(forms()["mohamed"])
    assert "daniel" not in forms().get("sam", ())
