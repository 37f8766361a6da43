"""Problems, not checks: one root cause together with the checks it explains.

A dead resolver fails every DNS check, a proxy that wants a password fails every connection: each is one
problem to fix, counted once by the verdict, listed once in "What to change", filed under its real family.
The same grouping serves a live run (`CheckRecord`) and a report read back from JSON (`Finding`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sparkgui.core.catalogue import CauseEntry, Family, LocalFix, Scope, entry_for_code
from sparkgui.core.i18n import Text, amount, number, tr
from sparkgui.core.ids import CheckId, Target
from sparkgui.core.model import CheckRecord, Status

PROBLEM_STATUSES = (Status.FAIL, Status.ERROR, Status.WARN)  # in the order problems are listed
DEFAULT_WEBSOCKET_MINUTES = 10  # the platform's sessions keep WebSockets open this long


@dataclass(frozen=True)
class Finding:
    """What a problem needs to know of one check, from a live record or a report's JSON."""

    id: CheckId
    status: Status
    code: str  # the cause code (a report from a newer version may hold one this version does not know)
    summary: Text
    remedy: Text | None = None
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, record: CheckRecord) -> Finding:
        """The finding of a live check."""
        result = record.result
        return cls(record.id, result.status, str(result.cause), result.summary, result.remedy, result.evidence)

    @property
    def target(self) -> Target:
        """Where the check pointed."""
        return self.id.target

    @property
    def entry(self) -> CauseEntry | None:
        """The catalogue entry of its cause (None for a cause of an unknown family)."""
        return entry_for_code(self.code)


@dataclass(frozen=True)
class Rule:
    """One change for IT: who owns it (`label`) and the concrete action."""

    label: Text
    action: Text


@dataclass(frozen=True)
class Problem:
    """One root cause and the checks it explains, in plan order."""

    code: str
    entry: CauseEntry | None
    severity: Status  # FAIL, ERROR or WARN: the worst of its checks
    findings: tuple[Finding, ...]

    @property
    def family(self) -> Family:
        """Who owns the fix."""
        return self.entry.family if self.entry is not None else Family.CHECKER

    @property
    def check_ids(self) -> tuple[CheckId, ...]:
        """The checks this problem explains."""
        return tuple(f.id for f in self.findings)

    @property
    def local_fix(self) -> LocalFix:
        """Whether this laptop's user can fix it (sign in, change a setting)."""
        return self.entry.local_fix if self.entry is not None else LocalFix.NONE

    @property
    def hosts(self) -> tuple[str, ...]:
        """Every host the problem touches, each once."""
        return tuple(dict.fromkeys(f.target.host for f in self.findings if f.target.host))

    def phrase(self, platform: str) -> Text:
        """What the problem means for the event, completing "Not ready: …"."""
        if self.entry is None or self.entry.phrase is None:
            return tr("some checks failed")
        return self.entry.phrase.with_params(platform=platform)

    def rule(self, proxy: str | None = None) -> Rule:
        """The rule IT must apply, in the reader's language when rendered; `proxy` is host:port, if any."""
        spec = self.entry.rule if self.entry is not None else None
        if spec is None:
            first = self.findings[0]
            return Rule(tr("Other"), tr("{remedy}", remedy=first.remedy or first.summary or Text(self.code)))
        target = next((f.target for f in self.findings if f.target.host), self.findings[0].target)
        action = spec.action.with_params(
            host=", ".join(self.hosts) or target.label,
            domain=target.domain or target.label,
            port=target.port,
            proxy=proxy or tr("configured on this computer"),
            minutes=_websocket_minutes(self.findings),
        )
        died = _first_number(self.findings, "idle_s", "after_s") if spec.cut_after else None
        if died is not None:
            action = tr("{rule} Today they are cut after {seconds} s.", rule=action, seconds=amount(died))
        needed = _capacity_need(self.findings)
        if needed is not None:
            action = tr("{rule} {need}", rule=action, need=needed)
        return Rule(spec.label, action)

    @property
    def summaries(self) -> tuple[Text, ...]:
        """What the checks found, each sentence once."""
        seen: dict[str, Text] = {}
        for finding in self.findings:
            seen.setdefault(finding.summary.template + repr(sorted(finding.summary.params.items())), finding.summary)
        return tuple(seen.values())


def problems_of(findings: Iterable[Finding | CheckRecord]) -> list[Problem]:
    """Group failed, warned and errored checks into problems: failures first, then warnings, in plan order."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for item in findings:
        finding = item if isinstance(item, Finding) else Finding.of(item)
        if finding.status not in PROBLEM_STATUSES:
            continue
        groups.setdefault(_key(finding), []).append(finding)
    problems = [
        Problem(code, found[0].entry, min((f.status for f in found), key=PROBLEM_STATUSES.index), tuple(found))
        for (code, _), found in groups.items()
    ]
    problems.sort(key=lambda problem: 0 if problem.severity is not Status.WARN else 1)  # stable: plan order
    return problems


@dataclass(frozen=True)
class RuleLine:
    """A rule for IT's list: problems whose rules read the same are one line, with all their checks."""

    rule: Rule
    severity: Status
    check_ids: tuple[CheckId, ...]
    findings: tuple[Text, ...]


def rule_lines(problems: Sequence[Problem], *, proxy: str | None = None) -> list[RuleLine]:
    """What to change, one line per distinct rule, failures first (the order of `problems`)."""
    lines: dict[tuple[str, str], RuleLine] = {}
    for problem in problems:
        rule = problem.rule(proxy)
        key = (_text_key(rule.label), _text_key(rule.action))
        previous = lines.get(key)
        if previous is None:
            lines[key] = RuleLine(rule, problem.severity, problem.check_ids, problem.summaries)
            continue
        worst = min(previous.severity, problem.severity, key=PROBLEM_STATUSES.index)
        extra = tuple(s for s in problem.summaries if s not in previous.findings)
        lines[key] = RuleLine(rule, worst, previous.check_ids + problem.check_ids, previous.findings + extra)
    return sorted(lines.values(), key=lambda line: 0 if line.severity is not Status.WARN else 1)


def _text_key(text: Text) -> str:
    return text.render()


def failures(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that make a network not ready."""
    return [p for p in problems if p.severity is Status.FAIL]


def warnings(problems: Sequence[Problem]) -> list[Problem]:
    """The problems that leave the network ready, with warnings."""
    return [p for p in problems if p.severity is Status.WARN]


def _key(finding: Finding) -> tuple[str, str]:
    """Checks with the same cause share a problem within the cause's scope (the run, a domain, a host)."""
    entry = finding.entry
    scope = entry.scope if entry is not None else Scope.HOST
    target = finding.target
    if scope is Scope.NETWORK:
        where = ""
    elif scope is Scope.DOMAIN:
        where = target.domain or target.label
    else:
        where = f"{target.host or target.label}:{target.port}"
    return finding.code, where


def _websocket_minutes(findings: Sequence[Finding]) -> int:
    wanted = _first_number(findings, "required_s", "long_hold_s", "hold_s")
    if wanted is None:
        return DEFAULT_WEBSOCKET_MINUTES
    return max(DEFAULT_WEBSOCKET_MINUTES, math.ceil(wanted / 60))


def _capacity_need(findings: Sequence[Finding]) -> Text | None:
    """The figure IT needs when the link is too small for the audience: how much, in which direction, against what."""
    for finding in findings:
        evidence = finding.evidence
        short = [
            (direction, need, got)
            for direction in ("download", "upload")
            if isinstance(need := evidence.get(f"needed_{direction}_bps"), int | float)
            and isinstance(got := evidence.get(f"{direction}_bps"), int | float)
            and got < need
        ]
        if len(short) == 2:  # both ways too small: a CIO who fixes one still falls short
            (_, need_down, got_down), (_, need_up, got_up) = short
            return tr(
                "The event needs at least {down} Mbit/s of download and {up} Mbit/s of upload (measured: "
                "{got_down} and {got_up} Mbit/s).",
                down=amount(need_down / 1e6),
                up=amount(need_up / 1e6),
                got_down=number(got_down / 1e6, 1),
                got_up=number(got_up / 1e6, 1),
            )
        needed, limited = evidence.get("needed_bps"), evidence.get("limited_by")
        measured = evidence.get(f"{limited}_bps")
        if isinstance(needed, int | float) and isinstance(measured, int | float) and limited in ("download", "upload"):
            return tr(
                "The event needs at least {needed} Mbit/s of {direction} (measured: {measured} Mbit/s).",
                needed=amount(needed / 1e6),
                direction=tr("download") if limited == "download" else tr("upload"),
                measured=number(measured / 1e6, 1),
            )
    return None


def _first_number(findings: Sequence[Finding], *keys: str) -> float | None:
    for finding in findings:
        for key in keys:
            value = finding.evidence.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
    return None
