"""An incremental run, given a day's new records, publishes exactly what a full run would: what
is read again, what is reused, and the links and results (the exports: `tests/ingest/days.py`)."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import duckdb
import pytest

from probity.governance.pseudonyms import KEY_FILE
from probity.ingest.fingerprint import fingerprint
from probity.ingest.incremental import Fingerprints, previous_ingest
from probity.ingest.sources import find_sources
from probity.pipeline import run_pipeline
from probity.publish.workspace import Workspace
from tests.ingest.days import (
    ROW_GROUP,
    daily_and_full,
    grown_exports,
    lines_of,
    links_of,
    rows_of,
    snapshot,
)


def test_incremental_run_equals_full_run(days: tuple[Path, Path], tmp_path: Path) -> None:
    yesterday, today = days
    full = run_pipeline(today, tmp_path / "full", incremental=False)
    (tmp_path / "daily").mkdir()  # the same pseudonym key, so that ties rank alike
    shutil.copy(tmp_path / "full" / KEY_FILE, tmp_path / "daily" / KEY_FILE)
    run_pipeline(yesterday, tmp_path / "daily")
    daily = run_pipeline(today, tmp_path / "daily")

    plans = daily["ingest"]["tables"]
    assert daily["ingest"]["previous_run"] is not None
    assert plans["units"] == "unchanged"
    assert plans["people"] == "read in full"  # edited in the middle
    assert plans["expense_claims"].startswith("appended after record")
    badges = daily["inputs"]["building_access"]
    kept = int(plans["building_access"].split()[-1].replace(",", ""))
    assert 0 < kept < badges["records"] and kept % ROW_GROUP == 0  # from the changed group on
    assert plans["system_accounts"] == "read in full"
    assert plans["access_log"] == "read in full"  # an account it references was removed
    assert "dangling reference" in " ".join(daily["tables"]["access_log"]["quarantine_reasons"])

    assert daily["tables"] == full["tables"]
    assert daily["warehouse"]["grown"]["duty_intervals"].startswith("rows of roster records")
    reasons = daily["tables"]["expense_claims"]["quarantine_reasons"]
    assert reasons.get("duplicate key (claim_id)") == 1
    assert reasons.get("malformed CSV record") == 1
    for table in daily["tables"].values():
        assert table["rows_read"] == table["rows_loaded"] + table["rows_quarantined"]
    assert [s for s in full["detectors"].values() if s["status"] == "ran"]
    a, b = snapshot(tmp_path / "daily"), snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name
    assert len(a["signals"]) > 0 and len(a["quarantine"]) > 0
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert rows_of(tmp_path / "daily", shifts) == rows_of(tmp_path / "full", shifts)


def test_shifts_are_found_again_in_full_when_a_warrant_number_changed(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """A roster record may name a person by warrant number: when one changes, the shifts kept
    from the last run may be someone else's, so the table is built again."""
    yesterday, today = days
    (tmp_path / "daily").mkdir()
    run_pipeline(yesterday, tmp_path / "daily")
    grown = grown_exports(yesterday, today, tmp_path / "grown")
    people = lines_of(grown / "people.csv")
    header = next(csv.reader([people[0].decode()]))
    column = header.index("warrant_number")
    at = next(
        i for i, line in enumerate(people[1:], 1) if next(csv.reader([line.decode()]))[column]
    )
    record = next(csv.reader([people[at].decode()]))
    record[column] = "W" + record[column]
    line = io.StringIO()
    csv.writer(line, lineterminator="\n").writerow(record)
    people[at] = line.getvalue().encode()
    (grown / "people.csv").write_bytes(b"".join(people))

    daily = daily_and_full(grown, tmp_path)
    # (the roster names people, so ingest reads it again too; either reason builds it in full)
    assert daily["warehouse"]["grown"]["duty_intervals"] in (
        "built in full: roster was read in full",
        "built in full: person_refs changed",
    )
    shifts = "SELECT * FROM duty_intervals ORDER BY ALL"
    assert rows_of(tmp_path / "daily", shifts) == rows_of(tmp_path / "full", shifts)


def test_rerun_of_unchanged_exports_reads_nothing_again(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    _, today = days
    first = run_pipeline(today, tmp_path / "ws")
    links_then = links_of(tmp_path / "ws")
    second = run_pipeline(today, tmp_path / "ws")
    dangling = {
        name
        for name, t in first["tables"].items()
        if any(r.startswith("dangling reference") for r in t["quarantine_reasons"])
    }
    assert dangling == {"access_log"}  # a key added since could satisfy them: read again
    assert {n for n, plan in second["ingest"]["tables"].items() if plan != "unchanged"} == dangling
    assert second["tables"] == first["tables"]
    assert snapshot(tmp_path / "ws")["signals"]
    # The audit log was read again, so the log-ins, weighed by the days they were used, are
    # linked again (to the same people); every other task keeps the first run's links.
    status = {name: t["status"] for name, t in second["identities"].items()}
    assert status.pop("system_account") == "ran"
    assert set(status.values()) == {"reused"}
    assert links_of(tmp_path / "ws") == links_then


def test_daily_run_keeps_the_links_of_tasks_whose_inputs_did_not_change(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """Only event tables grow, by records dated after every complaint: the tasks reading none
    of them keep yesterday's links, and so does the one that reads the roster and attendance
    (on complaints' incident dates only); the log-ins, weighed by the days they were used,
    are linked again. The result is a full run's."""
    yesterday, today = days
    grown = grown_exports(yesterday, today, tmp_path / "grown")
    full = run_pipeline(grown, tmp_path / "full", incremental=False)
    (tmp_path / "daily").mkdir()  # the same pseudonym key, so that ties rank alike
    shutil.copy(tmp_path / "full" / KEY_FILE, tmp_path / "daily" / KEY_FILE)
    run_pipeline(yesterday, tmp_path / "daily")
    daily = run_pipeline(grown, tmp_path / "daily")

    status = {name: t["status"] for name, t in daily["identities"].items()}
    assert status.pop("system_account") == "ran"  # the audit log grew
    assert set(status.values()) == {"reused"}
    for name, t in daily["identities"].items():
        assert {k: v for k, v in t.items() if k not in ("status", "seconds", "reason")} == {
            k: v for k, v in full["identities"][name].items() if k not in ("status", "seconds")
        }, name
    assert links_of(tmp_path / "daily") == links_of(tmp_path / "full")
    a, b = snapshot(tmp_path / "daily"), snapshot(tmp_path / "full")
    for name in a:
        assert a[name] == b[name], name


def test_a_run_loaded_by_another_duckdb_release_is_not_reused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Casting and date parsing are DuckDB's: another release may quarantine other rows."""
    from probity.ingest.incremental import ingest_signature

    report = {"status": "succeeded", "run_id": "r1", "inputs": {}, "tables": {}}
    report["ingest_signature"] = ingest_signature()
    assert previous_ingest(report) is not None
    monkeypatch.setattr(duckdb, "__version__", "0.0.1")
    assert ingest_signature() != report["ingest_signature"]
    assert previous_ingest(report) is None


def test_fingerprints_taken_ahead_are_those_taken_when_planned(
    days: tuple[Path, Path], tmp_path: Path
) -> None:
    """A daily run takes the files' fingerprints in the background while it copies the last
    warehouse: each is the one the planner would take itself, a grown CSV's digest of the old
    file's bytes included."""
    yesterday, today = days
    run_pipeline(yesterday, tmp_path / "ws")
    ws = Workspace(tmp_path / "ws")
    previous = previous_ingest(ws.read_report(ws.require_current()))
    assert previous is not None
    sources, _ = find_sources(today)
    ahead = Fingerprints(sources, previous)
    for source in sources:
        size = int(previous.inputs[source.spec.name].get("size", 0))
        assert ahead.of(source) == fingerprint(source.path, prefix=size), source.spec.name
    assert any(ahead.of(s).get("prefix_sha256") for s in sources)  # a grown CSV compared
