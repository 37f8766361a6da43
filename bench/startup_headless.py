"""Start-up: `sparkgui --headless --help` answers in under 0.3 s (median of 5 fresh processes).

Run: .venv/bin/python bench/startup_headless.py
Baseline: a bare `python -c pass` in the same script, to show what the interpreter alone costs.
"""

from __future__ import annotations

import subprocess
import sys
import time

from _util import figure, median


def timed(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def main() -> None:
    baseline = median([timed([sys.executable, "-c", "pass"]) for _ in range(5)])
    cli = median([timed([sys.executable, "-m", "sparkgui", "--headless", "--help"]) for _ in range(5)])
    figure("python -c pass (baseline, median of 5)", baseline, "s")
    figure("sparkgui --headless --help (median of 5)", cli, "s", "(target < 0.3 s)")
    figure("ratio to bare interpreter", cli / baseline, "x")


if __name__ == "__main__":
    main()
