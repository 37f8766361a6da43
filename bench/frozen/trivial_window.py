"""The baseline bench/frozen_startup.py freezes beside sparkgui: a bare PySide6 window and an argparse --help.

It reports its first paint the way sparkgui does (SPARKGUI_FIRST_PAINT_FILE), so the two are timed alike.
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser(prog="trivial-window", description="A bare Qt window, for benchmarks.")
    parser.parse_args()
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.resize(900, 780)
    target = os.environ.get("SPARKGUI_FIRST_PAINT_FILE", "")

    class Probe(QObject):
        seen = False

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if target and not self.seen and event.type() == QEvent.Type.Paint:
                self.seen = True
                with open(target, "w", encoding="utf-8") as out:
                    out.write(f"{time.time():.6f}\n")
                QTimer.singleShot(0, app.quit)
            return False

    probe = Probe()
    window.installEventFilter(probe)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
