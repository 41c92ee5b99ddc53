"""Log-ins with no person id, known only by their display name, as other systems write it:
'SMITH, John', 'John Smith', 'PC 4471 Hugh GRANT', 'Band D Mary Taylor'. The order is read
from the name where it says (a comma, a surname in capitals, an initial) and otherwise from
which word HR holds as a surname; a display name nobody in HR bears is tied to no one."""

from __future__ import annotations

from pathlib import Path

from probity.ingest.load import ingest
from probity.resolve.judgements import JudgementStore
from probity.resolve.resolver import resolve
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, write_csv
from tests.resolve.test_names_as_written import crowd

PEOPLE = [
    person("E1", surname="Smith", forenames="John Paul"),
    person("E2", surname="Taylor", forenames="Mary"),
    person("E3", surname="Grant", forenames="Hugh", warrant_number="4471"),
    person("E4", surname="Smith", forenames="Joanne"),
    person("E5", surname="Oduya", forenames="Kemi"),
]

LEGACY = {  # display name → who it is (None: nobody in HR)
    "John Smith": "E1",
    "SMITH, Joanne": "E4",
    "Band D Mary Taylor": "E2",
    "PC 4471 Hugh GRANT": "E3",
    "ODUYA Kemi": "E5",
    "Kemi Oduya": "E5",
    "Peter Smith": None,
    "Training account 3": None,
}


def linked(
    folder: Path, people: list[dict[str, object]], accounts: list[dict[str, object]]
) -> dict[str, str]:
    """The system-account links a run of the resolver makes: account -> person."""
    write_csv(folder, "people", people)
    write_csv(folder, "units", UNITS)
    write_csv(folder, "system_accounts", accounts)
    engine = DuckDBEngine()
    result = ingest(engine, folder)
    resolve(engine, judgements=JudgementStore.to_table([]), absent_tables=set(result.absent_tables))
    rows = engine.fetch("SELECT record_id, person_key FROM links WHERE task = 'system_account'")
    return {str(r): str(p) for r, p in rows}


def account_links(folder: Path) -> dict[str, str]:
    staff = [
        person(f"B{i}", surname=s, forenames=f, date_of_birth=f"{y}-{m:02d}-10")
        for i, (s, f, m, y, _) in enumerate(crowd(400, "SW"))
    ]
    accounts = [
        {"account_id": f"X{i:03d}", "system": "INTEL", "display_name": name}
        for i, name in enumerate(LEGACY)
    ] + [  # the crowd's own log-ins, carrying their person ids as most do
        {"account_id": f"B{i:03d}", "system": "RMS", "person_id": f"B{i}", "display_name": "?"}
        for i in range(400)
    ]
    return linked(folder, PEOPLE + staff, accounts)


def test_display_names_in_any_order_are_tied_to_their_owner(tmp_path: Path) -> None:
    found = account_links(tmp_path)
    for i, (name, owner) in enumerate(LEGACY.items()):
        if owner is not None:
            assert found.get(f"X{i:03d}") == owner, name


def test_a_name_nobody_bears_is_tied_to_no_one(tmp_path: Path) -> None:
    found = account_links(tmp_path)
    for i, (name, owner) in enumerate(LEGACY.items()):
        if owner is None:
            assert f"X{i:03d}" not in found, name


def test_where_logins_are_numbers_not_fitting_the_name_is_no_evidence_against(
    tmp_path: Path,
) -> None:
    # A force whose logins are numbers ('PN00412'): measured on the logins that carry a person
    # id, not fitting the name is what every login does, so it must not outweigh the name.
    # Common surnames, as in any force: a shared surname alone says little.
    surnames = ["Taylor", "Smith", "Jones", "Brown", "Patel", "Khan", "Evans", "Moore"]
    forenames = [
        f"{a}{b}"
        for a in ("Al", "Be", "Ca", "Da", "El")
        for b in ("ex", "ny", "ra", "on", "is", "ma")
    ]
    staff = [
        person(f"B{i}", surname=surnames[i % 8], forenames=forenames[(i // 8) % 30])
        for i in range(2000)
    ]
    accounts = [
        {"account_id": f"PN{i:05d}", "system": "PNC", "person_id": f"B{i}", "display_name": "?"}
        for i in range(2000)
    ] + [
        {"account_id": "PN90001", "system": "PNC", "display_name": "SMITH, Joanne"},
        {"account_id": "PN90002", "system": "PNC", "display_name": "Mary Taylor"},
    ]
    found = linked(tmp_path, PEOPLE + staff, accounts)
    assert found.get("PN90001") == "E4"
    assert found.get("PN90002") == "E2"


# Others who started over twenty years, each with a log-in carrying their person id: the
# background against which a log-in's name and creation date are weighed.
STARTERS = [
    person(f"B{i}", surname=s, forenames=f, start_date=f"{2000 + i % 20}-0{1 + i % 9}-01")
    for i, (s, f, _, _, _) in enumerate(crowd(400, "SW"))
]
STARTERS_LOGINS: list[dict[str, object]] = [
    {"account_id": f"B{i:03d}", "system": "RMS", "person_id": f"B{i}", "display_name": "?"}
    for i in range(400)
]


def test_of_two_namesakes_the_one_who_started_when_the_log_in_was_made_holds_it(
    tmp_path: Path,
) -> None:
    people = [
        person("H1", surname="Harris", forenames="Matthew", start_date="2016-10-09"),
        person("H2", surname="Harris", forenames="Matthew Kevin", start_date="2024-01-21"),
    ]
    accounts = [
        {"account_id": "mharris", "system": "INTEL", "display_name": "Matthew Harris",
         "created_date": "2016-10-09"},
    ]  # fmt: skip
    assert linked(tmp_path, people + STARTERS, accounts + STARTERS_LOGINS).get("mharris") == "H1"


def legacy_links(folder: Path, legacy: list[dict[str, object]]) -> dict[str, str]:
    """Links made for `legacy` accounts beside two Cooks and a Smyth whose current log-ins
    carry their person ids."""
    people = [
        person("C1", surname="Cook", forenames="Anthony", start_date="2018-10-29"),
        person("C2", surname="Cook", forenames="Abigail", start_date="2020-09-08"),
        person("S1", surname="Smyth", forenames="John", start_date="2009-03-02"),
    ]
    accounts = [
        {"account_id": "acook", "system": "INTEL", "person_id": "C1", "display_name": "Anthony Cook"},
        {"account_id": "SMYTHJ04", "system": "RMS", "person_id": "S1", "display_name": "SMYTH, John"},
        *legacy,
    ]  # fmt: skip
    return linked(folder, people + STARTERS, accounts + STARTERS_LOGINS)


def test_a_legacy_login_wrapping_a_current_one_is_its_owners(tmp_path: Path) -> None:
    found = legacy_links(
        tmp_path,
        [
            {"account_id": "LSMYTHJ04", "system": "CAD", "display_name": "SMYTH, J"},
            {"account_id": "XSMYTHJ04", "system": "CUSTODY", "display_name": "Johnny Smyth"},
        ],
    )
    assert found.get("LSMYTHJ04") == "S1"
    assert found.get("XSMYTHJ04") == "S1"


def test_a_namesakes_numbered_login_is_not_taken_for_a_wrap(tmp_path: Path) -> None:
    # 'acook3' is how the system told a second A Cook from the first; her display name and
    # the day it was made say whose it is.
    found = legacy_links(
        tmp_path,
        [
            {"account_id": "acook3", "system": "INTEL", "display_name": "COOK, Abigail",
             "created_date": "2020-09-08"},
            {"account_id": "LSMYTHJ04", "system": "CAD", "display_name": "SMYTH, Jane"},
        ],
    )  # fmt: skip
    assert found.get("acook3") == "C2"
    assert found.get("LSMYTHJ04") != "S1"
