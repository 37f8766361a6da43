"""The start-up benchmarks' probe: `sparkgui` with SPARKGUI_FIRST_PAINT_FILE paints, notes when, and quits."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def test_the_window_notes_its_first_paint_and_quits(tmp_path: Path) -> None:
    target = tmp_path / "painted"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SPARKGUI_FIRST_PAINT_FILE": str(target)}
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    began = time.time()
    done = subprocess.run([sys.executable, "-m", "sparkgui"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    painted = float(target.read_text(encoding="utf-8"))
    assert began < painted < time.time()
