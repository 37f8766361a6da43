"""Which network was tested, read from a real network namespace: the default route's interface, its address
and the gateway; no Wi-Fi there, so no SSID, and never a MAC address."""

from __future__ import annotations

import json
import sys

from tests.lab.lab import Lab
from tests.lab.netns import in_ns
from tests.lab.topology import CLIENT

PROGRAM = (
    "import json; from sparkgui.core.tested_network import local_network; print(json.dumps(local_network().as_json()))"
)


def test_the_client_namespace_names_its_interface_address_and_gateway(lab: Lab) -> None:
    done = in_ns(lab.ns("client"), sys.executable, "-c", PROGRAM)
    seen = json.loads(done.stdout)
    assert seen["gateway"] == CLIENT.v4_router
    assert seen["interface"] == "eth0"
    assert f"{CLIENT.v4_host}/{CLIENT.v4_prefix}" in seen["addresses"]
    assert "ssid" not in seen and "public_address" not in seen
    assert not any(":" in a and a.count(":") == 5 and "/" not in a for a in seen["addresses"])  # no MAC
