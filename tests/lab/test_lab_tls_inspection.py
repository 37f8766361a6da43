"""TLS inspection by the venue's proxy (squid ssl-bump, signing with "Venue Inspection CA"), with direct
egress blocked: a managed laptop that trusts the inspecting CA, and a guest laptop that does not."""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]


def test_inspection_with_the_inspecting_ca_trusted_is_a_warning_naming_it(lab: Lab) -> None:
    lab.block_direct()
    _, env = lab.inspecting_proxy(trusted=True)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=None), env=env)
    expect(run, "ready_with_warnings", warnings={f"tls:{h.name}": "tls.intercepted" for h in HOSTS})
    for host in HOSTS:
        tls = run.checks[f"tls:{host.name}"]
        assert tls["evidence"]["issuer"] == topo.INSPECTION_CA_NAME, tls
        assert topo.INSPECTION_CA_NAME in tls["summary"] and "inspection" in tls["remedy"], tls
    access = (lab.squid_folder / "access.log").read_text()
    assert f"GET https://{HOSTS[0].name}/" in access  # squid decrypted and saw the request itself


def test_inspection_with_the_inspecting_ca_untrusted_fails_as_untrusted(lab: Lab) -> None:
    lab.block_direct()
    _, env = lab.inspecting_proxy(trusted=False)
    run = lab.run_sparkgui(lab.write_profile(HOSTS), env=env)
    expect(run, "not_ready", failures={f"tls:{h.name}": "tls.untrusted" for h in HOSTS})
    for host in HOSTS:
        assert run.checks[f"tls:{host.name}"]["evidence"]["issuer"] == topo.INSPECTION_CA_NAME
    skipped_after(run, *(f"https:{h.name}" for h in HOSTS), f"ws:wss://{topo.PROBE_HOST.name}/ws")


FAKETIME_LIBRARY = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


def test_a_laptop_clock_three_years_ahead_is_the_laptops_problem(lab: Lab) -> None:
    ahead = {"LD_PRELOAD": FAKETIME_LIBRARY, "FAKETIME": "+1095d", "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=None), env=ahead)
    expect(run, "not_ready", failures={f"tls:{h.name}": "host.clock_wrong" for h in HOSTS})
    problems = run.report["problems"]
    assert [p["cause"] for p in problems] == ["host.clock_wrong"], problems  # one problem, on this laptop
    assert problems[0]["local_fix"] == "setting"
