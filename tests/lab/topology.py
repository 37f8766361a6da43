"""The lab's addresses and names. Documentation ranges only (RFC 5737, RFC 3849): nothing here is routable
outside the lab, and the lab has no link to the root namespace or to any real interface.

    client ── c0 ┐                 ┌ p0 ── platform (the platform's host names, HTTPS)
                 ├── router ───────┤
    proxy ─── x0 ┘ (nftables,      └ d0 ── dns (dnsmasq)
                    portal, relays)
"""

from __future__ import annotations

from dataclasses import dataclass

DOMAIN = "sparkup.test"
PORTAL_NAME = "portal.lab.test"
LAB_CA_NAME = "sparkgui lab CA"
INSPECTION_CA_NAME = "Venue Inspection CA"  # the CA an inspecting proxy (ssl-bump) signs its certificates with


@dataclass(frozen=True)
class Segment:
    """One link between the router and a host: the router's side is `r0`-like, the host's side `eth0`."""

    host: str  # namespace role
    router_if: str
    v4_router: str
    v4_host: str
    v4_prefix: int
    v6_router: str
    v6_host: str


CLIENT = Segment("client", "c0", "192.0.2.1", "192.0.2.10", 24, "2001:db8:c::1", "2001:db8:c::10")
PLATFORM = Segment("platform", "p0", "198.51.100.1", "198.51.100.10", 24, "2001:db8:100::1", "2001:db8:100::10")
DNS = Segment("dns", "d0", "203.0.113.1", "203.0.113.53", 26, "2001:db8:53::1", "2001:db8:53::53")
PROXY = Segment("proxy", "x0", "203.0.113.65", "203.0.113.70", 26, "2001:db8:3128::1", "2001:db8:3128::10")
PLATFORM_V4_NET = "198.51.100.0/24"
PLATFORM_V6_NET = "2001:db8:100::/64"
SEGMENTS = (CLIENT, PLATFORM, DNS, PROXY)
HOST_ROLES = ("router", *(s.host for s in SEGMENTS))


@dataclass(frozen=True)
class PlatformHost:
    """One of the platform's host names, with its own IPv4 and IPv6 address on the platform host."""

    name: str
    path: str
    v4: str
    v6: str


def _platform(label: str, index: int, path: str = "/") -> PlatformHost:
    return PlatformHost(f"{label}.{DOMAIN}", path, f"198.51.100.{20 + index}", f"2001:db8:100::{20 + index:x}")


PLATFORM_HOSTS = (
    _platform("app", 1),
    _platform("probe", 2, "/healthz"),
    _platform("api", 3),
    _platform("media", 4),
    _platform("live", 5),
    _platform("static", 6),
)
HOSTS_BY_NAME = {h.name: h for h in PLATFORM_HOSTS}
PROBE_HOST = PLATFORM_HOSTS[1]  # the platform's known-good endpoint: its WebSocket echo is at /ws
