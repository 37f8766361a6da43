"""The probe's HTTP application: health, a page, a WebSocket echo, transfers, the test link and sessions.

The transfer routes (`/download`, `/upload`) move a bounded amount of data, to measure throughput. `/test` is
the page a phone opens from the organiser's QR code; `/sessions` collects the phones' results.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from aiohttp import WSCloseCode, WSMsgType, web

from sparkgui import __version__
from sparkgui.probe.forwarded import Network, forwarded_middleware
from sparkgui.probe.logs import masked
from sparkgui.probe.published import Published, add_published_routes
from sparkgui.probe.rate_limit import client_key
from sparkgui.probe.session_routes import SessionRateLimits, add_session_routes
from sparkgui.probe.sessions import MemoryStore, SessionLimits, SessionStore
from sparkgui.probe.test_page import TestPageSettings, add_test_page_route
from sparkgui.probe.transfers import TransferLimits, add_transfer_routes

log = logging.getLogger("sparkgui.probe")

SERVICE_NAME = "Sparkup network probe"
DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024  # the checks send a few bytes; nothing legitimate needs more
DEFAULT_MAX_CONNECTIONS = 1000
# What one connection may echo: the checks and the test page send a few kilobytes in all; a client pumping data
# through the echo would make it the free bandwidth the transfer routes' budgets refuse.
ECHO_BUDGET_BYTES = 16 * 1024 * 1024

_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{SERVICE_NAME}</title></head>
<body><h1>{SERVICE_NAME}</h1>
<p>This is the platform's known-good endpoint for network-readiness checks (sparkgui {__version__}).
<code>/ws</code> is a WebSocket echo; <code>/healthz</code> answers 204 when the service is up;
<code>/whoami</code> says which address a request came from; <code>/download?bytes=N</code> and
<code>POST /upload</code> move a bounded amount of data to measure throughput.</p>
<p><a href="/test">Open the browser test</a>: it holds a live connection for a minute and says whether this
network lets it through.</p>
</body></html>
"""


@dataclass(frozen=True)
class ProbeConfig:
    """How the probe behaves. The defaults suit a public deployment."""

    heartbeat_seconds: float | None = None  # server pings; off by default so a client's silence stays silent
    max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    # One address (a venue's NAT: many phones) may take at most half the connections, so it cannot starve all.
    max_connections_per_address: int | None = None
    transfers: TransferLimits = field(default_factory=TransferLimits)
    published: Published | None = None  # the platform's signed profile, served at /profile.toml
    test_page: TestPageSettings = field(default_factory=TestPageSettings)
    sessions: SessionLimits = field(default_factory=SessionLimits)
    session_rates: SessionRateLimits = field(default_factory=SessionRateLimits)
    redis_url: str | None = None  # sessions in Redis, shared by several probes; in memory when None
    trusted_proxies: tuple[Network, ...] = ()  # the load balancer's networks: their X-Forwarded-For is believed

    def session_store(self) -> SessionStore:
        """Where this probe keeps its attendee sessions: Redis when a URL is set, else its own memory."""
        if self.redis_url:
            from sparkgui.probe.redis_store import RedisStore  # the redis client: only when configured

            return RedisStore(self.redis_url, self.sessions)
        return MemoryStore(self.sessions)


CONFIG_KEY = web.AppKey("config", ProbeConfig)


@dataclass
class _Live:
    """The open WebSockets, and whether the server is shutting down (for the log line's `end=`)."""

    sockets: set[web.WebSocketResponse] = field(default_factory=set)
    by_client: Counter[str] = field(default_factory=Counter)  # open connections per client_key
    stopping: bool = False


LIVE_KEY = web.AppKey("live", _Live)


def make_app(config: ProbeConfig | None = None) -> web.Application:
    """Build the probe's application with `config` (the defaults when None)."""
    config = config or ProbeConfig()
    app = web.Application(middlewares=[forwarded_middleware(config.trusted_proxies)] if config.trusted_proxies else [])
    app[CONFIG_KEY] = config
    app[LIVE_KEY] = _Live()
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/whoami", whoami)
    app.router.add_get("/ws", websocket_echo)
    add_transfer_routes(app, app[CONFIG_KEY].transfers)
    add_published_routes(app, app[CONFIG_KEY].published)
    add_test_page_route(app, app[CONFIG_KEY].test_page)
    add_session_routes(app, app[CONFIG_KEY].session_store(), app[CONFIG_KEY].session_rates)
    app.on_shutdown.append(_close_sockets)
    return app


async def index(request: web.Request) -> web.Response:
    """Serve the page naming the service, so a person who opens the URL knows what it is."""
    return web.Response(text=_PAGE, content_type="text/html", headers={"Cache-Control": "no-store"})


async def whoami(request: web.Request) -> web.Response:
    """Say which address the request came from: the venue's public address, without a third-party service."""
    return web.json_response({"address": request.remote or ""}, headers={"Cache-Control": "no-store"})


async def healthz(request: web.Request) -> web.Response:
    """Answer 204 No Content while the service is up."""
    return web.Response(status=204, headers={"Cache-Control": "no-store"})


async def websocket_echo(request: web.Request) -> web.StreamResponse:
    """Echo every text and binary message back as it came; answer pings (aiohttp does it)."""
    config = request.app[CONFIG_KEY]
    live = request.app[LIVE_KEY]
    sockets = live.sockets
    peer = request.remote or "?"
    if len(sockets) >= config.max_connections:
        log.warning("ws refused peer=%s reason=connection_limit limit=%d", masked(peer), config.max_connections)
        return web.Response(status=503, text="Too many connections; retry later.\n", headers={"Retry-After": "5"})
    client = client_key(peer)
    per_address = config.max_connections_per_address or max(1, config.max_connections // 2)
    if live.by_client[client] >= per_address:
        log.warning("ws refused peer=%s reason=address_limit limit=%d", masked(peer), per_address)
        return web.Response(
            status=429, text="Too many connections from this address; retry later.\n", headers={"Retry-After": "5"}
        )
    ws = web.WebSocketResponse(
        heartbeat=config.heartbeat_seconds, max_msg_size=config.max_message_bytes + 1, autoping=True
    )
    await ws.prepare(request)
    sockets.add(ws)
    live.by_client[client] += 1
    began = time.monotonic()
    messages = received_bytes = 0
    ending = "closed"
    try:
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                messages += 1
                received_bytes += len(message.data.encode())
                await ws.send_str(message.data)
            elif message.type is WSMsgType.BINARY:
                messages += 1
                received_bytes += len(message.data)
                await ws.send_bytes(message.data)
            elif message.type is WSMsgType.ERROR:
                ending = f"error:{type(ws.exception()).__name__}"
            if received_bytes > ECHO_BUDGET_BYTES:
                ending = "echo_budget"
                await ws.close(code=1008, message=b"this connection echoed its share of data")
                break
    except ConnectionError:
        ending = "connection_lost"
    finally:
        sockets.discard(ws)
        live.by_client[client] -= 1
        if live.by_client[client] <= 0:
            del live.by_client[client]
        if live.stopping:
            ending = "server_shutdown"
        log.info(
            "ws peer=%s duration_s=%.1f messages=%d bytes_in=%d close_code=%s end=%s",
            masked(peer),
            time.monotonic() - began,
            messages,
            received_bytes,
            ws.close_code,
            ending,
        )
    return ws


async def _close_sockets(app: web.Application) -> None:
    """On shutdown, tell every client the server is going away (1001) instead of cutting them off."""
    live = app[LIVE_KEY]
    live.stopping = True
    await asyncio.gather(
        *(ws.close(code=WSCloseCode.GOING_AWAY, message=b"server shutdown") for ws in list(live.sockets)),
        return_exceptions=True,
    )
