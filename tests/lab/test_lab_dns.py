"""DNS faults made with dnsmasq and the router's firewall: each named for what it is, nothing else blamed."""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import DnsMode, Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]
DNS_TIMEOUT = 2.0


def test_nxdomain_for_one_platform_name(lab: Lab) -> None:
    gone = HOSTS[1].name
    lab.dns(DnsMode.NXDOMAIN, gone)
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "not_ready", failures={f"dns:{gone}": "dns.nxdomain"})
    skipped_after(run, f"tcp:{gone}:443", f"tls:{gone}", f"https:{gone}")


def test_servfail(lab: Lab) -> None:
    lab.dns(DnsMode.SERVFAIL)
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "not_ready", failures={f"dns:{h.name}": "dns.servfail" for h in HOSTS})
    skipped_after(run, *(f"tcp:{h.name}:443" for h in HOSTS))


def test_no_resolver_answering(lab: Lab) -> None:
    lab.firewall("udp dport 53 drop", "tcp dport 53 drop")
    run = lab.run_sparkgui(lab.write_profile(HOSTS, timeouts={"dns": DNS_TIMEOUT}))
    expect(run, "not_ready", failures={f"dns:{h.name}": "dns.timeout" for h in HOSTS})
    assert run.report["duration_ms"] / 1000 <= DNS_TIMEOUT + 2, run.report["duration_ms"]


def test_resolver_pointing_every_name_at_a_portal(lab: Lab) -> None:
    lab.dns(DnsMode.HIJACK)
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "not_ready", failures={f"dns:{h.name}": "dns.hijacked" for h in HOSTS})
    for host in HOSTS:
        evidence = run.checks[f"dns:{host.name}"]["evidence"]
        assert evidence["addresses"] == [topo.CLIENT.v4_router], evidence
        assert "cannot exist" in evidence["hijack"], evidence


def test_a_slow_resolver_inside_the_deadline_is_slow_not_dead(lab: Lab) -> None:
    lab.slow_dns(rtt_ms=2200)  # dnsmasq's answers arrive 2.2 s after the question, under a 3 s deadline
    run = lab.run_sparkgui(lab.write_profile(HOSTS[:1], timeouts={"dns": 3.0}))
    host = HOSTS[0].name
    assert run.causes()[f"dns:{host}"] == ("warn", "dns.slow"), run.explain()
    evidence = run.checks[f"dns:{host}"]["evidence"]
    assert all(2100 <= q["ms"] < 3000 for q in evidence["queries"]), evidence
    assert run.causes()[f"tcp:{host}:443"] == ("pass", "ok"), run.explain()  # only DNS is slow


def test_a_resolver_that_drops_aaaa_makes_the_systems_lookup_slow(lab: Lab) -> None:
    host = HOSTS[0].name
    lab.drop_aaaa([host])
    run = lab.run_sparkgui(lab.write_profile(HOSTS[:1], websocket=None))
    assert run.causes()[f"dns:{host}"] == ("warn", "dns.system_slow"), run.explain()
    dns = run.checks[f"dns:{host}"]
    assert "AAAA" in dns["summary"] and dns["evidence"]["system_lookup"]["timed_out"] is True, dns
    assert {q["type"]: q["rcode"] for q in dns["evidence"]["queries"]} == {"A": "answer", "AAAA": "timeout"}
    assert run.causes()[f"tcp:{host}:443"] == ("pass", "ok"), run.explain()  # IPv4 carries on


def test_a_hosts_file_line_is_named_as_the_laptops(lab: Lab) -> None:
    host = HOSTS[0].name
    lab.hosts_file([f"{topo.CLIENT.v4_router} {host}"])  # a leftover from a test setup, say
    run = lab.run_sparkgui(lab.write_profile(HOSTS[:1], websocket=None))
    assert run.causes()[f"dns:{host}"] == ("warn", "dns.hosts_override"), run.explain()
    dns = run.checks[f"dns:{host}"]
    assert dns["evidence"]["hosts_file"] == [topo.CLIENT.v4_router] and "hosts file" in dns["remedy"], dns
    problems = run.report["problems"]
    assert [p["local_fix"] for p in problems] == ["setting"], problems


def test_a_clean_network_gives_the_same_answer_both_ways(lab: Lab) -> None:
    run = lab.run_sparkgui(lab.write_profile(HOSTS[:1], websocket=None))
    dns = run.checks[f"dns:{HOSTS[0].name}"]
    assert dns["status"] == "pass", run.explain()
    assert set(dns["evidence"]["system_lookup"]["addresses"]) == set(dns["evidence"]["addresses"]), dns
