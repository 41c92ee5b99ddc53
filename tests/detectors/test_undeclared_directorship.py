from __future__ import annotations

from pathlib import Path

from tests.exports import UNITS, person, write_csv
from tests.warehouse import signals


def director(
    number: str, name: str, officer: str, month: int, year: int, **kw: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "company_number": number,
        "company_name": name,
        "company_status": "active",
        "officer_name": officer,
        "officer_role": "director",
        "birth_month": month,
        "birth_year": year,
        "appointed_date": "2025-06-01",
    }
    row.update(kw)
    return row


def force(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [
            person("E1", surname="Kowalski", forenames="Piotr Adam", date_of_birth="1984-09-15"),
            person("E2", surname="Rahman", forenames="Aisha", date_of_birth="1990-01-20"),
            person("E3", surname="Harper", forenames="Lucy", date_of_birth="1979-03-02"),
            person("E4", surname="Doyle", forenames="Sean", date_of_birth="1988-12-01"),
            person("E5", surname="Osei", forenames="Abena Grace", date_of_birth="1992-05-05"),
            person("E6", surname="Walsh", forenames="Kelly", date_of_birth="1986-10-10"),
        ],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder,
        "company_officers",
        [
            director(
                "01234567", "Vantage Lettings Ltd", "KOWALSKI, Piotr", 9, 1984, postcode="se135ab"
            ),
            director("07654321", "Juniper Fitness Ltd", "RAHMAN, Aisha", 1, 1990),
            # A namesake of E3 born eleven years later.
            director("05555555", "Summit Media Ltd", "HARPER, Lucy", 3, 1990),
            # E5 registered elsewhere, but under the same full forenames as HR holds.
            director(
                "03333333",
                "Riverside Security Ltd",
                "OSEI, Abena Grace",
                5,
                1992,
                postcode="N1 1AA",
            ),
            # Same name and month of birth as E6, elsewhere, no middle name: a namesake, not E6.
            director(
                "02222222", "Granite Property Ltd", "WALSH, Kelly", 10, 1986, postcode="E17 4QZ"
            ),
            # E4 resigned before the period.
            director(
                "04444444", "Eagle Trading Ltd", "DOYLE, Sean", 12, 1988, resigned_date="2024-01-01"
            ),
        ],
    )
    write_csv(
        folder,
        "declarations",
        [
            {
                "declaration_id": "D1",
                "person_id": "E2",
                "kind": "business_interest",
                "company_number": "07654321",
                "decision": "approved",
            }
        ],
    )
    return folder


def test_active_directorship_without_declaration_is_flagged(tmp_path: Path) -> None:
    found = signals(force(tmp_path), "undeclared_directorship")
    assert found["E1"] == (
        "Listed in the company register as director of Vantage Lettings Ltd (01234567) since 1 Jun 2025, "
        "with no business interest or secondary employment declared for it."
    )


def test_directorship_corroborated_by_middle_names_is_flagged(tmp_path: Path) -> None:
    assert "E5" in signals(force(tmp_path), "undeclared_directorship")


def test_namesake_with_same_month_of_birth_but_nothing_else_in_common_is_not_flagged(
    tmp_path: Path,
) -> None:
    assert "E6" not in signals(force(tmp_path), "undeclared_directorship")


def test_declared_interest_is_not_flagged(tmp_path: Path) -> None:
    assert "E2" not in signals(force(tmp_path), "undeclared_directorship")


def test_namesake_born_in_another_year_is_not_flagged(tmp_path: Path) -> None:
    assert "E3" not in signals(force(tmp_path), "undeclared_directorship")


def test_resigned_directorship_is_not_flagged(tmp_path: Path) -> None:
    assert "E4" not in signals(force(tmp_path), "undeclared_directorship")
