"""The result model shared by the engine, the CLI, the GUI and the reports.

A result keeps its cause as the `Cause` enum: what the cause means (family, severity, phrase, rule) is looked
up in `sparkgui.core.catalogue`, never spelled again as a string literal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.facts import Facts
from sparkgui.core.i18n import Text
from sparkgui.core.ids import CheckId, CheckKind, Target


class Status(StrEnum):
    """What became of one check."""

    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIPPED = "skipped"  # did not run; the summary says why
    ERROR = "error"  # the checker itself broke

    @property
    def lets_dependents_run(self) -> bool:
        """A prerequisite that passed or only warned still lets the checks after it run."""
        return self in (Status.PASS, Status.WARN)


class Verdict(StrEnum):
    """The run as a whole, for the traffic light."""

    READY = "ready"
    READY_WITH_WARNINGS = "ready_with_warnings"
    NOT_READY = "not_ready"
    INCOMPLETE = "incomplete"


Evidence = Mapping[str, Any]


@dataclass(frozen=True)
class CheckResult:
    """What one check found. `evidence` holds JSON-ready facts; `handoff` is for dependent checks only."""

    status: Status
    cause: Cause
    summary: Text
    remedy: Text | None = None
    evidence: Evidence = field(default_factory=dict)
    duration_ms: int = 0
    handoff: Facts | None = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class CheckInfo:
    """The identity of a planned check: its stable id (kind and target) and its prerequisites.

    `requires` must all pass (or warn) for the result to count. `starts_after`, when set, lets the check start
    its network work as soon as those checks are done, while the rest of `requires` is still running: the
    result is published only if they all pass, else the check is skipped naming the one that failed. This
    overlaps round trips (TLS and HTTPS need not wait for TCP) without ever reporting past a failed step.
    """

    id: CheckId
    requires: tuple[CheckId, ...] = ()
    title: Text | None = None
    starts_after: tuple[CheckId, ...] | None = None

    @property
    def kind(self) -> CheckKind:
        """What the check tests."""
        return self.id.kind

    @property
    def target(self) -> Target:
        """Where the check points."""
        return self.id.target

    @property
    def gates(self) -> tuple[CheckId, ...]:
        """The checks that must be done before this one starts."""
        return self.requires if self.starts_after is None else self.starts_after


@dataclass(frozen=True)
class CheckRecord:
    """A planned check and what it found."""

    info: CheckInfo
    result: CheckResult

    @property
    def id(self) -> CheckId:
        """The check's stable id."""
        return self.info.id


@dataclass(frozen=True)
class RunOutcome:
    """Every record of one run, in plan order, and when it ran."""

    records: tuple[CheckRecord, ...]
    cancelled: bool
    started_at: dt.datetime
    finished_at: dt.datetime
    duration_ms: int

    @property
    def verdict(self) -> Verdict:
        """The traffic light for this run."""
        return verdict_of(self.records, cancelled=self.cancelled)


@dataclass(frozen=True)
class Countdown:
    """How far a long check (the WebSocket hold) has come, in whole seconds, for a countdown."""

    elapsed_s: int
    remaining_s: int

    @property
    def fraction(self) -> float:
        """The share of the wait already done."""
        total = self.elapsed_s + self.remaining_s
        return self.elapsed_s / total if total > 0 else 1.0

    @property
    def clock(self) -> str:
        """Remaining time as m:ss, the way a kitchen timer shows it."""
        minutes, seconds = divmod(max(0, self.remaining_s), 60)
        return f"{minutes}:{seconds:02d}"


def verdict_of(records: Iterable[CheckRecord], *, cancelled: bool = False) -> Verdict:
    """Overall verdict. Skipped checks do not count; a cancel or a checker error makes it incomplete."""
    statuses = {record.result.status for record in records}
    if cancelled or Status.ERROR in statuses:
        return Verdict.INCOMPLETE
    if Status.FAIL in statuses:
        return Verdict.NOT_READY
    if Status.WARN in statuses:
        return Verdict.READY_WITH_WARNINGS
    return Verdict.READY
