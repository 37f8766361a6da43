"""How checks reach a platform host: on the route discovered for it, directly or through the proxy.

Directly is Happy Eyeballs over the addresses its DNS check found; through the proxy is a CONNECT tunnel. One
place, so the TCP, TLS, HTTPS and WebSocket checks all take the path a browser on this machine would take.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sparkgui.core.context import CheckScope, RunContext
from sparkgui.core.net.connector import Connection, happy_eyeballs
from sparkgui.core.net.proxy_tunnel import Tunnel, TunnelOutcome, open_tunnel
from sparkgui.core.net.routes import Route, RouteTable, discover_routes, platform_url
from sparkgui.core.profile import Endpoint, Profile

if TYPE_CHECKING:
    import aiohttp


def platform_urls(profile: Profile) -> list[str]:
    """Every URL the run reaches, each once: the endpoints and the WebSocket's host."""
    urls = [platform_url(endpoint.host, endpoint.port) for endpoint in profile.endpoints]
    if profile.websocket is not None:
        urls.append(platform_url(profile.websocket.host, profile.websocket.port))
    return list(dict.fromkeys(urls))


async def route_table(run: RunContext) -> RouteTable:
    """Discover the routes once per run, however many checks ask."""

    async def discover() -> RouteTable:
        table = await discover_routes(
            run.network.route, platform_urls(run.profile), run.profile.timeouts.http, run.network.resolvers
        )
        run.route_table = table
        return table

    table: RouteTable = await run.shared("routes", discover)
    return table


async def route_to(scope: CheckScope, host: str, port: int = 443) -> Route:
    """Look up the route to `host:port` in the run's route table (discovered on first use)."""
    return (await route_table(scope.run)).for_url(platform_url(host, port))


async def host_is_proxied(scope: CheckScope, host: str) -> Route | None:
    """The proxied route of any URL on `host`, or None when `host` is reached directly."""
    table = await route_table(scope.run)
    for url, route in table.routes.items():
        if route.via_proxy and urlsplit(url).hostname == host:
            return route
    return None


@dataclass
class Stream:
    """A connected socket to host:port (owned by the caller), and how it was obtained."""

    route: Route
    sock: socket.socket | None
    connection: Connection | None = None  # direct: every Happy Eyeballs attempt
    tunnel: Tunnel | None = None  # via proxy: the CONNECT exchange

    def take(self) -> socket.socket | None:
        """Hand the socket over; the caller then owns it and must close it."""
        sock, self.sock = self.sock, None
        return sock

    def close(self) -> None:
        """Close the socket, unless it was taken."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


async def open_stream(scope: CheckScope, host: str, port: int, mss: int | None = None) -> Stream:
    """Connect to host:port on its route, within the profile's deadlines (`mss`: direct connections only)."""
    return await dial_route(scope.run, host, port, scope.run.dns_facts(host).addresses, mss)


async def dial_route(run: RunContext, host: str, port: int, addresses: Sequence[str], mss: int | None = None) -> Stream:
    """Connect to host:port on the run's route for it: a CONNECT tunnel, or Happy Eyeballs over `addresses`."""
    route = (await route_table(run)).for_url(platform_url(host, port))
    timeouts = run.profile.timeouts
    if route.proxy is not None:
        tunnel = await open_tunnel(
            route.proxy, host, port, connect_timeout=timeouts.connect, answer_timeout=timeouts.http
        )
        sock, tunnel.sock = (tunnel.sock, None) if tunnel.outcome is TunnelOutcome.OPEN else (None, tunnel.sock)
        return Stream(route, sock, tunnel=tunnel)
    network = run.network
    connection = await happy_eyeballs(
        addresses, network.dial_port(host, port), timeouts.connect, network.happy_eyeballs_delay, mss
    )
    sock, connection.sock = connection.sock, None
    return Stream(route, sock, connection=connection)


@asynccontextmanager
async def platform_session(
    scope: CheckScope, host: str, timeout: aiohttp.ClientTimeout, send_buffer: int | None = None
) -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP session for requests to `host` on this run's route, verified against the OS trust store.

    `send_buffer` bounds the socket's send buffer (an upload measured by what the socket takes, not what
    it queues).
    """
    async with routed_platform_session(
        scope.run, host, scope.run.dns_facts(host).addresses, timeout, send_buffer
    ) as session:
        yield session


@asynccontextmanager
async def side_session(
    run: RunContext, host: str, port: int, timeout: aiohttp.ClientTimeout
) -> AsyncIterator[aiohttp.ClientSession]:
    """A session to `host` outside any check (the attendee test, the published profile), on the checks' route.

    Without the DNS check's answer it asks the run's resolvers itself, within the profile's DNS deadline.
    """
    addresses: Sequence[str] = run.dns_facts(host).addresses
    route = (await route_table(run)).for_url(platform_url(host, port))
    if not addresses and not route.via_proxy:
        from sparkgui.core.net.resolver import NoResolverError, lookup, make_resolver

        try:
            addresses = (await lookup(make_resolver(run.network.resolvers), host, run.profile.timeouts.dns)).addresses
        except NoResolverError as exc:
            raise ConnectionError(f"{host}: {exc}") from None
        if not addresses:
            raise ConnectionError(f"{host}: the name does not resolve")
    async with routed_platform_session(run, host, addresses, timeout) as session:
        yield session


async def side_request(
    run: RunContext, endpoint: Endpoint, method: str, path: str, limit: int, timeout_seconds: float
) -> tuple[int, bytes]:
    """One request to `endpoint` outside any check, on the checks' route: its status and at most `limit` bytes.

    No redirect is followed. ConnectionError says why it could not be made; TimeoutError past the deadline.
    """
    import aiohttp

    from sparkgui.core.net.http_client import read_at_most

    timeout = aiohttp.ClientTimeout(total=timeout_seconds)
    try:
        async with (
            side_session(run, endpoint.host, endpoint.port, timeout) as session,
            session.request(method, endpoint.base_url + path, allow_redirects=False) as response,
        ):
            return response.status, await read_at_most(response.content, limit)
    except (aiohttp.ClientError, OSError) as exc:
        raise ConnectionError(str(exc) or type(exc).__name__) from None


@asynccontextmanager
async def routed_platform_session(
    run: RunContext,
    host: str,
    addresses: Sequence[str],
    timeout: aiohttp.ClientTimeout,
    send_buffer: int | None = None,
) -> AsyncIterator[aiohttp.ClientSession]:
    """The session both of the above give: each connection dialled on the run's route."""
    from sparkgui.core.net.http_client import routed_session  # aiohttp: only once a check needs it

    async def dial(target_host: str, port: int) -> socket.socket:
        stream = await dial_route(
            run, target_host, port, addresses if target_host == host else run.dns_facts(target_host).addresses
        )
        sock = stream.take()
        if sock is None:
            detail = stream.tunnel.outcome if stream.tunnel else "no connection"
            raise ConnectionError(f"{target_host}:{port}: {detail}")
        if send_buffer is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, send_buffer)
        return sock

    async with routed_session(dial, addresses, run.trust.os_store, timeout) as session:
        yield session
