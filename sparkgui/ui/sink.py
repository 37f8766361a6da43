"""Engine events as Qt signals. Events arrive on the loop's thread, which qasync makes the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckRecord

if TYPE_CHECKING:
    from sparkgui.core.runner import RunOutcome


class QtProgressSink(QObject):
    """A `ProgressSink` whose methods emit signals; the window connects them to its cards."""

    runStarted = Signal(object)
    checkStarted = Signal(object)
    checkProgress = Signal(object, float, object)
    checkFinished = Signal(object)
    runFinished = Signal(object)

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        self.runStarted.emit(list(checks))

    def check_started(self, info: CheckInfo) -> None:
        self.checkStarted.emit(info)

    def check_progress(self, info: CheckInfo, fraction: float, message: Text) -> None:
        self.checkProgress.emit(info, fraction, message)

    def check_finished(self, record: CheckRecord) -> None:
        self.checkFinished.emit(record)

    def run_finished(self, outcome: RunOutcome) -> None:
        self.runFinished.emit(outcome)
