"""A whole venue on loopback: one DNS server and, per platform host, a real server with a behaviour.

Used by the PDF tests, `build/render_pdfs.py` and `bench/pdf_render.py` to get reports from real engine runs
(ready, and not ready with several causes at once). Traffic stays on 127.0.0.1.

Behaviours: `ok`, `nxdomain`, `servfail`, `refused` (RST), `dropped` (blackhole: tcp.timeout), `sni_reset`
(tls.blocked), `blocked` (a squid 403 page: http.blocked), `portal` (a captive portal redirect),
`intercepted` (a certificate from the venue's inspection CA: tls.intercepted, a warning).
"""

from __future__ import annotations

import ssl
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import trustme
from aiohttp import web

from sparkgui.core.profile import Profile, parse_profile
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import NXDOMAIN, SERVFAIL, DnsServer
from tests.servers.tls_servers import LoopbackPki, RawServer, closed_port, reset_after_client_hello, start_https
from tests.support import TEST_CA_NAME, Ep, loopback_network, profile_toml

INSPECTION_CA_NAME = "Venue Firewall Inspection CA"
BEHAVIOURS = ("ok", "nxdomain", "servfail", "refused", "dropped", "sni_reset", "blocked", "portal", "intercepted")


def write_trust_bundle(path: Path, *authorities: trustme.CA) -> str:
    """A CA file holding several test CAs, for SSL_CERT_FILE (as if IT had installed its inspection CA)."""
    path.write_bytes(b"".join(ca.cert_pem.bytes() for ca in authorities))
    return str(path)


async def _blocked(request: web.Request) -> web.Response:
    return web.Response(
        status=403,
        text="<html><title>Access Denied</title>Blocked by the web filter policy.</html>",
        content_type="text/html",
        headers={"Server": "squid/5.7", "X-Squid-Error": "ERR_ACCESS_DENIED 0"},
    )


async def _portal(request: web.Request) -> web.Response:
    # Only a header: nothing ever connects to the portal's (made-up) address.
    return web.Response(status=302, headers={"Location": "http://portal.venue.invalid/login?next=%2F"})


@dataclass
class LoopbackVenue:
    """Start with `async with LoopbackVenue(pki, [("app.test", "ok"), ...]) as venue:`; then `venue.profile()`."""

    pki: LoopbackPki
    hosts: Sequence[tuple[str, str]]
    inspection_ca: trustme.CA = field(default_factory=lambda: trustme.CA(organization_name=INSPECTION_CA_NAME))
    dns: DnsServer | None = None
    endpoints: list[Ep] = field(default_factory=list)
    _runners: list[web.AppRunner] = field(default_factory=list)
    _raw: list[RawServer] = field(default_factory=list)
    _holes: list[BlackholePort] = field(default_factory=list)

    async def __aenter__(self) -> LoopbackVenue:
        try:
            await self._start()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def _start(self) -> None:
        unknown = sorted({b for _, b in self.hosts} - set(BEHAVIOURS))
        if unknown:
            raise ValueError(f"unknown behaviours {unknown}; choose from {BEHAVIOURS}")
        ports: dict[str, int] = {}
        for behaviour in ("ok", "blocked", "portal", "intercepted"):
            names = [name for name, b in self.hosts if b == behaviour]
            if names:
                ports[behaviour] = await self._https(behaviour, names)
        zone: dict[str, list[str] | str] = {}
        for name, behaviour in self.hosts:
            zone[name] = {"nxdomain": NXDOMAIN, "servfail": SERVFAIL}.get(behaviour, ["127.0.0.1"])
            self.endpoints.append(Ep(name, await self._port_for(behaviour, ports)))
        self.dns = await DnsServer(zone).start()

    async def _https(self, behaviour: str, names: list[str]) -> int:
        if behaviour == "intercepted":
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.inspection_ca.issue_cert(*names).configure_cert(context)
        else:
            context = self.pki.server_context(*names)
        routes: dict[str, Any] | None = {"blocked": {"/": _blocked}, "portal": {"/": _portal}}.get(behaviour)
        runner, port = await start_https(context, routes)
        self._runners.append(runner)
        return port

    async def _port_for(self, behaviour: str, ports: dict[str, int]) -> int:
        if behaviour in ports:
            return ports[behaviour]
        if behaviour == "refused":
            return closed_port()
        if behaviour == "dropped":
            hole = BlackholePort()
            self._holes.append(hole)
            return hole.port
        if behaviour == "sni_reset":
            raw = RawServer(reset_after_client_hello)
            self._raw.append(raw)
            return (await raw.start()).port
        return closed_port()  # nxdomain / servfail: never reached

    async def close(self) -> None:
        for runner in self._runners:
            await runner.cleanup()
        for raw in self._raw:
            await raw.stop()
        for hole in self._holes:
            hole.close()
        if self.dns is not None:
            await self.dns.stop()
        self._runners, self._raw, self._holes, self.dns = [], [], [], None

    def profile_text(self, **kwargs: Any) -> str:
        return profile_toml(self.endpoints, **{"expected_issuers": (TEST_CA_NAME,), **kwargs})

    def profile(self, **kwargs: Any) -> Profile:
        return parse_profile(self.profile_text(**kwargs).encode(), source="venue-test.toml")

    def network(self) -> Any:
        assert self.dns is not None
        return loopback_network(self.dns.port)
