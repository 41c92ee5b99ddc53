"""A decision holds the evidence it reviewed out of the next run's queue, and only that: new
evidence, or the other purpose's signals, still reach the queue."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from probity.casework.feedback import under_review
from probity.casework.store import CaseStore
from probity.pipeline import run_pipeline
from probity.publish.results import PublishedRun

PS = "professional_standards"


def test_reviewed_evidence_is_not_queued_again(
    small_force: Path, small_run: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    run = PublishedRun.open(ws)
    dated = []
    for entry in run.queue(PS):
        person = run.person(entry["subject"])
        assert person is not None
        signals = [s for s in person["signals"] if s["purpose"] == PS]
        if signals and all(s["period_end"] for s in signals):
            dated.append(person)
    seen_all, seen_earlier = dated[0], dated[1]
    store = CaseStore(ws)
    store.record(
        seen_all["person_key"],
        PS,
        "no_further_action",
        "explained by duties",
        "inv",
        run.run_id,
        under_review(seen_all["signals"], PS),
    )
    # The second reviewer saw the evidence as it stood a day before its last event.
    earlier = [
        replace(r, period_end=r.period_end - timedelta(days=1))
        for r in under_review(seen_earlier["signals"], PS)
        if r.period_end is not None
    ]
    store.record(
        seen_earlier["person_key"],
        PS,
        "no_further_action",
        "explained by duties",
        "inv",
        run.run_id,
        earlier,
    )

    report = run_pipeline(small_force, ws)

    rerun = PublishedRun.open(ws)
    queued = {(e["subject"], e["purpose"]) for e in rerun.queue()}
    assert (seen_all["subject"], PS) not in queued
    assert (seen_earlier["subject"], PS) in queued  # evidence after what was reviewed
    # Held back from the queue, not deleted: the person page still shows the signals.
    again = rerun.person(seen_all["subject"])
    assert again is not None
    assert {s["signal_id"] for s in again["signals"] if s["purpose"] == PS} == {
        s["signal_id"] for s in seen_all["signals"] if s["purpose"] == PS
    }
    # Welfare signals of the same person are another purpose's business and stay queued.
    welfare = {s["purpose"] for s in seen_all["signals"]} - {PS}
    assert {p for s, p in queued if s == seen_all["subject"]} == welfare
    assert report["review"] == {
        "decisions": 2,
        "signals_already_reviewed": len(under_review(seen_all["signals"], PS)),
    }
