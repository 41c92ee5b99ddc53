"""Register entries are tied to a person by name and month of birth with the home postcode or
middle names, or, where the register gives a service address, by the person's own declaration
of the company. A namesake relative in a declared family business is not the person."""

from __future__ import annotations

from pathlib import Path

from probity.ingest.load import ingest
from probity.resolve.judgements import Judgement, JudgementStore
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, write_csv

PEOPLE = [
    person("E1", surname="Marsh", forenames="Daniel", date_of_birth="1984-06-02"),
    person("E2", surname="Booth", forenames="Kelly", date_of_birth="1979-11-20"),
    person("E3", surname="Danso", forenames="Kofi", date_of_birth="1990-02-14"),
]


def register(number: str, name: str, month: int, year: int, postcode: str) -> dict[str, object]:
    return {
        "company_number": number,
        "company_name": f"Company {number} Ltd",
        "company_status": "active",
        "officer_name": name,
        "officer_role": "director",
        "birth_month": month,
        "birth_year": year,
        "postcode": postcode,
        "appointed_date": "2024-01-01",
    }


def declared(pid: str, number: str) -> dict[str, str]:
    return {
        "declaration_id": f"D{pid}{number}",
        "person_id": pid,
        "kind": "business_interest",
        "counterpart_name": f"Company {number} Ltd",
        "company_number": number,
        "declared_date": "2023-12-01",
        "decision": "approved",
    }


def links(
    folder: Path, judged: tuple[tuple[str, str, str], ...] = ()
) -> dict[str, tuple[str, str]]:
    """The register links made, by company number; `judged` are (company number, person,
    decision) clerical judgements made before the run."""
    write_csv(folder, "people", PEOPLE)
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "company_officers",
        [
            register("10000001", "MARSH, Daniel", 6, 1984, "SE13 5AB"),  # at home
            register("10000002", "BOOTH, Kelly", 11, 1979, "EC1A 1BB"),  # service address
            register("10000003", "DANSO, Kofi", 2, 1958, "E1 6AN"),  # the father, same name
            register("10000004", "BOOTH, Kelly", 11, 1979, "W1A 0AX"),  # undeclared elsewhere
            register("10000005", "BOOTH, Kelly", 11, 1979, "W1A 0AX"),  # the same, another firm
            register("10000006", "MARSH, Daniel", 6, 1984, "SE13 5AB"),  # the same as 10000001
        ],
    )
    write_csv(folder, "declarations", [declared("E2", "10000002"), declared("E3", "10000003")])
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    # Register rows are known by company number and row (the fixture's rows are 1 to 6).
    row_ids = {f"1000000{i}": f"1000000{i}/{i}" for i in range(1, 7)}
    judgements = JudgementStore.to_table(
        [
            Judgement("company_officer", row_ids[n], pid, decision, "analyst", "2026-01-01")  # type: ignore[arg-type]
            for n, pid, decision in judged
        ]
    )
    resolve(engine, judgements=judgements, absent_tables=set(result.absent_tables))
    rows = engine.fetch(
        "SELECT split_part(record_id, '/', 1), person_key, method FROM links "
        "WHERE task = 'company_officer'"
    )
    return {str(r): (str(p), str(m)) for r, p, m in rows}


def test_a_declared_company_ties_its_director_at_a_service_address(tmp_path: Path) -> None:
    found = links(tmp_path)
    assert found["10000001"] == ("E1", "name_birth_month_year_and_postcode")
    assert found["10000002"] == ("E2", "declared_company_and_name")


def test_a_namesake_of_another_generation_and_an_undeclared_namesake_are_not_linked(
    tmp_path: Path,
) -> None:
    found = links(tmp_path)
    assert "10000003" not in found
    assert "10000004" not in found


def test_a_judgement_stands_for_the_same_officer_under_another_company(tmp_path: Path) -> None:
    """The same name, month and year of birth and postcode in the register is one officer:
    confirming one directorship confirms the other; rejecting one rejects the other."""
    found = links(tmp_path, (("10000004", "E2", "confirm"), ("10000001", "E1", "reject")))
    assert found["10000004"] == ("E2", "clerical_confirmed")
    assert found["10000005"] == ("E2", "clerical_confirmed")
    assert "10000001" not in found
    assert "10000006" not in found
    assert links(tmp_path / "unjudged")["10000006"] == ("E1", "name_birth_month_year_and_postcode")
