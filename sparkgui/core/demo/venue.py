"""A simulated venue on loopback for demo mode, with the faults a scenario asks for.

The platform's names are served by the probe server with a demo certificate, behind relays that add latency.

Only loopback addresses are used. Checks still speak of the profile's real names and port 443: the demo's
resolver answers 127.0.0.1 for them and `NetworkSettings.connect_to` dials the demo servers' ports.
"""

from __future__ import annotations

import dataclasses
import socket
import ssl
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property

from aiohttp import web

from sparkgui.core.context import NetworkSettings
from sparkgui.core.demo.delay_relay import DelayRelay
from sparkgui.core.demo.dns_server import NXDOMAIN, DnsServer
from sparkgui.core.demo.pki import Authority
from sparkgui.core.demo.scenarios import DEMO_LATENCY_SAMPLES, DEMO_SPEED_SECONDS, Fault, Scenario
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.net.routes import RouteConfig
from sparkgui.core.net.trust import TrustStores
from sparkgui.core.profile import CapacitySpec, Profile, QualitySpec
from sparkgui.probe.server import start_probe

PLATFORM_CA = "Sparkup Demo Platform"
INSPECTOR_CA = "Venue Inspection CA (demo)"
LATENCY_S = 0.06  # each way: a believable venue link, so progress is visible


@dataclass
class DemoTrust(TrustStores):
    """The demo's "operating system" trust: the demo platform's CA and the venue's inspection CA.

    It trusts the inspection CA as a managed laptop would. Nothing of the real trust store is used.
    """

    roots_pem: str = ""

    @cached_property
    def os_store(self) -> ssl.SSLContext:
        """A context that trusts the demo's CAs (`roots_pem`) and nothing else."""
        return ssl.create_default_context(cadata=self.roots_pem)


@dataclass
class DemoVenue:
    """The simulated venue for one profile and one scenario.

    Start with `await venue.start()`, run the engine with `venue.profile`, `venue.network` and
    `venue.trust`, then `await venue.stop()`.
    """

    source: Profile
    scenario: Scenario
    profile: Profile = field(init=False)
    network: NetworkSettings = field(init=False)
    trust: DemoTrust = field(init=False)
    _runners: list[web.AppRunner] = field(default_factory=list)
    _relays: list[DelayRelay] = field(default_factory=list)
    _dns: DnsServer | None = None

    def hosts(self) -> list[tuple[str, int]]:
        """Return each (host, port) the profile reaches, endpoints first, without repeats."""
        found = [(e.host, e.port) for e in self.source.endpoints]
        if self.source.websocket is not None:
            found.append((self.source.websocket.host, self.source.websocket.port))
        return list(dict.fromkeys(found))

    async def start(self) -> DemoVenue:
        """Start the venue's servers and relays, and set `profile`, `network` and `trust` for the engine."""
        platform, inspector = Authority.create(PLATFORM_CA), Authority.create(INSPECTOR_CA)
        names = sorted({host for host, _ in self.hosts()})
        genuine = await self._server(platform.server_context(names))
        inspected = await self._server(inspector.server_context(names))
        zone: dict[str, list[str] | str] = {}
        connect_to: dict[tuple[str, int], int] = {}
        for index, (host, port) in enumerate(self.hosts()):
            fault = self.scenario.fault_for(index)
            zone[host] = NXDOMAIN if fault is Fault.NXDOMAIN else ["127.0.0.1"]
            if fault is Fault.IPV6_BROKEN:
                zone[host] = ["::1", "127.0.0.1"]  # nothing answers on ::1: IPv6 is offered but broken
            upstream = inspected if fault is Fault.INSPECTED else genuine
            connect_to[(host, port)] = _closed_port() if fault is Fault.REFUSED else upstream
        self._dns = await DnsServer(zone).start()
        self.trust = DemoTrust(roots_pem=platform.pem + inspector.pem)
        self.profile = dataclasses.replace(
            self.source, expected_issuers=(PLATFORM_CA,), capacity=self._capacity(), quality=self._quality()
        )
        self.network = NetworkSettings(
            resolvers=ResolverConfig(("127.0.0.1",), self._dns.port),
            route=RouteConfig(no_proxy=True, simulated=True),
            connect_to=connect_to,
        )
        return self

    def _capacity(self) -> CapacitySpec | None:
        """The profile's speed tests, shortened for a demo."""
        spec = self.source.capacity
        if spec is None:
            return None
        return dataclasses.replace(spec, max_seconds=min(spec.max_seconds, DEMO_SPEED_SECONDS))

    def _quality(self) -> QualitySpec | None:
        """The profile's round-trip samples, fewer for a demo: the figures show as well in half the time."""
        spec = self.source.quality
        if spec is None:
            return None
        return dataclasses.replace(spec, samples=min(spec.samples, DEMO_LATENCY_SAMPLES))

    async def _server(self, context: ssl.SSLContext) -> int:
        runner, port = await start_probe("127.0.0.1", 0, context, shutdown_timeout=0.5)
        self._runners.append(runner)
        rate = self.scenario.link_mbit * 1e6
        relay = await DelayRelay("127.0.0.1", port, LATENCY_S, rate_bps=rate).start()
        self._relays.append(relay)
        return relay.port

    async def stop(self) -> None:
        """Stop the relays, the probe servers and the DNS server."""
        for relay in self._relays:
            await relay.stop()
        for runner in self._runners:
            await runner.cleanup()
        if self._dns is not None:
            await self._dns.stop()


def _closed_port() -> int:
    """A loopback port nothing listens on: connecting is refused, as a firewall's REJECT does."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def demo_venue(profile: Profile, scenario: Scenario) -> AsyncIterator[DemoVenue]:
    """The simulated venue for the time of one run; always stopped, even on cancel."""
    venue = DemoVenue(profile, scenario)
    try:
        yield await venue.start()
    finally:
        await venue.stop()
