"""WebSockets through real middleboxes: an inspecting proxy that strips the Upgrade, a middlebox that resets
idle connections, a stateful firewall that silently forgets them, and a proxy that closes idle tunnels.

The idle scenarios hold for HOLD_S seconds with a heartbeat every second against an idle timeout of IDLE_S:
the silent connection dies, the heartbeat one lives, so the diagnosis is an idle timeout the platform's
heartbeat survives (a warning), and no other check is blamed."""

from __future__ import annotations

import re

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import Lab, LabRun, WsSetup
from tests.lab.squid import SquidSetup

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]
WS = f"wss://{topo.PROBE_HOST.name}/ws"
HOLD = f"ws-hold:{WS}"
IDLE_S = 3
HOLD_S = 6.0
HTTP_TIMEOUT = 4.0  # the lab profile's http deadline: how long the final echo waits
IDLE_HOLD = WsSetup(hold_s=HOLD_S, heartbeat_s=1.0)


def seconds_to_verdict(run: LabRun) -> float:
    return float(run.report["duration_ms"]) / 1000


def test_inspecting_proxy_strips_the_websocket_upgrade(lab: Lab) -> None:
    lab.block_direct()
    _, env = lab.inspecting_proxy(trusted=True)
    run = lab.run_sparkgui(lab.write_profile(HOSTS), env=env)
    # squid 5 removes `Upgrade` from the decrypted request (http_upgrade_request_protocols allows nothing by
    # default), so the probe gets a plain GET /ws and answers 400, which squid relays.
    expect(
        run,
        "not_ready",
        failures={f"ws:{WS}": "ws.upgrade_rejected"},
        warnings={f"tls:{h.name}": "tls.intercepted" for h in HOSTS},
    )
    ws = run.checks[f"ws:{WS}"]["evidence"]
    assert ws["status"] == 400 and "squid" in ws["via"], ws
    access = (lab.squid_folder / "access.log").read_text()
    assert re.search(rf"TCP_MISS/400 \d+ GET https://{re.escape(topo.PROBE_HOST.name)}/ws ", access), access
    skipped_after(run, HOLD)


def test_middlebox_resets_idle_connections(lab: Lab) -> None:
    lab.idle_reset(IDLE_S)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=IDLE_HOLD))
    expect(run, "ready_with_warnings", warnings={HOLD: "ws.idle_timeout"})
    hold = run.checks[HOLD]["evidence"]
    assert IDLE_S <= hold["idle_s"] <= IDLE_S + 1 and not hold["idle_s_is_upper_bound"], hold
    assert hold["silent"]["how"] == "connection_lost" and hold["heartbeat"]["alive"], hold
    assert re.search(rf"after {IDLE_S}\.\d s idle", lab.processes["idle-reset"].output())  # the middlebox reset it
    assert seconds_to_verdict(run) <= HOLD_S + 2, run.report["duration_ms"]


def test_stateful_firewall_silently_forgets_idle_connections(lab: Lab) -> None:
    lab.stateful_firewall(established_s=IDLE_S)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=IDLE_HOLD))
    expect(run, "ready_with_warnings", warnings={HOLD: "ws.idle_timeout"})
    hold = run.checks[HOLD]["evidence"]
    # Nothing told the client: only the final echo, which never came back, found the silent connection dead.
    assert hold["silent"]["how"] == "echo_timeout" and hold["idle_s_is_upper_bound"], hold
    assert IDLE_S <= hold["idle_s"] <= HOLD_S + 0.5 and hold["heartbeat"]["alive"], hold
    assert "silently drops" in run.checks[HOLD]["summary"]
    assert seconds_to_verdict(run) <= HOLD_S + HTTP_TIMEOUT + 2, run.report["duration_ms"]


def test_proxy_closes_idle_tunnels(lab: Lab) -> None:
    lab.block_direct()
    proxy = lab.start_squid(SquidSetup(idle_timeout_s=IDLE_S))
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=IDLE_HOLD), env={"https_proxy": proxy})
    expect(run, "ready_with_warnings", warnings={HOLD: "ws.idle_timeout"})
    hold = run.checks[HOLD]["evidence"]
    assert IDLE_S <= hold["idle_s"] <= IDLE_S + 1 and not hold["idle_s_is_upper_bound"], hold
    assert hold["heartbeat"]["alive"], hold
    assert seconds_to_verdict(run) <= HOLD_S + 2, run.report["duration_ms"]


def test_idle_timeout_shorter_than_the_heartbeat_fails(lab: Lab) -> None:
    """The platform's heartbeat (4 s) comes too late for a 3 s idle timeout: live sessions will drop."""
    lab.idle_reset(IDLE_S)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=WsSetup(hold_s=HOLD_S, heartbeat_s=4.0)))
    expect(run, "not_ready", failures={HOLD: "ws.idle_timeout"})
    hold = run.checks[HOLD]
    assert IDLE_S <= hold["evidence"]["idle_s"] <= IDLE_S + 1, hold
    assert "sooner than the platform's heartbeat" in hold["summary"], hold
