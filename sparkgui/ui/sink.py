"""Engine events as Qt signals, delivered on the GUI thread in small time-boxed batches.

The engine runs on its own thread (`engine_thread`) and reports to `EngineSideSink`, a plain Python object:
nothing on the engine thread may hold or drop the last reference to a Qt object, or Qt would destroy it on
the wrong thread. Events wait in its queue; the GUI loop is woken with `call_soon_threadsafe`, and
`QtProgressSink` drains the queue at most DRAIN_BUDGET_MS at a time, so when a hundred checks finish
together the window updates over a few frames instead of freezing for one long one.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import threading
import time
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal

from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown

if TYPE_CHECKING:
    from sparkgui.core.model import RunOutcome

DRAIN_BUDGET_MS = 12.0
Event = tuple[str, tuple[Any, ...]]


class EngineSideSink:
    """The `ProgressSink` the engine thread calls: queues each event and wakes the GUI loop."""

    def __init__(self, target: QtProgressSink) -> None:
        self._target = weakref.ref(target)
        self._pending: collections.deque[Event] = collections.deque()
        self._lock = threading.Lock()
        self._scheduled = False
        self.gui_loop: asyncio.AbstractEventLoop | None = None

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        """Queue the plan for the GUI thread."""
        self._post("runStarted", list(checks))

    def check_started(self, info: CheckInfo) -> None:
        """Queue the check's start for the GUI thread."""
        self._post("checkStarted", info)

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """Queue the check's progress for the GUI thread."""
        self._post("checkProgress", info, fraction, message, countdown)

    def check_finished(self, record: CheckRecord) -> None:
        """Queue the finished check's record for the GUI thread."""
        self._post("checkFinished", record)

    def run_finished(self, outcome: RunOutcome) -> None:
        """Queue the run's outcome for the GUI thread."""
        self._post("runFinished", outcome)

    def _post(self, name: str, *args: Any) -> None:
        with self._lock:
            self._pending.append((name, args))
            wake = not self._scheduled
            self._scheduled = True
        if wake and self.gui_loop is not None:
            with contextlib.suppress(RuntimeError):  # the GUI loop is closed: nobody left to tell
                self.gui_loop.call_soon_threadsafe(self._wake)

    def _wake(self) -> None:  # on the GUI thread
        target = self._target()
        if target is not None and shiboken6.isValid(target):
            target.drain()

    def take(self) -> Event | None:
        """The next event, or None (and the next post wakes the GUI loop again)."""
        with self._lock:
            if not self._pending:
                self._scheduled = False
                return None
            return self._pending.popleft()


class QtProgressSink(QObject):
    """Re-emits the engine's events as signals on the GUI thread; the window connects them to its cards."""

    runStarted = Signal(object)
    checkStarted = Signal(object)
    checkProgress = Signal(object, float, object, object)
    checkFinished = Signal(object)
    runFinished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine_side = EngineSideSink(self)

    def bind(self, gui_loop: asyncio.AbstractEventLoop) -> EngineSideSink:
        """The sink to hand to the engine; events come back through `gui_loop` (call before a run)."""
        self.engine_side.gui_loop = gui_loop
        return self.engine_side

    def drain(self) -> None:
        """Emit queued events for up to DRAIN_BUDGET_MS, then let Qt paint before draining the rest."""
        deadline = time.perf_counter() + DRAIN_BUDGET_MS / 1000
        while time.perf_counter() < deadline:
            event = self.engine_side.take()
            if event is None:
                return
            name, args = event
            getattr(self, name).emit(*args)
        QTimer.singleShot(1, self, self.drain)  # the rest next time round, after timers and painting
