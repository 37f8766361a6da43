"""A healthy network, fast and slow: every check passes, and 300 ms RTT with 5 % loss raises no false alarm."""

from __future__ import annotations

import json

import pytest

from sparkgui.probe.logs import masked
from tests.lab import topology as topo
from tests.lab.expect import expect
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]


def test_clean_network_all_checks_pass(lab: Lab) -> None:
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "ready")
    checks = run.checks
    for host in HOSTS:
        assert checks[f"ipv6:{host.name}"]["status"] == "pass"  # both families work end to end
        assert set(checks[f"dns:{host.name}"]["evidence"]["addresses"]) == {host.v4, host.v6}
    ws = checks[f"ws:wss://{topo.PROBE_HOST.name}/ws"]
    assert ws["evidence"]["status"] == 101, ws  # the real probe server answered the upgrade and echoed
    hold = checks[f"ws-hold:wss://{topo.PROBE_HOST.name}/ws"]
    assert hold["evidence"]["silent"]["alive"] and hold["evidence"]["heartbeat"]["alive"], hold
    log = lab.processes["probe"].output()  # the probe logged the client's WebSockets, over either family
    # Logged masked to the client's network (/24, /48), never its whole address, over either family.
    assert any(f"ws peer={masked(address)} " in log for address in (topo.CLIENT.v4_host, topo.CLIENT.v6_host)), log
    assert topo.CLIENT.v4_host not in log
    queries = (lab.folder / "dnsmasq-queries.log").read_text()
    assert f"from {topo.CLIENT.v4_host}" in queries  # the answers came from the lab's dnsmasq, via the router


def test_300ms_rtt_and_5_percent_loss_raise_no_false_alarm(lab: Lab) -> None:
    stats_file = lab.delay(rtt_ms=300, loss=0.05, jitter_ms=20)
    # The bundled profile's deadlines: a real venue with a slow, lossy link must still be judged ready.
    profile = lab.write_profile(HOSTS, timeouts={"dns": 3, "connect": 4, "tls": 5, "http": 8})
    run = lab.run_sparkgui(profile)
    expect(run, "ready")
    stats = json.loads(stats_file.read_text())
    assert stats["forwarded"] > 50 and stats["dropped"] > 0, stats  # the fault was really there
    connect_ms = [
        a["elapsed_ms"]
        for h in HOSTS
        for a in run.checks[f"tcp:{h.name}:443"]["evidence"]["attempts"]
        if a["outcome"] == "connected"
    ]
    assert min(connect_ms) >= 280, connect_ms  # every handshake paid the lab's round trip
