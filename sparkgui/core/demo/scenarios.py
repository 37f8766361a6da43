"""The demo's scenarios: which fault each platform host meets in the simulated venue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from sparkgui.core.i18n import Text, tr


class Fault(Enum):
    """What one platform host meets in the simulated venue."""

    NONE = "none"
    NXDOMAIN = "nxdomain"  # the venue's DNS does not know the name
    REFUSED = "refused"  # the firewall rejects TCP 443
    INSPECTED = "inspected"  # TLS inspection with a CA this laptop trusts
    IPV6_BROKEN = "ipv6_broken"  # IPv6 offered but not working


@dataclass(frozen=True)
class Scenario:
    """A named demo: the fault each host meets, by host index, and the fault for the others."""

    name: str
    title: Text
    faults: Mapping[int, Fault] = field(default_factory=dict)  # host index (endpoints, then WebSocket) -> fault
    default_fault: Fault = Fault.NONE
    link_mbit: float = 40.0  # the venue's Internet link, each way: what the speed tests measure
    attendees: int | None = None  # the audience the demo assumes when the organiser gave none

    def fault_for(self, index: int) -> Fault:
        """Return the fault the host at `index` meets."""
        return self.faults.get(index, self.default_fault)


SCENARIOS: dict[str, Scenario] = {
    "ready": Scenario("ready", tr("A venue ready for the platform")),
    "warnings": Scenario(
        "warnings", tr("A venue that inspects TLS and offers broken IPv6"), {0: Fault.IPV6_BROKEN}, Fault.INSPECTED
    ),
    "not-ready": Scenario(
        "not-ready", tr("A venue whose firewall blocks the platform"), {0: Fault.REFUSED, 1: Fault.IPV6_BROKEN}
    ),
    "dns": Scenario("dns", tr("A venue whose DNS does not know the platform"), {0: Fault.NXDOMAIN}),
    "slow-link": Scenario(
        "slow-link", tr("A venue whose Internet link is too slow for 300 attendees"), link_mbit=3.0, attendees=300
    ),
}
DEFAULT_SCENARIO = "not-ready"
DEMO_HOLD_SECONDS = 8.0  # a demo's WebSocket hold: long enough to watch the countdown, short enough to sell
DEMO_SPEED_SECONDS = 2.0  # a demo's speed test, each way (a real one takes 3 to 10 s)
DEMO_LATENCY_SAMPLES = 8  # a demo's round trips (the bundled profile asks 20: 4.4 s on the demo's 120 ms link)


def scenario_named(name: str | None) -> Scenario:
    """The scenario for `name` ("default" or None: the default); ValueError listing the names otherwise."""
    key = DEFAULT_SCENARIO if name in (None, "", "default") else str(name)
    if key not in SCENARIOS:
        raise ValueError(f"unknown demo scenario {name!r}; choose one of {', '.join(SCENARIOS)}")
    return SCENARIOS[key]
