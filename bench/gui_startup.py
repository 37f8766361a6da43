"""Start-up: from launching `sparkgui` to the first painted window, median of 5 fresh processes (target
<= 600 ms from source on this machine).

Run: .venv/bin/python bench/gui_startup.py        (uses the X display if there is one, else offscreen;
     under Xvfb: xvfb-run -a .venv/bin/python bench/gui_startup.py)
Baselines in the same script: a bare `python -c pass`, and a bare Qt window's first paint (Qt's own cost).
Each child writes the wall-clock time of its first paint event; the parent subtracts its launch time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from _util import figure, median

ROUNDS = 5


def child(kind: str) -> None:
    """Runs in the fresh process: note the first paint of the top-level window, then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint and isinstance(watched, QWidget):
                self.seen = True
                print(f"{time.time():.6f}", flush=True)
                QTimer.singleShot(0, app.quit)
            return False

    spy = FirstPaint()
    app.installEventFilter(spy)
    if kind == "bare":
        window = QWidget()
        window.resize(900, 780)
        window.show()
        app.exec()
        return
    from sparkgui.cli.main import main

    main([])  # the real `sparkgui` path: argument parsing, run_app, the window


def launch(kind: str, env: dict[str, str]) -> float:
    began = time.time()
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    painted = float(done.stdout.strip().splitlines()[0])
    return painted - began


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="sparkgui-bench-")  # never the user's own settings
    env["PYTHONPATH"] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    platform = env.get("QT_QPA_PLATFORM", "xcb" if env.get("DISPLAY") else "default")
    launch("sparkgui", env)  # warm the OS file cache once, as a second launch of an app would be
    python = median([subprocess_time([sys.executable, "-c", "pass"]) for _ in range(ROUNDS)])
    bare = median([launch("bare", env) for _ in range(ROUNDS)])
    app = median([launch("sparkgui", env) for _ in range(ROUNDS)])
    print(f"platform: {platform}")
    figure("python -c pass (baseline, median of 5)", python * 1000, "ms")
    figure("bare Qt window, first paint (median of 5)", bare * 1000, "ms")
    figure("sparkgui window, first paint (median of 5)", app * 1000, "ms", "(target <= 600 ms)")
    figure("sparkgui cost above a bare Qt window", (app - bare) * 1000, "ms")


def subprocess_time(args: list[str]) -> float:
    began = time.time()
    subprocess.run(args, check=True)
    return time.time() - began


if __name__ == "__main__":
    main()
