"""The JSON report (`sparkgui.report/1`): the contract other tools read, validated by resources/schema."""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sparkgui import __version__
from sparkgui.core.allowlist import rule_json, rule_texts
from sparkgui.core.atomic import write_atomically
from sparkgui.core.event import EventInfo
from sparkgui.core.model import CheckRecord, RunOutcome
from sparkgui.core.problems import Problem, problems_of
from sparkgui.core.profile import Profile
from sparkgui.core.requirements import Requirement, requirements_of
from sparkgui.core.tested_network import NetworkIdentity

SCHEMA = "sparkgui.report/1"


@dataclass(frozen=True)
class Environment:
    """Where the run happened. Never holds a credential or a user name."""

    route_mode: str = "direct"
    proxy: str | None = None  # host:port only
    resolvers: Sequence[str] = ()
    os: str = field(default_factory=lambda: describe_os())
    route_source: str = ""  # where the route came from (--proxy, environment, PAC…)
    network: NetworkIdentity | None = None  # which network was tested, when the OS said

    def as_json(self) -> dict[str, Any]:
        """Give the report's `environment` object; `route.source` and `network` only when known."""
        route: dict[str, Any] = {"mode": self.route_mode, "proxy": self.proxy}
        if self.route_source:
            route["source"] = self.route_source
        data: dict[str, Any] = {"os": self.os, "route": route, "resolvers": list(self.resolvers)}
        network = self.network.as_json() if self.network is not None else {}
        if network:
            data["network"] = network
        return data


def describe_os() -> str:
    """Name the OS and its release as people know them (macOS 14, not Darwin 23), with the machine type."""
    system = platform.system() or "unknown"
    if system == "Darwin":
        system, release = "macOS", platform.mac_ver()[0]
    elif system == "Windows":
        release = platform.version()
    else:
        release = platform.release()
    return f"{system} {release} ({platform.machine()})".strip()


def build_report(
    outcome: RunOutcome,
    profile: Profile,
    environment: Environment,
    problems: Sequence[Problem] | None = None,
    *,
    requirements: Sequence[Requirement] | None = None,
    demo: bool = False,
    demo_scenario: str | None = None,
    lang: str = "en",
    event: EventInfo | None = None,
) -> dict[str, Any]:
    """The report model: what the JSON holds and what the PDF is rendered from.

    `problems` are the outcome's, when the caller has them already (the session layer); else computed here.
    """
    if problems is None:
        problems = problems_of(outcome.records)
    if requirements is None:
        requirements = requirements_of(profile, outcome.records)
    report: dict[str, Any] = {
        "schema": SCHEMA,
        "tool": {"name": "sparkgui", "version": __version__},
        "profile": {
            "name": profile.name,
            "source": profile.source,
            "origin": profile.origin,
            "version": profile.version,
            "digest": profile.digest,
            "allowlist": rule_texts(profile, lang),
            "allow": [rule_json(rule, lang) for rule in profile.allow],
        },
        "demo": demo,
        **({"demo_scenario": demo_scenario} if demo else {}),
        "language": lang,
        "started_at": outcome.started_at.isoformat(timespec="milliseconds"),
        "finished_at": outcome.finished_at.isoformat(timespec="milliseconds"),
        "duration_ms": outcome.duration_ms,
        "environment": environment.as_json(),
        "verdict": str(outcome.verdict),
        "checks": [check_json(record, lang) for record in outcome.records],
        "requirements": [requirement.as_json(lang) for requirement in requirements],
        "problems": [problem_json(problem, lang, environment.proxy) for problem in problems],
    }
    return with_event(report, event)


def with_event(report: Mapping[str, Any], event: EventInfo | None) -> dict[str, Any]:
    """The report with `event` set (or left out when there is none).

    The window asks for the event after the run: it saves the JSON and renders the PDF from this same
    dict, so the SHA-256 in the PDF footer matches the saved JSON.
    """
    updated = {key: value for key, value in report.items() if key != "event"}
    if event is not None and not event.is_empty:
        # Keep `event` next to the header fields, so the JSON reads in the same order as the PDF.
        ordered: dict[str, Any] = {}
        for key, value in updated.items():
            if key == "started_at":
                ordered["event"] = event.as_json()
            ordered[key] = value
        return ordered
    return updated


def check_json(record: CheckRecord, lang: str = "en") -> dict[str, Any]:
    """Turn one check's record into its entry in the report's `checks`, its texts rendered in `lang`."""
    info, result = record.info, record.result
    return {
        "id": str(info.id),
        "kind": str(info.kind),
        "target": str(info.target),
        "status": str(result.status),
        "cause": str(result.cause),
        "summary": result.summary.render(lang),
        "remedy": result.remedy.render(lang) if result.remedy else "",
        "evidence": _jsonable(result.evidence),
        "duration_ms": result.duration_ms,
    }


def problem_json(problem: Problem, lang: str = "en", proxy: str | None = None) -> dict[str, Any]:
    """One root cause, the checks it explains and the rule that fixes it (`problems`, optional in /1)."""
    rule = problem.rule(proxy)
    return {
        "cause": problem.code,
        "family": str(problem.family),
        "severity": str(problem.severity),
        "checks": [str(check_id) for check_id in problem.check_ids],
        "rule": {"label": rule.label.render(lang), "action": rule.action.render(lang)},
        "local_fix": str(problem.local_fix),
    }


def dumps(report: Mapping[str, Any]) -> bytes:
    """Serialise the report to the exact bytes that are written and hashed (indented UTF-8, final newline).

    A lone surrogate (a header's byte that was not UTF-8, a PAC file's broken string) becomes `?`: the report
    is always valid UTF-8, and always written.
    """
    return (json.dumps(report, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "replace")


def sha256_of(data: bytes) -> str:
    """Give the hex SHA-256 of report bytes, as the PDF footer quotes it."""
    return hashlib.sha256(data).hexdigest()


def write_report(report: Mapping[str, Any], path: str | Path) -> str:
    """Write the report atomically; return the SHA-256 of the bytes written (the PDF footer quotes it)."""
    data = dumps(report)
    write_atomically(path, data)
    return sha256_of(data)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return _valid_text(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return _valid_text(str(value))


def _valid_text(text: str) -> str:
    """`text` without lone surrogates (from bytes that were not UTF-8), so every front end can show it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text
