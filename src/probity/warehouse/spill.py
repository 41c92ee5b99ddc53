"""How much a run spilled to disk: DuckDB works beyond its memory limit by writing to its
temporary folder, and the run report says so, stage by stage.

A background thread samples the folder's size (five times a second); the report gives each
stage's peak above what the folder held when the stage began (DuckDB may keep a small file
there between queries, which is no stage's spill). A spill shorter than a sample can go
unseen; the ones that matter for a run's time and disk (a sort or join of hundreds of millions
of rows) last seconds or minutes.
"""

from __future__ import annotations

import threading
from pathlib import Path

INTERVAL_SECONDS = 0.2


def folder_bytes(folder: Path) -> int:
    total = 0
    try:
        for path in folder.rglob("*"):
            try:
                total += path.stat().st_size if path.is_file() else 0
            except FileNotFoundError:  # DuckDB removed it while we looked
                continue
    except FileNotFoundError:
        return 0
    return total


class SpillWatch:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.peak = 0
        self._baseline = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(INTERVAL_SECONDS):
            size = folder_bytes(self.folder)
            with self._lock:
                self.peak = max(self.peak, size)

    def lap(self) -> int:
        """How far the folder grew (bytes, at its largest, counting now) over its size at the
        last lap."""
        size = folder_bytes(self.folder)
        with self._lock:
            peak, self.peak = max(self.peak, size), 0
            grown, self._baseline = max(0, peak - self._baseline), size
        return grown

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
