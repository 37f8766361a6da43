"""Loopback networks for the window tests: a ready one, one with a warning, a broken one, a hanging one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sparkgui.core.context import NetworkSettings
from sparkgui.core.profile import Profile
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import NXDOMAIN, SILENT, DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port, start_https
from tests.support import Ep, loopback_network, make_profile


@dataclass
class Lab:
    profile: Profile
    network: NetworkSettings
    dns: DnsServer
    runners: list[web.AppRunner] = field(default_factory=list)
    holes: list[BlackholePort] = field(default_factory=list)

    async def stop(self) -> None:
        for runner in self.runners:
            await runner.cleanup()
        await self.dns.stop()
        for hole in self.holes:
            hole.close()


async def ready_lab(pki: LoopbackPki, **profile_args: Any) -> Lab:
    """One healthy platform endpoint: every check passes (IPv6 is skipped: the name has no IPv6 address)."""
    runner, port = await start_https(pki.server_context("app.test"))
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    profile = make_profile([Ep("app.test", port)], **profile_args)
    return Lab(profile, loopback_network(dns.port), dns, [runner])


async def broken_lab(pki: LoopbackPki) -> Lab:
    """A healthy endpoint, a name the DNS does not know, and a port the firewall rejects."""
    runner, port = await start_https(pki.server_context("app.test"))
    dns = await DnsServer({"app.test": ["127.0.0.1"], "gone.test": NXDOMAIN, "closed.test": ["127.0.0.1"]}).start()
    profile = make_profile([Ep("app.test", port), Ep("gone.test", 443), Ep("closed.test", closed_port())])
    return Lab(profile, loopback_network(dns.port), dns, [runner])


async def hanging_lab() -> Lab:
    """Checks that would wait 20 s each (silent DNS, a blackholed port): only a cancel ends them quickly."""
    hole = BlackholePort()
    dns = await DnsServer({"dns.test": SILENT, "tcp.test": ["127.0.0.1"]}).start()
    profile = make_profile(
        [Ep("dns.test", 443), Ep("tcp.test", hole.port)],
        timeouts={"dns": 20, "connect": 20, "tls": 20, "http": 20},
    )
    return Lab(profile, loopback_network(dns.port), dns, holes=[hole])
