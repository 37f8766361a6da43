"""Units of the WebSocket work: the plan and its options, the hold's verdict rules, the French catalog."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sparkgui.core.checks.base import Check
from sparkgui.core.checks.ws_hold import Fate, judge
from sparkgui.core.i18n import catalog, placeholders
from sparkgui.core.model import Status
from sparkgui.core.plan import PlanOptions, plan_checks
from sparkgui.core.profile import parse_profile
from tests.support import Ep, profile_toml

ROOT = Path(__file__).resolve().parents[2]
WS = '\n[websocket]\nurl = "{url}"\nhold_seconds = 60\nlong_hold_seconds = 600\nheartbeat_seconds = 25\n'


def _plan(url: str, endpoints: list[Ep], options: PlanOptions | None = None) -> dict[str, tuple[str, ...]]:
    profile = parse_profile(profile_toml(endpoints, extra=WS.format(url=url)).encode(), source="t.toml")
    return {check.info.id: check.info.requires for check in plan_checks(profile, options)}


def test_websocket_host_gets_its_own_transport_checks_when_not_an_endpoint() -> None:
    plan = _plan("wss://probe.test/ws", [Ep("app.test", 443)])
    assert plan["tls:probe.test"] == ("tcp:probe.test:443",)
    assert "ipv6:probe.test" in plan and plan["tcp:probe.test:443"] == ("dns:probe.test",)
    assert plan["ws:wss://probe.test/ws"] == ("tls:probe.test",)
    assert plan["ws-hold:wss://probe.test/ws"] == ("ws:wss://probe.test/ws",)
    assert "https:probe.test" not in plan  # no web request is invented for it


def test_websocket_host_shared_with_an_endpoint_is_checked_once() -> None:
    plan = _plan("wss://probe.test:8443/ws", [Ep("probe.test", 8443, "/healthz")])
    assert [cid for cid in plan if cid.startswith("tls:")] == ["tls:probe.test:8443"]
    assert plan["ws:wss://probe.test:8443/ws"] == ("tls:probe.test:8443",)


def test_plain_ws_url_needs_tcp_not_tls() -> None:
    plan = _plan("ws://probe.test/ws", [Ep("app.test", 443)])
    assert plan["ws:ws://probe.test/ws"] == ("tcp:probe.test:80",)
    assert "tls:probe.test:80" not in plan


@pytest.mark.parametrize(
    ("options", "seconds"),
    [
        (None, 60),
        (PlanOptions(long_hold=True), 600),
        (PlanOptions(hold_seconds=5), 5),
        (PlanOptions(hold_seconds=5, long_hold=True), 5),  # --hold wins: a quick run
    ],
)
def test_hold_length(options: PlanOptions | None, seconds: float) -> None:
    profile = parse_profile(
        profile_toml([Ep("app.test", 443)], extra=WS.format(url="wss://probe.test/ws")).encode(), source="t.toml"
    )
    hold = next(check for check in plan_checks(profile, options) if check.info.kind == "ws-hold")
    assert hold.hold_seconds == seconds  # type: ignore[attr-defined]
    assert (f"{seconds // 60:g} minutes" if seconds >= 120 else f"{seconds:g} s") in str(hold.info.title)


def _judge(silent: Fate, heartbeat: Fate, heartbeat_s: float = 25) -> tuple[Status, str, dict[str, object]]:
    evidence: dict[str, object] = {}
    result = judge(
        host="probe.test",
        port=443,
        held_s=60,
        heartbeat_s=heartbeat_s,
        required_s=600,
        silent=silent,
        heartbeat=heartbeat,
        evidence=evidence,
    )
    assert result.status is Status.PASS or result.remedy is not None
    return result.status, result.cause, evidence


ALIVE = Fate(alive=True)


def test_both_alive_pass() -> None:
    assert _judge(ALIVE, ALIVE)[:2] == (Status.PASS, "ok")


def test_idle_timeout_is_a_warning_when_the_platforms_heartbeat_is_shorter() -> None:
    silent = Fate(alive=False, found_dead_s=30.2, how="connection_lost", close_code=1006)
    status, cause, evidence = _judge(silent, ALIVE, heartbeat_s=25)
    assert (status, cause) == (Status.WARN, "ws.idle_timeout")
    assert evidence["idle_s"] == 30.2 and evidence["idle_s_is_upper_bound"] is False


def test_idle_timeout_is_a_failure_when_the_platforms_heartbeat_is_not_shorter() -> None:
    silent = Fate(alive=False, found_dead_s=20.0, how="close_frame", close_code=1000)
    status, cause, evidence = _judge(silent, ALIVE, heartbeat_s=25)
    assert (status, cause) == (Status.FAIL, "ws.idle_timeout")
    assert evidence["idle_s"] == 20.0


def test_silent_loss_found_by_the_echo_gives_a_bound() -> None:
    silent = Fate(alive=False, found_dead_s=60.0, how="echo_timeout")
    status, cause, evidence = _judge(silent, ALIVE)
    assert (status, cause) == (Status.WARN, "ws.idle_timeout") and evidence["idle_s_is_upper_bound"] is True


@pytest.mark.parametrize("silent", [ALIVE, Fate(alive=False, found_dead_s=12, how="connection_lost")])
def test_heartbeat_connection_dying_is_dropped_whatever_the_silent_one_did(silent: Fate) -> None:
    heartbeat = Fate(alive=False, found_dead_s=42.04, how="close_frame", close_code=1001)
    status, cause, evidence = _judge(silent, heartbeat)
    assert (status, cause) == (Status.FAIL, "ws.dropped")
    assert evidence["after_s"] == 42.0 and evidence["close_code"] == 1001


def _templates(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "tr":
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), f"{path}: non-literal tr()"
            found.append(first.value)
    return found


@pytest.mark.parametrize("module", ["sparkgui/core/checks/ws_check.py", "sparkgui/core/checks/ws_hold.py"])
def test_every_websocket_sentence_has_its_french(module: str) -> None:
    french = catalog("fr")
    templates = _templates(ROOT / module)
    assert templates
    for template in templates:
        assert template in french, f"missing French for {template!r} (resources/i18n/fr/ws.json)"
        assert placeholders(str(french[template])) == placeholders(template), template


def test_bundled_profile_plans_the_platforms_probe_websocket() -> None:
    from sparkgui.core.profile import load_bundled_profile

    checks: dict[str, Check] = {
        check.info.id: check for check in plan_checks(load_bundled_profile(), PlanOptions(long_hold=True))
    }
    assert checks["ws:wss://probe.sparkup.app/ws"].info.requires == ("tls:probe.sparkup.app",)
    assert checks["ws-hold:wss://probe.sparkup.app/ws"].hold_seconds == 600  # type: ignore[attr-defined]
    assert "https:probe.sparkup.app" in checks  # its /healthz, served by the probe server
