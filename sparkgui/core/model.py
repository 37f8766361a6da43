"""The result model shared by the engine, the CLI, the GUI and the reports (see design.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sparkgui.core.i18n import Text


class Status(StrEnum):
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
    READY = "ready"
    READY_WITH_WARNINGS = "ready_with_warnings"
    NOT_READY = "not_ready"
    INCOMPLETE = "incomplete"


Evidence = Mapping[str, Any]


@dataclass(frozen=True)
class CheckResult:
    """What one check found. `evidence` holds JSON-ready facts; `handoff` is for dependent checks only."""

    status: Status
    cause: str
    summary: Text
    remedy: Text | None = None
    evidence: Evidence = field(default_factory=dict)
    duration_ms: int = 0
    handoff: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class CheckInfo:
    """The identity of a planned check: stable id (`kind:target`), kind, target and prerequisites.

    `requires` must all pass (or warn) for the result to count. `starts_after`, when set, lets the check start
    its network work as soon as those checks are done, while the rest of `requires` is still running: the
    result is published only if they all pass, else the check is skipped naming the one that failed. This
    overlaps round trips (TLS and HTTPS need not wait for TCP) without ever reporting past a failed step.
    """

    kind: str
    target: str
    requires: tuple[str, ...] = ()
    title: Text | None = None
    starts_after: tuple[str, ...] | None = None

    @property
    def gates(self) -> tuple[str, ...]:
        """The checks that must be done before this one starts."""
        return self.requires if self.starts_after is None else self.starts_after

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.target}"


@dataclass(frozen=True)
class CheckRecord:
    info: CheckInfo
    result: CheckResult

    @property
    def id(self) -> str:
        return self.info.id


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
