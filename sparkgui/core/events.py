"""The one progress interface that the CLI and the GUI both consume."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown, RunOutcome


class ProgressSink(Protocol):
    """Receives engine events on the event loop's thread, in order. Implementations must not block."""

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        """Receive the whole plan, once, before any check starts."""

    def check_started(self, info: CheckInfo) -> None:
        """Receive a check as it starts running."""

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """`countdown` is set while a long wait (the WebSocket hold) runs, so a timer needs no parsing."""

    def check_finished(self, record: CheckRecord) -> None:
        """Receive a check's record as it ends: passed, failed or skipped."""

    def run_finished(self, outcome: RunOutcome) -> None:
        """Receive the outcome, once, after every check has ended."""


class NullSink:
    """A sink that ignores everything; subclass it and override what you need."""

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        """Ignore the plan."""
        pass

    def check_started(self, info: CheckInfo) -> None:
        """Ignore the start."""
        pass

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """Ignore the progress."""
        pass

    def check_finished(self, record: CheckRecord) -> None:
        """Ignore the record."""
        pass

    def run_finished(self, outcome: RunOutcome) -> None:
        """Ignore the outcome."""
        pass


class RecordingSink(NullSink):
    """Keeps every event as a tuple; used by tests and handy for debugging."""

    def __init__(self) -> None:
        self.events: list[tuple[str, object]] = []

    def run_started(self, checks: Sequence[CheckInfo]) -> None:
        """Record the ids of the plan's checks."""
        self.events.append(("run_started", [c.id for c in checks]))

    def check_started(self, info: CheckInfo) -> None:
        """Record the check's id."""
        self.events.append(("check_started", info.id))

    def check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        """Record the check's id, the fraction and the message in English (not the countdown)."""
        self.events.append(("check_progress", (info.id, fraction, str(message))))

    def check_finished(self, record: CheckRecord) -> None:
        """Record the finished check."""
        self.events.append(("check_finished", record))

    def run_finished(self, outcome: RunOutcome) -> None:
        """Record the run's outcome."""
        self.events.append(("run_finished", outcome))
