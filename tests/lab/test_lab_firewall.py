"""Firewall faults on the router (nftables): rejected, silently dropped, only port 80 open, IPv6 blackholed."""

from __future__ import annotations

import ipaddress

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]
CONNECT_TIMEOUT = 2.0
FROM_CLIENT = f'iifname "{topo.CLIENT.router_if}"'


def test_tcp_443_rejected(lab: Lab) -> None:
    lab.firewall(f"{FROM_CLIENT} tcp dport 443 reject with tcp reset")
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "tcp.refused" for h in HOSTS})
    skipped_after(run, *(f"tls:{h.name}" for h in HOSTS))


def test_tcp_443_silently_dropped(lab: Lab) -> None:
    lab.firewall(f"{FROM_CLIENT} tcp dport 443 drop")
    run = lab.run_sparkgui(lab.write_profile(HOSTS, timeouts={"connect": CONNECT_TIMEOUT}))
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "tcp.timeout" for h in HOSTS})
    assert run.report["duration_ms"] / 1000 <= CONNECT_TIMEOUT + 2, run.report["duration_ms"]


def test_only_port_80_open(lab: Lab) -> None:
    lab.firewall(
        f"{FROM_CLIENT} meta l4proto {{ tcp, udp }} th dport 53 accept",
        f"{FROM_CLIENT} tcp dport 80 accept",
        f"{FROM_CLIENT} reject with icmpx type admin-prohibited",
    )
    plain = lab.client("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-m", "5", f"http://{HOSTS[0].name}/")
    assert plain.stdout == "301", plain  # the platform's port 80 really is reachable
    run = lab.run_sparkgui(lab.write_profile(HOSTS, timeouts={"connect": CONNECT_TIMEOUT}))
    expect(run, "not_ready", failures={f"tcp:{h.name}:443": "tcp.unreachable" for h in HOSTS})
    for host in HOSTS:  # a reject rule reaches the program as "no route to host": both are said
        summary = run.checks[f"tcp:{host.name}:443"]["summary"]
        assert "a firewall rule that rejects the connection" in summary, summary


def test_ipv6_blackholed_costs_no_failure_and_no_time(lab: Lab) -> None:
    lab.firewall(f"{FROM_CLIENT} meta nfproto ipv6 drop")
    run = lab.run_sparkgui(lab.write_profile(HOSTS, timeouts={"connect": CONNECT_TIMEOUT}))
    expect(run, "ready_with_warnings", warnings={f"ipv6:{h.name}": "ipv6.broken" for h in HOSTS})
    for host in HOSTS:
        tcp = run.checks[f"tcp:{host.name}:443"]
        assert ipaddress.ip_address(tcp["evidence"]["connected_to"]).version == 4, tcp
        assert tcp["duration_ms"] < 1000, tcp  # Happy Eyeballs: IPv4 after 250 ms, not after the timeout
    assert run.report["duration_ms"] / 1000 <= CONNECT_TIMEOUT + 2, run.report["duration_ms"]
