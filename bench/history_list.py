"""The history lists 1,000 runs in under 100 ms (the window's History view and `--history`).

1,000 runs with reports of a realistic size (about 40 KB) are written to a temporary history, then listed
five times; the median is printed, and a one-run listing in the same file as the baseline.
Run: .venv/bin/python bench/history_list.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import _util  # noqa: F401  (puts the repository root on sys.path)
from _util import figure, median

from sparkgui.core.history.store import History

RUNS = 1000
REPORT_PADDING = 40_000  # bytes: a real report with evidence for a dozen hosts


def _report(n: int) -> dict[str, object]:
    return {
        "schema": "sparkgui.report/1",
        "started_at": f"2026-{n % 12 + 1:02d}-{n % 28 + 1:02d}T10:{n % 60:02d}:00.000+00:00",
        "profile": {"name": "Sparkup", "source": "bundled:sparkup"},
        "event": {"venue": f"Venue {n % 40}", "name": "Summit"},
        "verdict": "ready",
        "demo": False,
        "problems": [],
        "checks": [],
        "evidence_padding": "x" * REPORT_PADDING,
    }


def _timed(history: History, limit: int) -> float:
    times = []
    for _ in range(5):
        began = time.perf_counter()
        listed = history.runs(limit=limit)
        times.append(time.perf_counter() - began)
        assert len(listed) == min(limit, RUNS)
    return median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        history = History(Path(folder))
        began = time.perf_counter()
        for n in range(RUNS):
            history.add(_report(n))
        figure(f"writing {RUNS} runs", time.perf_counter() - began, "s")
        one = _timed(history, 1)
        thousand = _timed(history, RUNS)
    figure("listing 1 run (median of 5)", one * 1000, "ms")
    figure(f"listing {RUNS} runs (median of 5)", thousand * 1000, "ms", "(target < 100 ms)")
    figure("ratio", thousand / one, "×")


if __name__ == "__main__":
    main()
