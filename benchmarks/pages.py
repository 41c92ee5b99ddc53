"""Benchmark: page latency of the web app on a published workspace, over real HTTP.

    uv run python -m benchmarks.pages --workspace benchmarks/out/ws-45000x3

Starts `probity serve` on the workspace in its own process, then asks for the queue (whole and
filtered), person pages and their JSON case files, and unit pages, one request at a time as a
reviewer would, and prints the median, 95th percentile and slowest time per page kind.
Every person page view is audited, as in real use.

    uv run python -m benchmarks.pages --workspace benchmarks/out/ws-45000x3 --users 50

With `--users N`, N reviewers work at once for `--seconds`, each going from the queue to a
person page and back, reading each page `--think` seconds on average (0: as fast as answers
come, a stress test); prints the same figures per page kind and the pages served per second.
"""

from __future__ import annotations

import argparse
import random
import statistics
import threading
import time
from pathlib import Path

import httpx
from tests.webserver import serving

from probity.publish.results import PublishedRun


def timed(client: httpx.Client, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    response.raise_for_status()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--people", type=int, default=60, help="person pages to open")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--users", type=int, default=0, help="reviewers working at once")
    parser.add_argument("--seconds", type=float, default=60, help="how long they work")
    parser.add_argument(
        "--think", type=float, default=0, help="mean seconds a reviewer reads each page"
    )
    args = parser.parse_args()

    run = PublishedRun.open(args.workspace)
    queue = run.queue()
    rng = random.Random(args.seed)
    people = rng.sample([r["subject"] for r in queue], min(args.people, len(queue)))
    units = sorted({r["unit_code"] for r in queue if r["unit_code"]})
    concerns = sorted({c for r in queue for c in r["concerns"].split(";")})
    pages: dict[str, list[str]] = {
        "queue": ["/queue"] * 10
        + [f"/queue?concern={c}" for c in concerns]
        + [f"/queue?unit={u}" for u in rng.sample(units, min(10, len(units)))],
        "person": [f"/person/{s}" for s in people],
        "person casefile (JSON)": [f"/api/person/{s}/casefile" for s in people[:20]],
        "unit": [f"/unit/{u}" for u in rng.sample(units, min(20, len(units)))],
    }
    print(f"workspace: {args.workspace} (run {run.run_id}, {len(queue):,} queue entries)")
    with serving(args.workspace) as base, httpx.Client(base_url=base, timeout=60) as client:
        timed(client, "/queue")  # first request: imports and warm-up, not counted
        if args.users:
            together(base, args.users, args.seconds, args.think, people, rng)
            return
        print(f"{'page':<26}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
        for kind, urls in pages.items():
            line(kind, [timed(client, u) * 1000 for u in urls])


def line(kind: str, times_ms: list[float]) -> None:
    times = sorted(times_ms)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    print(f"{kind:<26}{len(times):>9}{statistics.median(times):>11.0f}{p95:>9.0f}{times[-1]:>9.0f}")


def together(
    base: str, users: int, seconds: float, think: float, people: list[str], rng: random.Random
) -> None:
    """`users` reviewers at once, each alternating the queue page and a person page, reading
    each for `think` seconds on average (exponentially distributed; 0: no pause at all)."""
    times: dict[str, list[float]] = {"queue": [], "person": []}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    seeds = [rng.random() for _ in range(users)]

    def reviewer(seed: float) -> None:
        mine = random.Random(seed)
        if think:  # reviewers arrive over the first pause, not all in the same instant
            time.sleep(mine.uniform(0, think))
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.perf_counter() < stop:
                for kind, url in (
                    ("queue", "/queue?purpose=professional_standards"),
                    ("person", f"/person/{mine.choice(people)}"),
                ):
                    took = timed(client, url) * 1000
                    with lock:
                        times[kind].append(took)
                    if think:
                        time.sleep(mine.expovariate(1 / think))

    threads = [threading.Thread(target=reviewer, args=(s,)) for s in seeds]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    served = sum(len(v) for v in times.values())
    print(
        f"{users} reviewers for {elapsed:.0f} s: {served:,} pages, {served / elapsed:.1f} a second"
    )
    print(f"{'page':<26}{'requests':>9}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    for kind, taken in times.items():
        line(kind, taken)
    line("all", [t for v in times.values() for t in v])


if __name__ == "__main__":
    main()
