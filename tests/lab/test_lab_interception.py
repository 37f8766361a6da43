"""Something else answers for the platform: a captive portal, or an SNI filter that resets one name."""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect, skipped_after
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:3]


def test_captive_portal_intercepting_http_and_https(lab: Lab) -> None:
    lab.captive_portal()
    plain = lab.client("curl", "-sS", "-o", "/dev/null", "-w", "%{redirect_url}", "-m", "5", f"http://{HOSTS[0].name}/")
    assert plain.stdout.startswith(f"http://{topo.PORTAL_NAME}/login"), plain  # HTTP lands on the portal
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    # The portal cannot hold the platform's certificate; the TLS check then asks plain HTTP, as browsers do,
    # and the redirect to the portal names it.
    expect(run, "not_ready", failures={f"tls:{h.name}": "http.captive_portal" for h in HOSTS})
    for host in HOSTS:
        evidence = run.checks[f"tls:{host.name}"]["evidence"]
        assert evidence["portal"].startswith(f"http://{topo.PORTAL_NAME}/login"), run.explain()
        assert topo.PORTAL_NAME in evidence["sans"], run.explain()  # the portal's own certificate, as evidence
    skipped_after(run, *(f"https:{h.name}" for h in HOSTS))


def test_sni_filter_resets_one_platform_name_only(lab: Lab) -> None:
    blocked = HOSTS[2].name
    lab.sni_filter(blocked)
    run = lab.run_sparkgui(lab.write_profile(HOSTS))
    expect(run, "not_ready", failures={f"tls:{blocked}": "tls.blocked"})
    skipped_after(run, f"https:{blocked}")
    assert f"reset {blocked}" in lab.processes["sni-filter"].output()  # the filter saw and reset it
