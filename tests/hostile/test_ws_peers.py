"""Hostile WebSocket peers: one that floods frames during the hold is named (ws.flood) and what is kept stays
bounded, where before it grew by about 170 MB/s and the run still said "ready"."""

from __future__ import annotations

import asyncio
import resource
import time
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from sparkgui.core.model import RunOutcome, Status
from sparkgui.core.net.websocket import FLOOD_BYTES, FLOOD_MESSAGES
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.servers.ws_servers import start_ws_server
from tests.support import run
from tests.ws_support import WS_HOST, run_ws, ws_profile

FLOOD_LIMIT = 300_000  # frames at most: the peer's loop is bounded too


def flooding(after_s: float) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Echo like the platform, and from `after_s` on send 4 KB frames as fast as the socket takes them."""

    async def handler(request: web.Request) -> web.StreamResponse:
        return await _flood(request, after_s)

    return handler


async def _flood(request: web.Request, after_s: float) -> web.StreamResponse:
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    chunk = "x" * 4096

    async def pour() -> None:
        await asyncio.sleep(after_s)
        for index in range(FLOOD_LIMIT):
            if ws.closed:
                return
            await ws.send_str(chunk)
            if index % 64 == 0:
                await asyncio.sleep(0)

    pouring = asyncio.ensure_future(pour())
    try:
        async for message in ws:
            if message.type is web.WSMsgType.TEXT:
                await ws.send_str(message.data)
            elif message.type is web.WSMsgType.BINARY:
                await ws.send_bytes(message.data)
    finally:
        pouring.cancel()
    return ws


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@pytest.mark.parametrize(("after_s", "named_by"), [(0.0, "ws:"), (3.0, "ws-hold:")])
def test_a_flooding_peer_is_named_and_memory_stays_bounded(pki: LoopbackPki, after_s: float, named_by: str) -> None:
    async def scenario() -> tuple[RunOutcome, float]:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), flooding(after_s))
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        began = time.perf_counter()
        try:
            return await run_ws(ws_profile(port, hold=8, heartbeat=1), dns.port), time.perf_counter() - began
        finally:
            await dns.stop()
            await runner.cleanup()

    before = _peak_rss_mb()
    outcome, elapsed = run(scenario())
    grown = _peak_rss_mb() - before
    named = next(r for r in outcome.records if r.id.startswith(named_by))
    assert (named.result.status, named.result.cause) == (Status.FAIL, "ws.flood"), named.result
    poured = named.result.evidence["flood"]
    assert poured["messages"] > FLOOD_MESSAGES or poured["bytes"] > FLOOD_BYTES, poured
    hold = next(r for r in outcome.records if r.id.startswith("ws-hold:"))
    assert hold.result.status is not Status.PASS
    assert elapsed < 8 + 5  # the hold's length and the deadlines bound it
    assert grown < 100, f"peak RSS grew by {grown:.0f} MB during a flood"
