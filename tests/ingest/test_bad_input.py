"""The bad-input catalogue for the export contract, both ways: every bad case gets its named
error or quarantine reason, and good data passes untouched."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from probity.contract import table_spec
from probity.ingest.errors import SourceFileError
from probity.ingest.load import IngestResult, ingest
from probity.warehouse.engine import DuckDBEngine
from tests.exports import UNITS, person, shift, write_csv


def good_folder(folder: Path) -> Path:
    write_csv(
        folder,
        "people",
        [person("E1000001", warrant_number="241187"), person("E1000002", surname="Smyth")],
    )
    write_csv(folder, "units", UNITS)
    write_csv(
        folder, "roster", [shift("E1000001", "2026-03-02"), shift("241187", "2026-03-03", "late")]
    )
    write_csv(
        folder,
        "overtime_claims",
        [
            {
                "claim_id": "OT1",
                "person_id": "E1000002",
                "work_date": "2026-03-02",
                "start_time": "2026-03-02T15:00",
                "end_time": "2026-03-02T17:30:00",
                "hours": "2.5",
                "reason_code": "late_turn_out",
                "amount_gbp": "81.25",
            }
        ],
    )
    write_csv(
        folder,
        "record_subjects",
        [{"subject_id": "S1", "surname": "Smith", "flags": "victim;vulnerable"}],
    )
    write_csv(
        folder,
        "conduct_cases",
        [
            {
                "case_id": "C1",
                "person_id": "E1000001",
                "opened_date": "2025-01-01",
                "suspended": "false",
                "severity": "misconduct",
            }
        ],
    )
    return folder


def load(folder: Path) -> tuple[IngestResult, DuckDBEngine]:
    engine = DuckDBEngine()
    return ingest(engine, folder), engine


def assert_accounted(result: IngestResult) -> None:
    for t in result.tables.values():
        assert t.rows_read == t.rows_loaded + t.rows_quarantined, t


def test_good_exports_load_untouched(tmp_path: Path) -> None:
    result, engine = load(good_folder(tmp_path))
    assert_accounted(result)
    assert all(t.rows_quarantined == 0 for t in result.tables.values())
    assert engine.fetch("SELECT hours, amount_gbp, start_time, end_time FROM overtime_claims")[
        0
    ] == (
        2.5,
        Decimal("81.25"),
        datetime(2026, 3, 2, 15, 0),
        datetime(2026, 3, 2, 17, 30),
    )
    # A warrant number in place of a person id is a valid reference, resolved later.
    assert engine.fetch("SELECT count(*) FROM roster")[0][0] == 2
    assert engine.fetch("SELECT suspended FROM conduct_cases")[0][0] is False


def test_loaded_rows_carry_file_and_row_lineage(tmp_path: Path) -> None:
    _, engine = load(good_folder(tmp_path))
    assert engine.fetch("SELECT _source_file, _source_row FROM roster ORDER BY _source_row") == [
        ("roster.csv", 1),
        ("roster.csv", 2),
    ]


ROW_CASES: list[tuple[str, str, dict[str, Any], str]] = [
    ("roster", "duty_date", {"duty_date": "02/03/2026"}, "invalid date in duty_date"),
    ("roster", "duty_date", {"duty_date": "2026-02-30"}, "invalid date in duty_date"),
    (
        "roster",
        "shift_start",
        {"shift_start": "2026-03-02 07:00"},
        "invalid timestamp in shift_start",
    ),
    ("roster", "duty_type", {"duty_type": "holiday"}, "unknown value in duty_type"),
    ("roster", "person_id", {"person_id": None}, "missing required value in person_id"),
    (
        "roster",
        "person_id",
        {"person_id": "E9999999"},
        "dangling reference: person_id not in people.person_id",
    ),
    ("roster", "duty_date", {"duty_date": "2026-03-02"}, "duplicate key (person_id, duty_date)"),
    ("overtime_claims", "amount_gbp", {"amount_gbp": "81.255"}, "invalid money in amount_gbp"),
    ("overtime_claims", "hours", {"hours": "two"}, "invalid number in hours"),
    ("conduct_cases", "suspended", {"suspended": "yes"}, "invalid boolean in suspended"),
    ("record_subjects", "flags", {"flags": "victim;celebrity"}, "unknown value in flags"),
]


@pytest.mark.parametrize(
    ("table", "column", "change", "reason"), ROW_CASES, ids=[c[3] for c in ROW_CASES]
)
def test_bad_row_is_quarantined_with_its_reason(
    tmp_path: Path, table: str, column: str, change: dict[str, Any], reason: str
) -> None:
    folder = good_folder(tmp_path)
    rows = {
        "roster": [shift("E1000001", "2026-03-02"), shift("241187", "2026-03-03", "late")],
        "overtime_claims": [
            {
                "claim_id": "OT1",
                "person_id": "E1000002",
                "work_date": "2026-03-02",
                "hours": "2",
                "amount_gbp": "81.25",
            }
        ],
        "conduct_cases": [{"case_id": "C1", "person_id": "E1000001", "suspended": "false"}],
        "record_subjects": [{"subject_id": "S1", "flags": "victim"}],
    }[table]
    bad = {**rows[0], **change}
    if reason.startswith("duplicate"):
        bad = dict(rows[0])
    write_csv(folder, table, [*rows, bad])
    result, engine = load(folder)
    counts = result.tables[table]
    assert_accounted(result)
    assert counts.quarantine_reasons == {reason: 1}
    assert counts.rows_loaded == len(rows)
    row, recorded = engine.fetch(
        "SELECT source_row, reason FROM quarantine WHERE table_name = ?", [table]
    )[0]
    assert (row, recorded) == (len(rows) + 1, reason)


def test_quarantined_row_keeps_every_reason_and_the_record_as_read(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    bad = {**shift("E9999999", "2026-03-04"), "duty_type": "holiday"}
    rows = [shift("E1000001", "2026-03-02"), bad, shift("241187", "2026-03-03", "late")]
    write_csv(folder, "roster", rows)
    result, engine = load(folder)
    assert_accounted(result)
    assert engine.fetch("SELECT _source_row FROM roster ORDER BY 1") == [(1,), (3,)]
    assert "_quarantined" not in {c for c, _ in engine.columns("roster")}
    [(row, reason, reasons, record)] = engine.fetch(
        "SELECT source_row, reason, reasons, record FROM quarantine WHERE table_name = 'roster'"
    )
    assert (row, reason) == (2, "unknown value in duty_type")
    assert reasons == (
        "unknown value in duty_type; dangling reference: person_id not in people.person_id"
    )
    assert '"person_id":"E9999999"' in record and '"duty_type":"holiday"' in record


def test_malformed_csv_record_is_quarantined_and_later_rows_keep_their_row_numbers(
    tmp_path: Path,
) -> None:
    folder = good_folder(tmp_path)
    path = write_csv(folder, "roster", [shift("E1000001", "2026-03-02")])
    with path.open("a") as f:
        f.write("E1000001,2026-03-04,early,too,many,fields,here\r\n")
        f.write("E1000001,2026-03-05,rest_day,,,SERT\r\n")
    result, engine = load(folder)
    counts = result.tables["roster"]
    assert (counts.rows_read, counts.rows_loaded, counts.rows_quarantined) == (3, 2, 1)
    assert list(counts.quarantine_reasons) == ["malformed CSV record"]
    assert engine.fetch("SELECT _source_row FROM roster ORDER BY 1") == [(1,), (3,)]


def test_unknown_extra_columns_are_kept_and_ignored(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    cols = [*table_spec("units").column_names, "cost_centre"]
    write_csv(folder, "units", [{**UNITS[0], "cost_centre": "CC12"}, UNITS[1]], columns=cols)
    result, engine = load(folder)
    assert result.tables["units"].extra_columns == ["cost_centre"]
    assert engine.fetch("SELECT cost_centre FROM units WHERE unit_code = 'SERT'") == [("CC12",)]


def test_parquet_exports_load_like_csv(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (folder / "roster.csv").unlink()
    pq.write_table(
        pa.table(
            {
                "person_id": ["E1000001", "E1000001"],
                "duty_date": pa.array([date(2026, 3, 2)] * 2, pa.date32()),
                "duty_type": ["early", "sick"],
            }
        ),
        folder / "roster.parquet",
    )
    result, _ = load(folder)
    assert result.tables["roster"].quarantine_reasons == {"duplicate key (person_id, duty_date)": 1}
    assert result.tables["roster"].rows_loaded == 1


def expect_file_error(
    folder: Path, file: str, fragment: str, column: str | None = None, row: int | None = None
) -> None:
    with pytest.raises(SourceFileError) as info:
        load(folder)
    error = info.value
    assert error.path.name == file
    assert fragment in str(error)
    assert error.column == column
    assert error.row == row


def test_missing_required_column_stops_the_run_naming_file_and_column(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    write_csv(
        folder,
        "roster",
        [{"duty_date": "2026-03-02", "duty_type": "early"}],
        columns=["duty_date", "duty_type"],
    )
    expect_file_error(folder, "roster.csv", "required column is missing", column="person_id")


def test_non_utf8_file_stops_the_run_naming_the_row(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    path = folder / "people.csv"
    path.write_bytes(path.read_bytes() + "E1000003,,Mu\xf1oz\n".encode("latin-1"))
    expect_file_error(folder, "people.csv", "not UTF-8", row=4)


def test_truncated_csv_stops_the_run(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    path = folder / "roster.csv"
    path.write_bytes(path.read_bytes() + b'E1000001,2026-03-09,"ear')
    expect_file_error(folder, "roster.csv", "truncated")


def test_truncated_parquet_stops_the_run(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    pq.write_table(
        pa.table(
            {
                "person_id": ["E1000001"] * 1000,
                "duty_date": ["2026-03-02"] * 1000,
                "duty_type": ["early"] * 1000,
            }
        ),
        folder / "roster.parquet",
    )
    (folder / "roster.csv").unlink()
    data = (folder / "roster.parquet").read_bytes()
    (folder / "roster.parquet").write_bytes(data[: len(data) // 2])
    expect_file_error(folder, "roster.parquet", "not a readable Parquet file")


def test_table_in_both_forms_stops_the_run(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    pq.write_table(pa.table({"person_id": ["E1000001"]}), folder / "roster.parquet")
    expect_file_error(folder, "roster", "both .csv and .parquet")


def test_missing_people_table_stops_the_run(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    (folder / "people.csv").unlink()
    expect_file_error(folder, "people.csv", "required table is missing")


def test_optional_tables_may_be_absent(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    write_csv(folder, "people", [person("E1000001")])
    result, engine = load(folder)
    assert "access_log" in result.absent_tables
    assert engine.fetch("SELECT count(*) FROM access_log") == [(0,)]


def test_a_csv_saved_by_excel_with_a_byte_order_mark_loads_as_utf8(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    for name in ("people", "roster"):
        path = folder / f"{name}.csv"
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result, engine = load(folder)
    assert_accounted(result)
    assert result.tables["roster"].rows_quarantined == 0
    assert sorted(engine.fetch("SELECT person_id FROM people")) == [("E1000001",), ("E1000002",)]


def test_a_missing_optional_column_is_named_with_what_it_disables(tmp_path: Path) -> None:
    folder = good_folder(tmp_path)
    columns = [c for c in table_spec("people").column_names if c not in ("surname", "home_address")]
    write_csv(folder, "people", [person("E1000001"), person("E1000002")], columns)
    result, engine = load(folder)
    missing = result.tables["people"].missing_columns
    assert set(missing) == {"surname", "home_address"}
    assert "without surnames" in missing["surname"]
    assert result.tables["roster"].missing_columns == {}
    # The column still exists, empty, so everything downstream reads the same layout.
    assert engine.fetch("SELECT count(*) FROM people WHERE surname IS NULL") == [(2,)]
