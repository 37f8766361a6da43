"""The proxy host is ready for the proxy scenarios: squid runs there and is the only way out when direct
egress is blocked. (sparkgui's own proxy support arrives with its issue; these prove the lab's half.)"""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.lab import Lab
from tests.lab.squid import SquidSetup

pytestmark = pytest.mark.lab

APP = topo.PLATFORM_HOSTS[0]
PROBE = topo.PLATFORM_HOSTS[1]
DIRECT_BLOCKED = f'iifname "{topo.CLIENT.router_if}" ip daddr {topo.PLATFORM.v4_router[:-1]}0/24 drop'


def curl_code(lab: Lab, *args: str) -> str:
    """`CONNECT status/HTTP status` as curl saw them (000 where there was none)."""
    done = lab.client(
        "curl", "-sS", "-o", "/dev/null", "-w", "%{http_connect}/%{http_code}", "-m", "5",
        "--cacert", str(lab.ca_file), *args,
    )  # fmt: skip
    return done.stdout


def test_squid_is_the_only_way_out_when_direct_egress_is_blocked(lab: Lab) -> None:
    lab.firewall(DIRECT_BLOCKED, f'iifname "{topo.CLIENT.router_if}" ip6 daddr 2001:db8:100::/64 drop')
    proxy = lab.start_squid(SquidSetup())
    assert curl_code(lab, "-m", "2", f"https://{APP.name}/") == "000/000"  # direct: dropped
    assert curl_code(lab, "-x", proxy, f"https://{APP.name}/") == "200/200"  # through squid (CONNECT)


def test_squid_basic_auth_and_connect_acl(lab: Lab) -> None:
    proxy = lab.start_squid(SquidSetup(users={"venue": "s3cret"}, deny_connect=(PROBE.name,)))
    assert curl_code(lab, "-x", proxy, f"https://{APP.name}/") == "407/000"
    assert curl_code(lab, "-x", proxy, "-U", "venue:wrong", f"https://{APP.name}/") == "407/000"
    assert curl_code(lab, "-x", proxy, "-U", "venue:s3cret", f"https://{APP.name}/") == "200/200"
    assert curl_code(lab, "-x", proxy, "-U", "venue:s3cret", f"https://{PROBE.name}/") == "403/000"
