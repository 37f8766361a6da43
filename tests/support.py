"""Helpers shared by the tests: profiles written as TOML, engine runs on loopback, schema validation."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar

import jsonschema

from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import run_profile
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId, CheckKind, Target
from sparkgui.core.model import CheckInfo, CheckRecord, CheckResult, RunOutcome
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.net.routes import RouteConfig
from sparkgui.core.profile import Profile, parse_profile
from sparkgui.core.report import Environment, build_report

T = TypeVar("T")
TEST_CA_NAME = "sparkgui test CA"


@dataclass(frozen=True)
class Ep:
    host: str
    port: int
    path: str = "/"
    probe: bool = False  # the platform's probe (`probe = true`)


def profile_toml(
    endpoints: Iterable[Ep],
    *,
    expected_issuers: Iterable[str] = (TEST_CA_NAME,),
    timeouts: Mapping[str, float] | None = None,
    extra: str = "",
    name: str = "Test platform",
    allowlist: Iterable[str] = ("*.test — TCP 443 (HTTPS and WebSocket)",),
    version: int | None = None,
) -> str:
    lines = ["schema = 1", *([f"version = {version}"] if version is not None else []), f"name = {json.dumps(name)}", ""]
    for ep in endpoints:
        lines += ["[[endpoint]]", f'host = "{ep.host}"', f"port = {ep.port}", f'path = "{ep.path}"']
        lines += ["probe = true", ""] if ep.probe else [""]
    lines += ["[tls]", f"expected_issuers = {json.dumps(list(expected_issuers))}", ""]
    t = {"dns": 1.0, "connect": 1.0, "tls": 1.5, "http": 2.0, **(timeouts or {})}
    lines += ["[timeouts]"] + [f"{k} = {v}" for k, v in t.items()] + [""]
    lines += ["[allowlist]", f"rules = {json.dumps(list(allowlist), ensure_ascii=False)}", ""]
    return "\n".join(lines) + extra


def make_profile(endpoints: Iterable[Ep], **kwargs: Any) -> Profile:
    return parse_profile(profile_toml(endpoints, **kwargs).encode(), source="test.toml")


def minimal_report(**fields: Any) -> dict[str, Any]:
    """The smallest report the schema accepts, with `fields` replacing or adding parts."""
    return {
        "schema": "sparkgui.report/1",
        "tool": {"name": "sparkgui", "version": "0"},
        "profile": {"name": "Test platform", "source": "test.toml"},
        "demo": False,
        "started_at": "2026-12-03T09:00:00Z",
        "finished_at": "2026-12-03T09:00:10Z",
        "duration_ms": 10000,
        "environment": {"os": "Linux", "route": {"mode": "direct", "proxy": None}, "resolvers": []},
        "verdict": "ready",
        "checks": [],
        **fields,
    }


def loopback_network(dns_port: int, **kwargs: Any) -> NetworkSettings:
    """Loopback resolver, and routes decided without this process's proxy variables unless a test says so."""
    kwargs.setdefault("route", RouteConfig(environ={}))
    return NetworkSettings(resolvers=ResolverConfig(("127.0.0.1",), dns_port), **kwargs)


async def run_checks(profile: Profile, dns_port: int, **kwargs: Any) -> RunOutcome:
    outcome = await run_profile(profile, loopback_network(dns_port, **kwargs))
    validate_report(build_report(outcome, profile, Environment(resolvers=[f"127.0.0.1:{dns_port}"])))
    return outcome


def by_id(outcome: RunOutcome) -> dict[str, CheckRecord]:
    return {record.id: record for record in outcome.records}


def run(coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
    """Run one test scenario on a fresh event loop, with an outer deadline so a bug cannot hang CI."""

    async def bounded() -> T:
        async with asyncio.timeout(timeout):
            return await coro

    return asyncio.run(bounded())


def report_schema() -> dict[str, Any]:
    text = resources.files("sparkgui_resources").joinpath("schema", "report-1.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(report: Mapping[str, Any]) -> None:
    validator = jsonschema.Draft202012Validator(report_schema(), format_checker=jsonschema.FormatChecker())
    validator.validate(report)


def record(kind: str, target: str, result: CheckResult) -> CheckRecord:
    """A finished check of `kind` on `target`, titled "Check <target>", for tests of what is said about results."""
    check_id = CheckId(CheckKind(kind), Target.parse(kind, target))
    return CheckRecord(CheckInfo(check_id, (), tr("Check {target}", target=target)), result)
