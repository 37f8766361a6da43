"""The one progress interface that the CLI and the GUI both consume."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown, RunOutcome


class ProgressSink(Protocol):
    """Receives engine events on the event loop's thread, in order. Implementations must not block."""

    def run_started(self, checks: Sequence[CheckInfo]) -> None: ...

    def check_started(self, info: CheckInfo) -> None: ...

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """`countdown` is set while a long wait (the WebSocket hold) runs, so a timer needs no parsing."""

    def check_finished(self, record: CheckRecord) -> None: ...

    def run_finished(self, outcome: RunOutcome) -> None: ...


class NullSink:
    """A sink that ignores everything; subclass it and override what you need."""

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        pass

    def check_started(self, info: CheckInfo) -> None:
        pass

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        pass

    def check_finished(self, record: CheckRecord) -> None:
        pass

    def run_finished(self, outcome: RunOutcome) -> None:
        pass


class RecordingSink(NullSink):
    """Keeps every event as a tuple; used by tests and handy for debugging."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        self.events.append(("run_started", [c.id for c in checks]))

    def check_started(self, info: CheckInfo) -> None:
        self.events.append(("check_started", info.id))

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        self.events.append(("check_progress", (info.id, fraction, str(message))))

    def check_finished(self, record: CheckRecord) -> None:
        self.events.append(("check_finished", record))

    def run_finished(self, outcome: RunOutcome) -> None:
        self.events.append(("run_finished", outcome))
