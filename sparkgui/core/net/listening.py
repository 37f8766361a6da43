"""Listening sockets that remember what they accepted, so a stopped TLS server leaves no connection open.

asyncio (3.11) hands a TLS connection to its server's code only once the handshake is done. A peer that
connects and then stays silent (a scanner, a proxy still tearing down its tunnel) leaves a socket that
neither `Server.close()` nor aiohttp's cleanup knows about: it stays open until the garbage collector finds
it. `close_unfinished` shuts such sockets down, which ends their handshake, and waits for asyncio to close
them.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import weakref

from aiohttp import web

UNFINISHED_CLOSE_S = 1.0  # how long stopping waits for a half-open connection to close after shutdown()
POLL_S = 0.01


class RecordingSocket(socket.socket):
    """A listening socket that keeps a weak reference to every connection it accepts."""

    def __init__(self, family: int, kind: int = socket.SOCK_STREAM) -> None:
        super().__init__(family, kind)
        self.accepted: weakref.WeakSet[socket.socket] = weakref.WeakSet()

    def accept(self) -> tuple[socket.socket, object]:
        """Accept as usual, and remember the connection."""
        conn, address = super().accept()
        self.accepted.add(conn)
        return conn, address


def listening_socket(host: str, port: int = 0, backlog: int = 128) -> RecordingSocket:
    """Bind and listen on `host:port` (0: a free port), as `loop.create_server` would."""
    sock = RecordingSocket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(backlog)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock


def bound_port(sock: socket.socket) -> int:
    """The port `sock` listens on (the free one the system picked for port 0)."""
    return int(sock.getsockname()[1])


async def close_unfinished(sock: RecordingSocket, within: float = UNFINISHED_CLOSE_S) -> None:
    """Shut down every accepted connection still open, then wait (at most `within`) until each is closed."""
    still_open = [conn for conn in list(sock.accepted) if conn.fileno() != -1]
    for conn in still_open:
        with contextlib.suppress(OSError):
            conn.shutdown(socket.SHUT_RDWR)
    for _ in range(max(1, round(within / POLL_S))):  # asyncio signals no event when it closes a socket
        if all(conn.fileno() == -1 for conn in still_open):
            return
        await asyncio.sleep(POLL_S)


class ClosingRunner(web.AppRunner):
    """An aiohttp runner whose cleanup also closes the connections a TLS handshake never handed over."""

    def __init__(self, app: web.Application, **kwargs: object) -> None:
        super().__init__(app, **kwargs)  # type: ignore[arg-type]
        self._sockets: list[RecordingSocket] = []

    async def serve(self, host: str, port: int = 0, ssl_context: ssl.SSLContext | None = None) -> int:
        """Listen on `host:port` (0: a free port) and return the port."""
        sock = listening_socket(host, port)
        try:
            await web.SockSite(self, sock, ssl_context=ssl_context).start()
        except BaseException:
            sock.close()
            raise
        self._sockets.append(sock)
        return bound_port(sock)

    async def cleanup(self) -> None:
        """Stop as aiohttp does, then close what its connection list never held."""
        await super().cleanup()
        for sock in self._sockets:
            await close_unfinished(sock)
