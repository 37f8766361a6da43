"""The JSON report (`sparkgui.report/1`) parsed once into typed records, for the PDF.

The PDF is rendered from the report a person saved, not from a live run, so its footer's digest matches the
JSON. Everything the PDF shows is read here, once, with a default for what a report may lack, and evidence
is read per kind (DNS, TLS, hold, route) instead of being guessed from keys all over the renderer. Problems
and rules are recomputed from the checks with the same catalogue as the run, so they render in the PDF's
language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sparkgui.core.attendees import AttendeeResults, results_from_json
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import Text
from sparkgui.core.ids import CheckId, CheckKind, Target
from sparkgui.core.model import Status, Verdict
from sparkgui.core.problems import Finding, Problem, problems_of
from sparkgui.core.tested_network import NetworkIdentity


@dataclass(frozen=True)
class RouteEvidence:
    """How a check (or the run) reached the platform: direct, or through a proxy (host:port only)."""

    mode: str = "direct"
    proxy: str = ""
    source: str = ""

    @classmethod
    def parse(cls, data: object) -> RouteEvidence | None:
        """A route from a check's evidence or the environment; None when there is none."""
        if not isinstance(data, Mapping):
            return None
        return cls(_text(data.get("mode")) or "direct", _text(data.get("proxy")), _text(data.get("source")))


@dataclass(frozen=True)
class DnsEvidence:
    """What a DNS check asked and found."""

    resolvers: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class TlsEvidence:
    """Who issued the certificate a TLS check saw."""

    issuer: str = ""


@dataclass(frozen=True)
class HoldEvidence:
    """How long a WebSocket hold held, of how long it meant to."""

    held_s: float | None = None
    wanted_s: float | None = None


@dataclass(frozen=True)
class ReportCheck:
    """One check of the report, as saved."""

    id: CheckId
    status: Status
    cause: str
    summary: str
    remedy: str = ""
    evidence: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> CheckKind:
        """What the check tested."""
        return self.id.kind

    @property
    def target(self) -> Target:
        """Where the check pointed."""
        return self.id.target

    @property
    def finding(self) -> Finding:
        """The check as the problem grouping sees it."""
        remedy = Text(self.remedy) if self.remedy else None
        return Finding(self.id, self.status, self.cause, Text(self.summary), remedy, self.evidence)

    @property
    def route(self) -> RouteEvidence | None:
        """The route the check took, when its evidence says."""
        return RouteEvidence.parse(self.evidence.get("route"))

    def dns(self) -> DnsEvidence:
        """The DNS evidence (empty for other kinds)."""
        return DnsEvidence(_texts(self.evidence.get("resolvers")), _texts(self.evidence.get("addresses")))

    def tls(self) -> TlsEvidence:
        """The TLS evidence."""
        return TlsEvidence(_text(self.evidence.get("issuer")))

    def hold(self) -> HoldEvidence:
        """The WebSocket hold's evidence."""
        return HoldEvidence(_seconds(self.evidence.get("held_s")), _seconds(self.evidence.get("hold_s")))

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> ReportCheck | None:
        """A check from the JSON; None for one this version cannot read (an unknown kind)."""
        try:
            check_id = CheckId.parse(_text(data.get("id")))
        except ValueError:
            return None
        try:
            status = Status(_text(data.get("status")))
        except ValueError:
            status = Status.ERROR
        evidence = data.get("evidence")
        return cls(
            check_id,
            status,
            _text(data.get("cause")),
            _text(data.get("summary")),
            _text(data.get("remedy")),
            evidence if isinstance(evidence, Mapping) else {},
        )


@dataclass(frozen=True)
class ReportEnvironment:
    """Where the run happened."""

    os: str = "?"
    route: RouteEvidence = field(default_factory=RouteEvidence)
    resolvers: tuple[str, ...] = ()
    network: NetworkIdentity | None = None


@dataclass(frozen=True)
class ReportRequirement:
    """One of the platform's requirements, as the report judged it."""

    title: str
    status: str  # met, not_met, not_tested
    action: str = ""

    @classmethod
    def parse(cls, data: Any) -> ReportRequirement | None:
        """One `requirements` entry, or None when it is not one."""
        if not isinstance(data, Mapping):
            return None
        status = _text(data.get("status"))
        title = _text(data.get("title"))
        if status not in ("met", "not_met", "not_tested") or not title:
            return None
        return cls(title, status, _text(data.get("action")))


@dataclass(frozen=True)
class ReportWatch:
    """The run was a round of an event-day watch: which round, since when, and the connection held all along."""

    started_at: str
    round: int
    held_open: bool | None = None  # None: the profile had no WebSocket to hold
    longest_s: float = 0.0
    drops: int = 0
    required_s: float = 0.0
    requirement_met: bool = False

    @classmethod
    def parse(cls, data: Any) -> ReportWatch | None:
        """The `watch` part, or None when absent or unreadable."""
        if not isinstance(data, Mapping) or not isinstance(data.get("round"), int):
            return None
        held = _mapping(data.get("held"))

        def number(key: str) -> float:
            value = held.get(key)
            return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0

        return cls(
            _text(data.get("started_at")),
            int(data["round"]),
            bool(held.get("open")) if held else None,
            number("longest_s"),
            int(number("drops")),
            number("required_s"),
            held.get("requirement_met") is True,
        )


@dataclass(frozen=True)
class ReportSince:
    """The report against the previous run at the same venue: when that was, and the check ids that moved."""

    started_at: str
    fixed: tuple[tuple[str, str], ...]  # (check id, the cause it had then)
    broke: tuple[tuple[str, str], ...]  # (check id, the cause it has now)
    still: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, data: Any) -> ReportSince | None:
        """The `since` part, or None when absent or unreadable."""
        if not isinstance(data, Mapping) or not _text(data.get("started_at")):
            return None

        def changes(key: str, side: str) -> tuple[tuple[str, str], ...]:
            found = []
            for item in _list(data.get(key)):
                if isinstance(item, Mapping):
                    state = _texts(item.get(side))
                    found.append((_text(item.get("id")), state[1] if len(state) > 1 else ""))
            return tuple(found)

        return cls(
            _text(data.get("started_at")),
            changes("fixed", "before"),
            changes("broke", "after"),
            changes("still", "after"),
        )


def _network(data: Any) -> NetworkIdentity | None:
    if not isinstance(data, Mapping):
        return None
    return NetworkIdentity(
        _text(data.get("interface")),
        _texts(data.get("addresses")),
        _text(data.get("gateway")),
        _text(data.get("ssid")),
        _text(data.get("public_address")),
    )


@dataclass(frozen=True)
class Report:
    """A whole report, typed."""

    platform: str
    version: str
    profile_name: str
    profile_source: str
    allowlist: tuple[str, ...]
    demo: bool
    started_at: str
    finished_at: str
    duration_ms: int
    environment: ReportEnvironment
    verdict: Verdict
    checks: tuple[ReportCheck, ...]
    event: EventInfo | None = None
    requirements: tuple[ReportRequirement, ...] = ()
    since: ReportSince | None = None
    watch: ReportWatch | None = None
    attendees: AttendeeResults | None = None
    profile_version: int = 0
    profile_digest: str = ""

    @property
    def problems(self) -> list[Problem]:
        """The report's problems, failures first, grouped as the run grouped them."""
        return problems_of(check.finding for check in self.checks)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> Report:
        """Read a report dict; whatever is missing or malformed gets a neutral default, never an exception."""
        tool = _mapping(data.get("tool"))
        profile = _mapping(data.get("profile"))
        environment = _mapping(data.get("environment"))
        raw_checks = data.get("checks")
        checks = [
            ReportCheck.parse(item) for item in (raw_checks if isinstance(raw_checks, list) else [])
            if isinstance(item, Mapping)
        ]  # fmt: skip
        try:
            verdict = Verdict(_text(data.get("verdict")))
        except ValueError:
            verdict = Verdict.INCOMPLETE
        duration = data.get("duration_ms")
        name = _text(profile.get("name"))
        return cls(
            platform=name or "?",
            version=_text(tool.get("version")) or "?",
            profile_name=name or "?",
            profile_source=_text(profile.get("source")),
            allowlist=tuple(rule for rule in _texts(profile.get("allowlist")) if rule.strip()),
            demo=bool(data.get("demo")),
            started_at=_text(data.get("started_at")),
            finished_at=_text(data.get("finished_at")),
            duration_ms=duration if isinstance(duration, int) and not isinstance(duration, bool) else 0,
            environment=ReportEnvironment(
                _text(environment.get("os")) or "?",
                RouteEvidence.parse(environment.get("route")) or RouteEvidence(),
                _texts(environment.get("resolvers")),
                _network(environment.get("network")),
            ),
            verdict=verdict,
            checks=tuple(check for check in checks if check is not None),
            event=EventInfo.from_json(data.get("event") if isinstance(data.get("event"), Mapping) else None),
            requirements=tuple(
                r for r in map(ReportRequirement.parse, _list(data.get("requirements"))) if r is not None
            ),
            since=ReportSince.parse(data.get("since")),
            watch=ReportWatch.parse(data.get("watch")),
            attendees=results_from_json(data.get("attendees")),
            profile_version=_whole(profile.get("version")),
            profile_digest=_text(profile.get("digest")),
        )


def _whole(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: object) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(_text(item) for item in value)


def _seconds(value: object) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return round(float(value), 1)
    return None
