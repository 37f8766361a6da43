"""WebSocket endpoints that misbehave in one precise way, served over TLS on loopback by `start_https`.

Each function returns an aiohttp handler for `/ws`: closing with a given code after N seconds, accepting but
never echoing, or never answering the upgrade at all.
"""

from __future__ import annotations

import asyncio
import ssl

from aiohttp import web

from tests.servers.tls_servers import Handler, start_https


async def no_content(request: web.Request) -> web.Response:
    return web.Response(status=204)


async def start_ws_server(context: ssl.SSLContext, ws_handler: Handler) -> tuple[web.AppRunner, int]:
    """HTTPS on loopback with `/healthz` (204) and the given `/ws` handler."""
    return await start_https(context, {"/healthz": no_content, "/ws": ws_handler})


def close_after(seconds: float, code: int) -> Handler:
    """Echo like the platform, but close every connection with `code` once it is `seconds` old."""

    async def handler(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)

        async def echo() -> None:
            async for message in ws:
                if message.type is web.WSMsgType.TEXT:
                    await ws.send_str(message.data)
                elif message.type is web.WSMsgType.BINARY:
                    await ws.send_bytes(message.data)

        try:
            await asyncio.wait_for(echo(), seconds)
        except TimeoutError:
            await ws.close(code=code, message=b"closed by test server")
        return ws

    return handler


async def swallow_messages(request: web.Request) -> web.StreamResponse:
    """Accept the upgrade, then read and drop every message: nothing comes back."""
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    async for _ in ws:
        pass
    return ws


async def never_upgrade(request: web.Request) -> web.StreamResponse:
    """Read the upgrade request and never answer it."""
    await asyncio.sleep(3600)
    return web.Response(status=500)
