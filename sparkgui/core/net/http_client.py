"""HTTP sessions whose connections come from a dialer the caller hands in.

The transport layer knows nothing of runs or checks: `sparkgui.core.transport` gives it a dialer that opens
each connection on the run's route (Happy Eyeballs, or a CONNECT tunnel through the proxy), so the HTTPS and
WebSocket checks share one route with the TCP and TLS checks. Imports aiohttp (~0.3 s): import this module
inside a check's `run`, never at start-up.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

from sparkgui import __version__
from sparkgui.core.net.pinned_resolver import PinnedResolver

Dialer = Callable[[str, int], Awaitable[socket.socket]]
"""Opens a connected socket to (host, port), or raises ConnectionError saying why."""

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
    """Opens each connection through the dialer, then lets aiohttp run TLS and HTTP over it.

    The dialer goes through `open_stream` (Happy Eyeballs, or a CONNECT tunnel with any proxy authentication).
    The pattern aiohttp-socks uses.
    """

    def __init__(self, dialer: Dialer, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._dialer = dialer

    async def _wrap_create_connection(
        self, *args: Any, addr_infos: Any, req: Any, timeout: Any, client_error: Any = None, **kwargs: Any
    ) -> Any:
        host, port = req.url.host, req.url.port
        try:
            sock = await self._dialer(host, port)
        except ConnectionError as exc:
            raise aiohttp.ClientConnectorError(req.connection_key, exc) from exc
        try:
            return await self._loop.create_connection(*args, **kwargs, sock=sock)
        except BaseException:
            sock.close()
            raise


@asynccontextmanager
async def routed_session(
    dialer: Dialer, addresses: Sequence[str], trust: ssl.SSLContext, timeout: aiohttp.ClientTimeout
) -> AsyncIterator[aiohttp.ClientSession]:
    """A session whose connections come from `dialer`, verified against `trust`, with no pooling."""
    # Through a proxy the local DNS may have failed: aiohttp still wants an address before it hands us the
    # connection, and RouteConnector ignores it, so a placeholder is enough.
    connector = RouteConnector(
        dialer,
        resolver=PinnedResolver(list(addresses) or ["0.0.0.0"]),
        ssl=trust,
        force_close=True,
        use_dns_cache=False,
    )
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trust_env=False, headers={"User-Agent": USER_AGENT}
    ) as session:
        yield session
