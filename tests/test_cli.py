"""The command line end to end on a small synthetic force, as a user would call it."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from probity.governance.audit import AuditLog
from probity.publish.workspace import Workspace
from probity.resolve.judgements import JudgementStore

QUEUE_HEADER = ["rank", "subject", "purpose", "priority", "concerns", "signals", "reason"]


def probity(
    *args: str | Path,
    check: bool = True,
    env: dict[str, str] | None = None,
    timeout: float = 300,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    # The timeout only stops a hung command; how fast a run is belongs to benchmarks/.
    result = subprocess.run(
        [sys.executable, "-m", "probity", *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=timeout,
        cwd=cwd,
        stdin=subprocess.DEVNULL,  # no command waits on a terminal
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"probity {args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("cli")
    probity("synth", "--people", "300", "--years", "1", "--seed", "5", "--out", root / "exports")
    probity("run", root / "exports", "--workspace", root / "ws")
    return root / "exports", root / "ws"


def test_synth_writes_truth_beside_the_exports_never_inside(cli_run: tuple[Path, Path]) -> None:
    exports, _ = cli_run
    truth = exports.parent / "exports-truth"
    assert {"planted.csv", "decoys.csv", "identity_links.csv", "messy_references.csv"} <= {
        p.name for p in truth.iterdir()
    }
    assert not any(
        "truth" in p.name or p.name.startswith(("planted", "decoys")) for p in exports.iterdir()
    )
    assert (exports / "access_log.parquet").exists()


def test_queue_piped_is_one_tab_separated_line_a_row(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    lines = probity("queue", "--workspace", ws).stdout.splitlines()
    as_csv = list(
        csv.reader(io.StringIO(probity("queue", "--workspace", ws, "--format", "csv").stdout))
    )
    # Nothing cut to a terminal's width: the same cells as the CSV export, whole.
    assert [line.split("\t") for line in lines] == as_csv


def test_queue_csv_follows_the_output_contract(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    rows = list(
        csv.reader(io.StringIO(probity("queue", "--workspace", ws, "--format", "csv").stdout))
    )
    assert rows[0] == QUEUE_HEADER
    body = rows[1:]
    assert body, "the synthetic force has planted cases, so the queue is not empty"
    priorities = [float(r[3]) for r in body]
    assert priorities == sorted(priorities, reverse=True)
    for r in body:
        assert r[1].startswith("P-"), "pseudonymous by default"
        assert r[2] in ("professional_standards", "welfare")
        assert int(r[5]) >= 1 and r[6].endswith(".")


def test_queue_limit_and_purpose(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    data = json.loads(
        probity(
            "queue",
            "--workspace",
            ws,
            "--format",
            "json",
            "--limit",
            "2",
            "--purpose",
            "professional_standards",
        ).stdout
    )
    assert [r["rank"] for r in data] == [1, 2]
    assert list(data[0]) == QUEUE_HEADER


def test_report_json_accounts_for_every_row(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    report = json.loads(probity("report", "--workspace", ws, "--format", "json").stdout)
    assert {
        "run_id",
        "status",
        "started_at",
        "finished_at",
        "tables",
        "detectors",
        "fairness",
    } <= set(report)
    assert report["status"] == "succeeded"
    for t in report["tables"].values():
        assert t["rows_read"] == t["rows_loaded"] + t["rows_quarantined"]
        assert sum(t["quarantine_reasons"].values()) == t["rows_quarantined"]
    assert {d["status"] for d in report["detectors"].values()} == {"ran"}


def test_reveal_needs_a_reason(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    result = probity("queue", "--workspace", ws, "--reveal", check=False)
    assert result.returncode == 2
    assert "--reason" in result.stderr


def test_reveal_with_a_reason_shows_hr_ids_and_is_audited(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    before = len(AuditLog(ws).entries())
    out = probity(
        "queue",
        "--workspace",
        ws,
        "--format",
        "csv",
        "--limit",
        "1",
        "--reveal",
        "--reason",
        "assessment PSD/123",
        env={"PROBITY_ACTOR": "analyst.jones"},
    ).stdout
    subject = list(csv.reader(io.StringIO(out)))[1][1]
    assert subject.startswith("E")
    events = AuditLog(ws).entries()[before:]
    assert [(e["action"], e["actor"], e["subject"], e["reason"], e["purpose"]) for e in events] == [
        ("export", "analyst.jones", None, None, None),
        ("reveal", "analyst.jones", subject, "assessment PSD/123", "professional_standards"),
    ]
    assert events[0]["details"]["rows"] == 1
    assert "audit log intact" in probity("audit", "verify", "--workspace", ws).stdout
    # The audit log's export names the person by pseudonym; a search by HR id still finds them.
    found = probity("audit", "log", "--workspace", ws, "--subject", subject).stdout
    rows = list(csv.DictReader(io.StringIO(found)))
    assert rows and all(r["subject"].startswith("P-") for r in rows)
    assert subject not in found


def test_bad_input_fails_clearly_and_leaves_the_last_good_run_current(
    cli_run: tuple[Path, Path], tmp_path: Path
) -> None:
    exports, ws = cli_run
    current = (ws / "CURRENT").read_text()
    broken = tmp_path / "broken"
    broken.mkdir()
    for f in exports.iterdir():
        (broken / f.name).write_bytes(f.read_bytes())
    people = broken / "people.csv"
    people.write_bytes(people.read_bytes()[:-40])  # cut off mid-record
    result = probity("run", broken, "--workspace", ws, check=False)
    assert result.returncode == 1
    assert "people.csv" in result.stderr and "truncated" in result.stderr
    assert (ws / "CURRENT").read_text() == current
    assert probity("queue", "--workspace", ws, "--format", "csv").stdout.count("\n") > 1


def test_a_run_killed_midway_leaves_the_last_good_run_current(cli_run: tuple[Path, Path]) -> None:
    exports, ws = cli_run
    current = (ws / "CURRENT").read_text()
    before = {p.name for p in (ws / "runs").iterdir()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "probity", "run", str(exports), "--workspace", str(ws)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 60
    new: set[str] = set()
    while time.time() < deadline and not new:
        new = {p.name for p in (ws / "runs").iterdir()} - before
        time.sleep(0.05)
    time.sleep(0.3)  # let it get into the work
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert new, "the run never started"
    assert (ws / "CURRENT").read_text() == current
    assert probity("queue", "--workspace", ws, "--format", "csv").stdout.count("\n") > 1
    # The next run notices the dead one and says so in its report.
    probity("run", exports, "--workspace", ws)
    (dead,) = new
    report = json.loads(
        probity("report", "--workspace", ws, "--run", dead, "--format", "json").stdout
    )
    assert report["status"] == "abandoned"


def test_a_second_run_while_one_is_running_changes_nothing(cli_run: tuple[Path, Path]) -> None:
    # A nightly job that overruns into the next night's must not start a second run beside it.
    exports, ws = cli_run
    current = (ws / "CURRENT").read_text()
    before = {p.name for p in (ws / "runs").iterdir()}
    with Workspace(ws).exclusive():  # as a run in progress holds it
        result = probity("run", exports, "--workspace", ws, check=False)
    assert result.returncode == 1
    assert "another run is in progress" in result.stderr
    assert {p.name for p in (ws / "runs").iterdir()} == before
    assert (ws / "CURRENT").read_text() == current


def test_detectors_command_lists_the_catalogue() -> None:
    out = probity("detectors", "--format", "markdown").stdout
    for name in ("relatives_lookup", "overtime_while_absent", "undeclared_directorship"):
        assert f"`{name}`" in out


def test_docs_detector_catalogue_is_generated_from_the_registry() -> None:
    from probity.detectors.catalogue import markdown

    docs = Path(__file__).parent.parent / "docs" / "detectors.md"
    assert docs.read_text() == markdown(), (
        "run: probity detectors --format markdown > docs/detectors.md"
    )


def test_links_csv_has_the_documented_columns(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    before = len(AuditLog(ws).entries())
    rows = list(
        csv.reader(
            io.StringIO(
                probity(
                    "links", "--workspace", ws, "--task", "system_account", "--format", "csv"
                ).stdout
            )
        )
    )
    assert rows[0] == ["task", "record_id", "subject", "probability", "method"]
    assert len(rows) > 100
    assert all(
        r[0] == "system_account" and r[2].startswith("P-") and 0 < float(r[3]) <= 1
        for r in rows[1:]
    )
    export = AuditLog(ws).entries()[before:]
    assert [(e["action"], e["details"]["what"], e["details"]["rows"]) for e in export] == [
        ("export", "links system_account", len(rows) - 1)
    ]


def test_links_need_a_known_task(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    result = probity("links", "--workspace", ws, "--task", "gossip", check=False)
    assert result.returncode == 2 and "complaint_subject" in result.stderr


def test_links_review_takes_judgements_from_the_terminal_and_audits_them(
    small_run: Path, tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(small_run, ws)
    assert (
        probity("links", "review", "--workspace", ws, check=False).returncode == 2
    )  # no reason given
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "probity",
            "links",
            "review",
            "--workspace",
            str(ws),
            "--task",
            "complaint_subject",
            "--reason",
            "weekly review",
            "--actor",
            "sgt.review",
        ],
        input="n\nq\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "1 judgements recorded" in result.stdout
    actions = [e["action"] for e in AuditLog(ws).entries() if e["actor"] == "sgt.review"]
    assert actions[0] == "clerical_review"
    assert "link_judgement" in actions[1:]
    decisions = {j.decision for j in JudgementStore(ws).latest()}
    assert decisions == {"reject"}
    judged = len(JudgementStore(ws).latest())
    # With no input left (a pipe, or Ctrl-D) the review stops cleanly, keeping what was judged.
    ended = probity("links", "review", "--workspace", ws, "--reason", "again", check=False)
    assert ended.returncode == 0, ended.stderr
    assert "0 judgements recorded" in ended.stdout
    assert len(JudgementStore(ws).latest()) == judged


def test_evaluate_measures_the_queue_against_truth_and_the_baseline(
    cli_run: tuple[Path, Path],
) -> None:
    exports, _ = cli_run
    truth = exports.parent / "exports-truth"
    ws = exports.parent / "ws-evaluate"
    first = json.loads(
        probity("evaluate", exports, "--truth", truth, "--workspace", ws, "--format", "json").stdout
    )
    ps = first["purposes"]["professional_standards"]
    at_k = ps["at_k"]["one_and_a_half_times_planted"]
    with (truth / "planted.csv").open() as f:
        planted = {r["person_id"] for r in csv.DictReader(f) if r["concern"] != "welfare"}
    assert ps["planted"] == len(planted)
    assert at_k["k"] == round(1.5 * len(planted))
    # Team-culture plants need a team's worth of signals, which 300 people rarely give.
    assert at_k["recall"] >= 0.7 and at_k["churn"] is None
    baseline = ps["baseline"]["at_k"]["one_and_a_half_times_planted"]
    assert at_k["true_positives"] >= 1.75 * max(1, baseline["true_positives"])
    assert at_k["decoys"] <= baseline["decoys"]
    assert {"sex", "ethnicity"} <= set(ps["error_rates_at_k"])
    white = next(g for g in ps["error_rates_at_k"]["ethnicity"] if g["group"] == "White")
    # White is the largest group: Aequitas's reference, so its disparity is 1 by definition.
    assert white["flag_prevalence_disparity_vs_largest_group"] == 1.0
    assert (ws / "runs" / first["run_id"] / "evaluation.json").exists()

    # The same exports again: the same queue, so nothing churns.
    second = json.loads(
        probity("evaluate", exports, "--truth", truth, "--workspace", ws, "--format", "json").stdout
    )
    assert second["previous_run_id"] == first["run_id"]
    assert (
        second["purposes"]["professional_standards"]["at_k"]["one_and_a_half_times_planted"][
            "churn"
        ]
        == 0.0
    )


def test_evaluate_needs_a_truth_folder(cli_run: tuple[Path, Path], tmp_path: Path) -> None:
    exports, _ = cli_run
    result = probity(
        "evaluate", exports, "--truth", tmp_path, "--workspace", tmp_path / "ws", check=False
    )
    assert result.returncode == 2
    assert "planted.csv" in result.stderr


def _copy_exports(exports: Path, to: Path) -> Path:
    to.mkdir()
    for f in exports.iterdir():
        (to / f.name).write_bytes(f.read_bytes())
    return to


def test_a_header_only_people_file_is_refused_and_the_good_queue_stays(
    cli_run: tuple[Path, Path], tmp_path: Path
) -> None:
    exports, ws = cli_run
    current = (ws / "CURRENT").read_text()
    failed = _copy_exports(exports, tmp_path / "failed-export")
    people = failed / "people.csv"
    people.write_text(people.read_text().splitlines()[0] + "\n")
    result = probity("run", failed, "--workspace", ws, check=False)
    assert result.returncode == 1
    assert "refused" in result.stderr and "people: 0 records against 300" in result.stderr
    assert "--accept-shrink" in result.stderr
    assert (ws / "CURRENT").read_text() == current


def test_an_accepted_shrink_is_audited_and_missing_columns_are_named(
    cli_run: tuple[Path, Path], tmp_path: Path
) -> None:
    exports, ws = cli_run
    copy = tmp_path / "ws"
    shutil.copytree(ws, copy)
    smaller = _copy_exports(exports, tmp_path / "one-command")
    with (exports / "people.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    columns = [c for c in rows[0] if c != "surname"]
    with (smaller / "people.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows[:100])
    reason = "pilot limited to one command"
    out = probity("run", smaller, "--workspace", copy, "--accept-shrink", reason).stdout
    assert "accepted shrink" in out and "people: 100 records against 300" in out
    assert "people.csv has no column surname" in out and "without surnames" in out
    [entry] = [e for e in AuditLog(copy).entries() if e["action"] == "accept_shrink"]
    assert entry["reason"] == reason


def test_every_file_in_the_workspace_is_its_owner_s_alone(cli_run: tuple[Path, Path]) -> None:
    _, ws = cli_run
    probity("audit", "verify", "--workspace", ws)  # written by several commands by now
    loose = [
        (str(p.relative_to(ws)), oct(p.stat().st_mode & 0o777))
        for p in [ws, *ws.rglob("*")]
        if p.stat().st_mode & 0o077
    ]
    assert loose == []


def test_a_workspace_opened_to_other_accounts_is_refused(
    cli_run: tuple[Path, Path], tmp_path: Path
) -> None:
    _, ws = cli_run
    copy = tmp_path / "ws"
    shutil.copytree(ws, copy)
    os.chmod(copy / "runs", 0o755)
    result = probity("queue", "--workspace", copy, check=False)
    assert result.returncode == 1
    assert "open to other accounts" in result.stderr and "chmod -R go=" in result.stderr
    os.chmod(copy / "runs", 0o700)
    assert probity("queue", "--workspace", copy).returncode == 0


def test_version_is_printed() -> None:
    from importlib.metadata import version

    assert probity("--version").stdout == f"probity {version('probity')}\n"


def test_serve_refuses_a_workspace_that_does_not_exist(tmp_path: Path) -> None:
    misspelt = tmp_path / "worksapce"
    result = probity("serve", "--workspace", misspelt, check=False, timeout=60)
    assert result.returncode == 1
    assert "no workspace at" in result.stderr
    assert not misspelt.exists()
    # The web stack imports without a deprecation warning (Authlib on httpx2).
    assert "Warning" not in result.stderr
