"""The shape every check has, and helpers to build results."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.context import CheckScope
from sparkgui.core.facts import Facts
from sparkgui.core.i18n import Text
from sparkgui.core.model import CheckInfo, CheckResult, Status


class Check(ABC):
    """One planned check. `run` is only called once every prerequisite passed or warned."""

    def __init__(self, info: CheckInfo) -> None:
        self.info = info

    @abstractmethod
    async def run(self, scope: CheckScope) -> CheckResult:
        """Test the network and say what was found; never raise for a network fault."""


def result(
    status: Status,
    cause: Cause,
    summary: Text,
    remedy: Text | None = None,
    evidence: Mapping[str, Any] | None = None,
    facts: Facts | None = None,
) -> CheckResult:
    """A result with its cause kept as the enum."""
    return CheckResult(status, cause, summary, remedy, dict(evidence or {}), handoff=facts)


def passed(summary: Text, evidence: Mapping[str, Any] | None = None, facts: Facts | None = None) -> CheckResult:
    """The check passed; `facts` go to the checks that depend on it."""
    return result(Status.PASS, Cause.OK, summary, None, evidence, facts)


def failed(cause: Cause, summary: Text, remedy: Text, evidence: Mapping[str, Any] | None = None) -> CheckResult:
    """The check failed for `cause`; `remedy` says what to ask the venue's IT."""
    return result(Status.FAIL, cause, summary, remedy, evidence)


def warned(
    cause: Cause, summary: Text, remedy: Text, evidence: Mapping[str, Any] | None = None, facts: Facts | None = None
) -> CheckResult:
    """The check passed with a warning; dependent checks still run."""
    return result(Status.WARN, cause, summary, remedy, evidence, facts)


def skipped(cause: Cause, summary: Text, evidence: Mapping[str, Any] | None = None) -> CheckResult:
    """The check did not run; `summary` says why."""
    return result(Status.SKIPPED, cause, summary, None, evidence)
