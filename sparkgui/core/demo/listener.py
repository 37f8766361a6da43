"""A loopback TCP listener that runs one handler per connection and can stop them all at once.

The relays and fault servers of the demo and the tests differ only in what they do with a connection;
this is the part they share: start, track each connection's task, and on stop cancel and await them so
nothing is left running or logged as a crash.
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Awaitable, Callable

from sparkgui.core.net.listening import RecordingSocket, bound_port, close_unfinished, listening_sockets

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


class Listener:
    """A loopback TCP server running `handler` for each connection, in a task that `stop` can cancel."""

    def __init__(
        self,
        handler: Handler,
        host: str = "127.0.0.1",
        port: int = 0,
        ssl_context: ssl.SSLContext | None = None,
        receive_buffer: int | None = None,
    ) -> None:
        self.handler, self.host, self.port, self.ssl_context = handler, host, port, ssl_context
        self.receive_buffer = receive_buffer  # inherited by each connection: what the kernel queues for it
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._sock: RecordingSocket | None = None

    async def start(self) -> int:
        """Listen; return the port (a free one when asked for port 0)."""
        self._sock, *others = listening_sockets(self.host, self.port)
        for extra in others:  # a name with several addresses: the Listener serves the first (its host is an IP)
            extra.close()
        if self.receive_buffer is not None:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, self.receive_buffer)
        try:
            self._server = await asyncio.start_server(self._accepted, sock=self._sock, ssl=self.ssl_context)
        except BaseException:
            self._sock.close()
            raise
        self.port = bound_port(self._sock)
        return self.port

    async def stop(self) -> None:
        """Stop listening, cancel every connection's handler, wait for them to end, and close every connection.

        A connection accepted just before the stop may have a handler that never started, or (with TLS) a
        handshake that never finished: both are closed here too, so no socket is left for the garbage
        collector to find.
        """
        if self._server is not None:
            self._server.close()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()
        if self._sock is not None:
            await close_unfinished(self._sock)  # before wait_closed, which (3.12+) waits for every connection
        if self._server is not None:
            await self._server.wait_closed()

    def _accepted(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """Called as the connection is accepted (a plain callback, so it always runs): track it, then serve it."""
        self._writers.add(writer)
        task = asyncio.ensure_future(self._serve(reader, writer))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self.handler(reader, writer)
        except (asyncio.CancelledError, ConnectionError, asyncio.IncompleteReadError):
            pass  # stopping, or the peer went away: asyncio would log a failed handler as an error
        finally:
            self._writers.discard(writer)
            writer.transport.abort()
