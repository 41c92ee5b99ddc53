"""Look-ups several detectors read are found once per run, read by each, and no longer read
when detection ends (their tables stay for the next run); sharing them changes no detector's
result."""

from __future__ import annotations

from pathlib import Path

import pytest

from probity.detectors.base import drop_shared, run_detector, warehouse_inputs
from probity.detectors.lookup_purpose import lookups_of_flagged
from probity.detectors.registry import detector
from probity.publish.workspace import Workspace
from probity.warehouse.engine import DuckDBEngine
from tests.detectors.test_relatives_lookup import force
from tests.warehouse import prepared

READERS = ("relatives_lookup", "acquaintance_lookups", "victim_lookups_after_closure")


def _signals(engine: DuckDBEngine) -> list[tuple[object, ...]]:
    return engine.fetch("SELECT signal_id, strength, reason FROM signals ORDER BY 1")


def _temporary(engine: DuckDBEngine) -> set[str]:
    """What detectors read: the temporary views over the shared look-ups' tables."""
    return {str(r[0]) for r in engine.fetch("SELECT view_name FROM duckdb_views() WHERE temporary")}


def test_tied_lookups_are_built_by_the_first_reader_only_and_dropped_after(tmp_path: Path) -> None:
    engine, absent = prepared(force(tmp_path))
    built = []
    for name in READERS:
        d = detector(name)
        built.append(run_detector(engine, d, d.params(), absent).built)
    assert [set(b) for b in built] == [{"tied_lookups"}, set(), set()]
    assert "tied_lookups" in _temporary(engine)
    drop_shared(engine)
    assert "tied_lookups" not in _temporary(engine)
    d = detector("relatives_lookup")
    assert set(run_detector(engine, d, d.params(), absent).built) == {"tied_lookups"}


def test_a_detector_finds_the_same_with_shared_lookups_built_by_another(tmp_path: Path) -> None:
    alone, absent = prepared(force(tmp_path / "alone"))
    d = detector("relatives_lookup")
    run_detector(alone, d, d.params(), absent)
    after, absent = prepared(force(tmp_path / "after"))
    first = detector("acquaintance_lookups")
    run_detector(after, first, first.params(), absent)
    after.execute("DELETE FROM signals")
    run_detector(after, d, d.params(), absent)
    assert _signals(alone) == _signals(after)
    assert _signals(alone)  # the spouse's look-ups are flagged in both


def test_inputs_handed_to_spark_are_the_tables_shared_lookups_are_built_from() -> None:
    d = detector("relatives_lookup")
    inputs = warehouse_inputs([d], {d.name: d.params()})
    assert {"access_log", "account_person", "links", "incident_attendance"} <= inputs
    assert not inputs & {"tied_lookups", "flagged_lookups"}


def test_only_watched_flags_have_their_lookups_kept() -> None:
    assert "flagged_lookups" in lookups_of_flagged("ocg_nominal")
    with pytest.raises(ValueError, match="vulnerable"):
        lookups_of_flagged("vulnerable")


def test_the_run_report_gives_each_shared_lookup_its_build_time(small_run: Path) -> None:
    w = Workspace(small_run)
    report = w.read_report(w.require_current())
    built = report["shared_lookups"]["seconds"]
    assert set(built) == {"flagged_lookups", "tied_lookups"}
    assert all(seconds >= 0 for seconds in built.values())
    # The detectors that read them ran, with their own time apart from the build.
    for name in (*READERS, "nominal_lookups", "high_profile_browsing"):
        assert report["detectors"][name]["status"] == "ran"
        assert report["detectors"][name]["seconds"] >= 0
