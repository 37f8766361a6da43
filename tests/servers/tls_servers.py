"""Real TLS servers on loopback for the tests: an aiohttp HTTPS app with a certificate from a test CA,
a port that refuses, a server that resets the handshake, one that stays silent, and one that does not speak TLS.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import trustme
from aiohttp import web

from sparkgui.core.demo.listener import Listener
from sparkgui.core.net.listening import ClosingRunner

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class LoopbackPki:
    """A CA made for the test, and helpers to issue server certificates from it."""

    ca: trustme.CA = field(default_factory=lambda: trustme.CA(organization_name="sparkgui test CA"))

    def server_context(self, *names: str, **kwargs: object) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert(*names, **kwargs).configure_cert(context)  # type: ignore[arg-type]
        return context

    def write_ca(self, path: str) -> str:
        self.ca.cert_pem.write_to_path(path)
        return path


async def start_http(routes: dict[str, Handler], host: str = "127.0.0.1") -> tuple[web.AppRunner, int]:
    """A plain HTTP aiohttp server (a portal, a PAC file server…) with the given routes."""
    return await start_https(None, routes, host)


async def start_https(
    context: ssl.SSLContext | None, routes: dict[str, Handler] | None = None, host: str = "127.0.0.1"
) -> tuple[web.AppRunner, int]:
    """An aiohttp HTTPS server (plain HTTP without `context`); default route `/` answers 200 with a small page."""

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="<html><title>Platform</title>ok</html>", content_type="text/html")

    app = web.Application()
    for path, handler in (routes or {"/": ok}).items():
        app.router.add_route("*", path, handler)
    runner = ClosingRunner(app, access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    return runner, await runner.serve(host, 0, context)


def closed_port(host: str = "127.0.0.1") -> int:
    """A port on which nothing listens, so connecting is refused (RST)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class RawServer:
    """A TCP server whose per-connection behaviour is one coroutine: reset, stay silent, or talk nonsense."""

    behaviour: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
    host: str = "127.0.0.1"
    port: int = 0
    _listener: Listener | None = None

    async def start(self) -> RawServer:
        self._listener = Listener(self.behaviour, self.host, self.port)
        self.port = await self._listener.start()
        return self

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()


async def reset_after_client_hello(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Read the ClientHello, then send RST, as an SNI filter does."""
    await reader.read(1024)
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    writer.transport.abort()


async def stay_silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await asyncio.sleep(3600)


async def speak_plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(1024)
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()
