"""A stopped loopback server leaves no connection open, even one whose TLS handshake or DNS query never ended.

asyncio (3.11) never hands a TLS connection stuck in its handshake to the server's code, so stopping the
server used to leave its socket for the garbage collector, which reported it as a ResourceWarning in some
later, unrelated test. A silent client here proves the server side is closed: it reads end-of-file.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable

import pytest

from sparkgui.core.demo.dns_server import DnsServer
from sparkgui.core.demo.listener import Listener
from sparkgui.probe.server import start_probe
from tests.servers.tls_servers import LoopbackPki, start_https, stay_silent
from tests.support import run

Started = tuple[int, Callable[[], Awaitable[None]]]


async def _tls_listener(pki: LoopbackPki) -> Started:
    listener = Listener(stay_silent, ssl_context=pki.server_context("app.test"))
    return await listener.start(), listener.stop


async def _probe(pki: LoopbackPki) -> Started:
    runner, port = await start_probe(ssl_context=pki.server_context("app.test"), shutdown_timeout=0.5)
    return port, runner.cleanup


async def _https(pki: LoopbackPki) -> Started:
    runner, port = await start_https(pki.server_context("app.test"))
    return port, runner.cleanup


async def _dns_tcp(pki: LoopbackPki) -> Started:
    server = await DnsServer({}).start()
    return server.port, server.stop


async def _server_side_closed(client: socket.socket, within: float) -> bool:
    """True when the silent client reads end-of-file (or a reset) within `within` seconds."""
    loop = asyncio.get_running_loop()
    try:
        data = await asyncio.wait_for(loop.sock_recv(client, 16), within)
    except TimeoutError:
        return False
    except ConnectionError:
        return True
    return data == b""


@pytest.mark.parametrize("start", [_tls_listener, _probe, _https, _dns_tcp], ids=lambda f: f.__name__.strip("_"))
def test_stopping_closes_a_connection_that_never_spoke(
    pki: LoopbackPki, start: Callable[[LoopbackPki], Awaitable[Started]]
) -> None:
    async def scenario() -> bool:
        port, stop = await start(pki)
        client = socket.create_connection(("127.0.0.1", port))
        client.setblocking(False)
        try:
            await asyncio.sleep(0.05)  # accepted: the handshake (or the query) now waits for the client
            await stop()
            return await _server_side_closed(client, within=2.0)
        finally:
            client.close()

    assert run(scenario()), "the server kept the silent client's connection open after it stopped"
