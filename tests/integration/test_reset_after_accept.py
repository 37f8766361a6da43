"""A peer that accepts and resets at once is a refusal or a cut, never "silently dropped" (tcp.timeout)."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct

from sparkgui.core.model import RunOutcome, Status
from sparkgui.core.net.connector import Outcome, classify_error
from tests.servers.dns_server import DnsServer
from tests.support import Ep, by_id, make_profile, run, run_checks


async def _resetting_server() -> tuple[socket.socket, asyncio.Task[None]]:
    """Accepts every connection and closes it with SO_LINGER 0, so the kernel answers RST."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    server.setblocking(False)
    loop = asyncio.get_running_loop()

    async def serve() -> None:
        while True:
            client, _ = await loop.sock_accept(server)
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()

    return server, asyncio.ensure_future(serve())


def test_a_reset_while_connecting_is_a_refusal() -> None:
    assert classify_error(ConnectionResetError(104, "Connection reset by peer")) is Outcome.REFUSED


def test_reset_straight_after_accept_is_never_a_blackhole() -> None:
    async def scenario() -> tuple[RunOutcome, int]:
        server, serving = await _resetting_server()
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            port = server.getsockname()[1]
            return await run_checks(make_profile([Ep("app.test", port)]), dns.port), port
        finally:
            serving.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await serving
            server.close()
            await dns.stop()

    outcome, port = run(scenario())
    records = by_id(outcome)
    causes = {records[f"tcp:app.test:{port}"].result.cause, records[f"tls:app.test:{port}"].result.cause}
    assert "tcp.timeout" not in causes and "tls.timeout" not in causes, causes
    failing = [r.result for r in outcome.records if r.result.status is Status.FAIL]
    assert failing and all(r.cause in ("tcp.refused", "tls.blocked") for r in failing), failing
