"""Engine events as Qt signals, delivered on the GUI thread in small time-boxed batches.

The engine runs on its own thread (`engine_thread`). Its events are queued here and drained on the GUI
thread at most DRAIN_BUDGET_MS at a time: when a hundred checks finish together, the window updates over
a few frames instead of freezing for one long one.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance

from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckRecord

if TYPE_CHECKING:
    from sparkgui.core.runner import RunOutcome

DRAIN_BUDGET_MS = 12.0


class QtProgressSink(QObject):
    """A `ProgressSink` callable from any thread; the window connects its signals to its cards."""

    runStarted = Signal(object)
    checkStarted = Signal(object)
    checkProgress = Signal(object, float, object)
    checkFinished = Signal(object)
    runFinished = Signal(object)
    _wake = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pending: collections.deque[tuple[SignalInstance, tuple[Any, ...]]] = collections.deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self._wake.connect(self._drain, Qt.ConnectionType.QueuedConnection)

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        self._post(self.runStarted, list(checks))

    def check_started(self, info: CheckInfo) -> None:
        self._post(self.checkStarted, info)

    def check_progress(self, info: CheckInfo, fraction: float, message: Text) -> None:
        self._post(self.checkProgress, info, fraction, message)

    def check_finished(self, record: CheckRecord) -> None:
        self._post(self.checkFinished, record)

    def run_finished(self, outcome: RunOutcome) -> None:
        self._post(self.runFinished, outcome)

    def _post(self, signal: SignalInstance, *args: Any) -> None:
        with self._lock:
            self._pending.append((signal, args))
            wake = not self._scheduled
            self._scheduled = True
        if wake:
            self._wake.emit()  # queued: _drain runs on the GUI thread

    def _drain(self) -> None:
        deadline = time.perf_counter() + DRAIN_BUDGET_MS / 1000
        while time.perf_counter() < deadline:
            with self._lock:
                if not self._pending:
                    self._scheduled = False
                    return
                signal, args = self._pending.popleft()
            signal.emit(*args)
        QTimer.singleShot(1, self._drain)  # the rest next time round, after timers and painting
