"""Look-ups several detectors read are found once per run, read by each, and no longer read
when detection ends (their tables stay for the next run); sharing them changes no detector's
result."""

from __future__ import annotations

from pathlib import Path

import pytest

from probity.detectors.base import drop_shared, run_detector, warehouse_inputs
from probity.detectors.lookup_purpose import lookups_of_flagged
from probity.detectors.registry import detector
from probity.detectors.shared import _TIES, SHARED, WATCHED_FLAGS, has_flag
from probity.publish.workspace import Workspace
from probity.warehouse.dialect import tables_read
from probity.warehouse.engine import DuckDBEngine
from tests.detectors.test_relatives_lookup import force
from tests.warehouse import prepared

READERS = ("relatives_lookup", "acquaintance_lookups", "victim_lookups_after_closure")


def _signals(engine: DuckDBEngine) -> list[tuple[object, ...]]:
    return engine.fetch("SELECT signal_id, strength, reason FROM signals ORDER BY 1")


def _temporary(engine: DuckDBEngine) -> set[str]:
    """What detectors read: the temporary views over the shared look-ups' tables."""
    return {str(r[0]) for r in engine.fetch("SELECT view_name FROM duckdb_views() WHERE temporary")}


def test_shared_lookups_are_built_by_the_first_reader_only_and_dropped_after(
    tmp_path: Path,
) -> None:
    engine, absent = prepared(force(tmp_path))
    built = []
    for name in READERS:
        d = detector(name)
        built.append(run_detector(engine, d, d.params(), absent).built)
    assert [set(b) for b in built] == [{"watched_lookups"}, set(), set()]
    assert {"watched_lookups", "tied_lookups", "flagged_lookups"} <= _temporary(engine)
    # A reader of the other view finds it built too: both come from the one pass.
    d = detector("nominal_lookups")
    assert run_detector(engine, d, d.params(), absent).built == {}
    drop_shared(engine)
    assert not {"watched_lookups", "tied_lookups", "flagged_lookups"} & _temporary(engine)
    d = detector("relatives_lookup")
    assert set(run_detector(engine, d, d.params(), absent).built) == {"watched_lookups"}


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
    assert not inputs & {"tied_lookups", "flagged_lookups", "watched_lookups"}


def test_only_watched_flags_have_their_lookups_kept() -> None:
    assert "flagged_lookups" in lookups_of_flagged("ocg_nominal")
    with pytest.raises(ValueError, match="vulnerable"):
        lookups_of_flagged("vulnerable")


def test_the_run_report_gives_each_shared_lookup_its_build_time(small_run: Path) -> None:
    w = Workspace(small_run)
    report = w.read_report(w.require_current())
    built = report["shared_lookups"]["seconds"]
    assert set(built) == {"watched_lookups"}
    assert all(seconds >= 0 for seconds in built.values())
    # The detectors that read them ran, with their own time apart from the build.
    for name in (*READERS, "nominal_lookups", "high_profile_browsing"):
        assert report["detectors"][name]["status"] == "ran"
        assert report["detectors"][name]["seconds"] >= 0


def test_one_pass_finds_what_each_view_would_find_alone(small_run: Path) -> None:
    """The flagged and tied look-ups, found together in one pass over the audit log, are each
    what a query for them alone finds: look-ups of watched records, and look-ups of someone
    tied to the person, once per tie (of a victim met on duty, after the incident closed)."""
    w = Workspace(small_run)
    engine = DuckDBEngine(w.warehouse(w.require_current()), read_only=True)
    (shared,) = SHARED
    engine.execute(f"CREATE TEMP VIEW {shared.name} AS FROM kept_lookups__{shared.name}")
    for view, sql in shared.views.items():
        engine.execute(f"CREATE TEMP VIEW {view} AS {sql}")
    watched = " OR ".join(has_flag("s.flags", f) for f in WATCHED_FLAGS)
    flagged_alone = f"""
        SELECT ap.person_key, l._source_row, s.flags FROM access_log l
        JOIN account_person ap USING (account_id) JOIN record_subjects s USING (subject_id)
        WHERE l.subject_kind = 'person' AND ({watched}) ORDER BY ALL"""
    tied_alone = f"""
        SELECT t.person_key, t.tie, t.relationship, t.incident_ref, l._source_row
        FROM access_log l JOIN account_person ap USING (account_id)
        JOIN ({_TIES}) t ON t.person_key = ap.person_key AND t.subject_id = l.subject_id
        WHERE l.subject_kind = 'person'
          AND (t.tie <> 'victim' OR l.event_time > t.closed_time) ORDER BY ALL"""
    flagged = engine.fetch(
        "SELECT person_key, _source_row, flags FROM flagged_lookups ORDER BY ALL"
    )
    tied = engine.fetch(
        """SELECT person_key, tie, relationship, incident_ref, _source_row FROM tied_lookups
           ORDER BY ALL"""
    )
    assert flagged and tied
    assert flagged == engine.fetch(flagged_alone)
    assert tied == engine.fetch(tied_alone)


def test_the_tables_that_decide_a_match_are_declared() -> None:
    """A daily run keeps a record's look-ups while the tables that decide whether it matches,
    besides the keys, are unchanged: the pass must read no table it does not declare."""
    for shared in SHARED:
        read = tables_read(shared.over("access_log", "the_keys"))
        assert read - {"access_log", "the_keys"} == set(shared.fixed), shared.name
