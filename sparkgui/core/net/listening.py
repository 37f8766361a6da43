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


def listening_sockets(host: str | None, port: int = 0, backlog: int = 128) -> list[RecordingSocket]:
    """Bind and listen on every address of `host` ("" or None: every interface, IPv4 and IPv6).

    As `loop.create_server` does, an IPv6 socket is IPv6-only, so each family has its own socket; but `::`
    means every address of both families, as in most servers' settings, so its one socket takes IPv4 too.
    """
    infos = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    dual_stack = host == "::"  # as most servers read it: every address, IPv4 (mapped) and IPv6
    sockets: list[RecordingSocket] = []
    try:
        for family, _, _, _, address in dict.fromkeys((i[0], i[1], i[2], i[3], i[4]) for i in infos):
            sock = RecordingSocket(family)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0 if dual_stack else 1)
            sock.bind(address)
            sock.listen(backlog)
            sock.setblocking(False)
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets


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

    async def serve(
        self, host: str | None, port: int = 0, ssl_context: ssl.SSLContext | None = None, backlog: int = 128
    ) -> int:
        """Listen on `host:port` (0: a free port; "" : every interface) and return the (first) port."""
        sockets = listening_sockets(host, port, backlog)
        try:
            for sock in sockets:
                await web.SockSite(self, sock, ssl_context=ssl_context, backlog=backlog).start()
        except BaseException:
            for sock in sockets:
                sock.close()
            raise
        self._sockets += sockets
        return bound_port(sockets[0])

    async def cleanup(self) -> None:
        """Stop as aiohttp does, then close what its connection list never held."""
        await super().cleanup()
        for sock in self._sockets:
            await close_unfinished(sock)
