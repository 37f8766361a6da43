"""Collect Python's reference cycles on the GUI thread only.

The cycle collector runs in whichever thread happens to allocate. With the engine on its own thread, a
collection there could free a cycle holding Qt widgets and destroy them off the GUI thread, which crashes
Qt. So automatic collection is switched off and a GUI-thread timer collects instead, generation by
generation with the interpreter's own thresholds (the approach qutebrowser takes for the same reason).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QCoreApplication, QTimer

INTERVAL_MS = 500

_timer: QTimer | None = None


def collect_on_gui_thread() -> None:
    """Install once, from the GUI thread, before a second Python thread starts allocating."""
    global _timer
    if _timer is not None:
        return
    thresholds = gc.get_threshold()
    app = QCoreApplication.instance()
    timer = QTimer(app)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(lambda: _collect(thresholds))
    gc.disable()
    timer.start()
    _timer = timer


def _collect(thresholds: tuple[int, int, int]) -> None:
    gen0, gen1, gen2 = gc.get_count()
    if gen0 > thresholds[0]:
        gc.collect(0)
        if gen1 > thresholds[1]:
            gc.collect(1)
            if gen2 > thresholds[2]:
                gc.collect(2)
