"""The shape every check has, and helpers to build results."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckResult, Status


class Check(ABC):
    """One planned check. `run` is only called once every prerequisite passed or warned."""

    def __init__(self, info: CheckInfo) -> None:
        self.info = info

    @abstractmethod
    async def run(self, scope: CheckScope) -> CheckResult: ...


def result(
    status: Status,
    cause: Cause,
    summary: Text,
    remedy: Text | None = None,
    evidence: Mapping[str, Any] | None = None,
    handoff: Mapping[str, Any] | None = None,
) -> CheckResult:
    return CheckResult(status, str(cause), summary, remedy, dict(evidence or {}), handoff=dict(handoff or {}))


def passed(summary: Text, evidence: Mapping[str, Any] | None = None, **handoff: Any) -> CheckResult:
    return result(Status.PASS, Cause.OK, summary, None, evidence, handoff)


def failed(cause: Cause, summary: Text, remedy: Text, evidence: Mapping[str, Any] | None = None) -> CheckResult:
    return result(Status.FAIL, cause, summary, remedy, evidence)


def warned(
    cause: Cause, summary: Text, remedy: Text, evidence: Mapping[str, Any] | None = None, **handoff: Any
) -> CheckResult:
    return result(Status.WARN, cause, summary, remedy, evidence, handoff)


def skipped(cause: Cause, summary: Text, evidence: Mapping[str, Any] | None = None) -> CheckResult:
    return result(Status.SKIPPED, cause, summary, None, evidence)
