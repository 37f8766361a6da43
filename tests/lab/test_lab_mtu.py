"""Path-MTU black holes: the router's link to the client carries 1280 bytes, and the server's first TLS
flight (an RSA chain, over 1400 bytes) does not fit. With ICMP filtered it vanishes: `net.mtu_blackhole`,
found by a retry with small segments. With ICMP allowed, path-MTU discovery works and nothing is blamed.
"""

from __future__ import annotations

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:1]


def test_a_small_mtu_with_icmp_filtered_is_named_a_black_hole(lab: Lab) -> None:
    lab.small_mtu(1280, icmp_filtered=True)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=None))
    host = HOSTS[0].name
    expect(run, "not_ready", failures={f"tls:{host}": "net.mtu_blackhole"})
    tls = run.checks[f"tls:{host}"]
    assert tls["evidence"]["retry_mss"] == 1200 and "ICMP" in tls["remedy"], tls
    assert run.causes()[f"tcp:{host}:443"] == ("pass", "ok")  # the connection opens: only big packets vanish


def test_the_same_path_with_icmp_allowed_is_clean(lab: Lab) -> None:
    lab.small_mtu(1280, icmp_filtered=False)
    run = lab.run_sparkgui(lab.write_profile(HOSTS, websocket=None))
    expect(run, "ready")
