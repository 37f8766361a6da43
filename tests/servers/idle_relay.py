"""A TCP relay on loopback that kills connections left idle, as a firewall or NAT with a short idle timeout.

Any byte in either direction resets a connection's idle clock. After `idle_seconds` without one, the relay
either resets both sides (mode "rst": RST, as a firewall that sends resets) or keeps the sockets open and
silently discards everything from then on (mode "discard": a NAT that forgot the mapping), so only an
attempt to talk shows the connection is gone. It relays bytes untouched (TLS passes through).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import struct
from dataclasses import dataclass
from typing import Literal

from sparkgui.core.demo.listener import Listener

Mode = Literal["rst", "discard"]


@dataclass
class _Link:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter
    last_activity: float
    dead: bool = False


@dataclass
class IdleKillRelay:
    upstream_host: str
    upstream_port: int
    idle_seconds: float
    mode: Mode = "rst"
    host: str = "127.0.0.1"
    port: int = 0
    killed: int = 0  # connections killed so far
    _listener: Listener | None = None

    async def start(self) -> IdleKillRelay:
        self._listener = Listener(self._relay, self.host, self.port)
        self.port = await self._listener.start()
        return self

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        loop = asyncio.get_running_loop()
        try:
            up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        except OSError:
            return
        link = _Link(client_writer, up_writer, loop.time())
        try:
            await asyncio.gather(
                self._pump(client_reader, up_writer, link),
                self._pump(up_reader, client_writer, link),
                self._watch(link),
            )
        except OSError:
            pass  # the link was killed
        finally:
            up_writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: _Link) -> None:
        loop = asyncio.get_running_loop()
        while True:
            chunk = await reader.read(65536)
            if not chunk:
                raise ConnectionError("one side closed")  # ends the link (gather fails fast)
            if link.dead:
                continue  # mode "discard": the middlebox forgot this connection; data goes nowhere
            link.last_activity = loop.time()
            writer.write(chunk)
            await writer.drain()

    async def _watch(self, link: _Link) -> None:
        loop = asyncio.get_running_loop()
        while True:
            due = link.last_activity + self.idle_seconds
            if loop.time() >= due:
                break
            await asyncio.sleep(due - loop.time())
        self.killed += 1
        if self.mode == "rst":
            for writer in (link.client, link.upstream):
                sock = writer.get_extra_info("socket")
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                writer.transport.abort()  # linger 0: the close sends RST
            raise ConnectionError("killed idle connection")
        link.dead = True
        await asyncio.sleep(3600)  # keep the sockets open, saying nothing
