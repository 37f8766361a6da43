"""Small helpers for the benchmark scripts: medians and a readable figure line."""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the benches reuse the tests' real loopback servers


def median(values: list[float]) -> float:
    return statistics.median(values)


def figure(name: str, value: float, unit: str, note: str = "") -> None:
    print(f"{name:<44} {value:10.3f} {unit:<3} {note}")
