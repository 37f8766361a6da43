"""HTTP sessions that reach the platform the way this run reaches it.

Every HTTPS and WebSocket check opens its session here, so they share one route (the addresses the DNS
check found, the OS trust store, and later the proxy), and a fix to the route reaches them all.
Imports aiohttp (~0.3 s): import this module inside a check's `run`, never at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from sparkgui import __version__
from sparkgui.core.context import CheckScope
from sparkgui.core.net.pinned_resolver import PinnedResolver

USER_AGENT = f"sparkgui/{__version__} (network readiness check)"


async def read_at_most(content: aiohttp.StreamReader, limit: int) -> bytes:
    """Up to `limit` bytes of a body: `read(n)` returns only what has arrived, so loop until EOF or the limit."""
    data = b""
    while len(data) < limit:
        chunk = await content.read(limit - len(data))
        if not chunk:
            break
        data += chunk
    return data


class RouteConnector(aiohttp.TCPConnector):
    """Opens each connection through `open_stream` (Happy Eyeballs, or a CONNECT tunnel with any proxy
    authentication), then lets aiohttp run TLS and HTTP over it. The pattern aiohttp-socks uses."""

    def __init__(self, scope: CheckScope, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._scope = scope

    async def _wrap_create_connection(
        self, *args: Any, addr_infos: Any, req: Any, timeout: Any, client_error: Any = None, **kwargs: Any
    ) -> Any:
        from sparkgui.core.transport import open_stream

        host, port = req.url.host, req.url.port
        stream = await open_stream(self._scope, host, port)
        sock = stream.take()
        if sock is None:
            detail = stream.tunnel.outcome if stream.tunnel else "no connection"
            raise aiohttp.ClientConnectorError(req.connection_key, ConnectionError(f"{host}:{port}: {detail}"))
        try:
            return await self._loop.create_connection(*args, **kwargs, sock=sock)
        except BaseException:
            sock.close()
            raise


@asynccontextmanager
async def platform_session(
    scope: CheckScope, host: str, timeout: aiohttp.ClientTimeout
) -> AsyncIterator[aiohttp.ClientSession]:
    """A session for requests to `host` on its route, verified against the OS trust store, no pooling."""
    run = scope.run
    # Through a proxy the local DNS may have failed: aiohttp still wants an address before it hands us the
    # connection, and RouteConnector ignores it, so a placeholder is enough.
    addresses = run.handoff(f"dns:{host}").get("addresses") or ("0.0.0.0",)
    connector = RouteConnector(
        scope,
        resolver=PinnedResolver(addresses),
        ssl=run.trust.os_store,
        force_close=True,
        use_dns_cache=False,
    )
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trust_env=False, headers={"User-Agent": USER_AGENT}
    ) as session:
        yield session
