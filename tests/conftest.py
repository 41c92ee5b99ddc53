from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from probity.governance.checkpoints import CHECKPOINTS_ENV, KEY_ENV, SYSLOG_ENV
from probity.pipeline import run_pipeline
from probity.synth.force import SynthSpec, build_force
from probity.synth.tables import force_tables
from probity.synth.write import default_truth_dir, write_force

# The audit key and checkpoints live outside every workspace (governance/checkpoints.py): the
# tests keep theirs in a folder of their own, not in the account's home, and send nothing to
# the machine's system log. Commands the tests start inherit these.
_AUDIT_HOME = Path(tempfile.mkdtemp(prefix="probity-audit-"))
os.environ.setdefault(KEY_ENV, str(_AUDIT_HOME / "audit.key"))
os.environ.setdefault(CHECKPOINTS_ENV, str(_AUDIT_HOME / "checkpoints.jsonl"))
os.environ.setdefault(SYSLOG_ENV, "off")


@pytest.fixture(scope="session")
def small_force(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 600-person, one-year synthetic force; its truth is in `<exports>-truth`."""
    exports = tmp_path_factory.mktemp("force") / "exports"
    write_force(
        force_tables(build_force(SynthSpec(600, 1, 11))), exports, default_truth_dir(exports)
    )
    return exports


@pytest.fixture(scope="session")
def small_run(small_force: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small force run into a workspace; returns the workspace."""
    ws = tmp_path_factory.mktemp("ws")
    run_pipeline(small_force, ws)
    return ws


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, for one test module; screenshots go to ARTIFACTS."""
    from tests.webserver import ARTIFACTS, CHROMIUM, FLAGS

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


# The longest test files, started first so that the two workers (`-n auto --dist loadfile`)
# finish together instead of one waiting on the last of them.
LONGEST_FIRST = (
    "tests/test_spark_engine.py",
    "tests/ingest/test_incremental.py",
    "tests/ingest/test_incremental_evidence.py",
    "tests/test_cli.py",
    "tests/evaluation/test_worlds.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def order(item: pytest.Item) -> int:
        path = item.nodeid.split("::")[0]
        return LONGEST_FIRST.index(path) if path in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=order)  # stable: within a file, and among the rest, the order is kept
