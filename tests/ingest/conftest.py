from __future__ import annotations

from pathlib import Path

import pytest

from tests.ingest.days import two_days


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Yesterday's and today's exports of one small force (`tests/ingest/days.py`)."""
    return two_days(tmp_path_factory.mktemp("days"))
