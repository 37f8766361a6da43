"""Run something once the window is on screen, so heavy imports (the engine) never delay it.

It runs just after the window's first paint, or 300 ms after it is shown on platforms where no paint event
reaches the window.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

SHOWN_FALLBACK_MS = 300


class AfterFirstPaint(QObject):
    """Calls `callback` after the first paint of `widget` (it must be idempotent: the fallback calls it too)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._callback = callback
        self._painted = False
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Watch the widget's show, paint and update events; never consume them."""
        kind = event.type()
        if kind == QEvent.Type.Show:
            QTimer.singleShot(SHOWN_FALLBACK_MS, self, self._callback)
        elif kind in (QEvent.Type.Paint, QEvent.Type.UpdateRequest) and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self._callback)
        return False
