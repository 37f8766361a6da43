"""A TLS-terminating HTTP relay on loopback that mangles WebSocket upgrades, as a proxy or an inspection box.

It presents a certificate from the test CA (as an inspecting proxy whose CA the machine trusts), reads each
request head and, by mode: "strip" removes `Upgrade` (and the `upgrade` token of `Connection`) from the
request before forwarding it; "refuse" answers 403 itself, signed like a Squid proxy; "strip_response"
forwards the request intact but removes `Upgrade` from the server's 101 answer. Then it pipes the bytes.
"""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import dataclass
from typing import Literal

from sparkgui.core.demo.listener import Listener

Mode = Literal["strip", "refuse", "strip_response"]

_REFUSAL_BODY = b"<html><title>Access denied</title><body>WebSocket not allowed by policy</body></html>"
REFUSAL = (
    b"HTTP/1.1 403 Forbidden\r\n"
    b"Server: squid/6.1\r\n"
    b"Via: 1.1 proxy.venue.test (squid/6.1)\r\n"
    b"X-Squid-Error: ERR_ACCESS_DENIED 0\r\n"
    b"Content-Type: text/html\r\n"
    b"Content-Length: " + str(len(_REFUSAL_BODY)).encode() + b"\r\n"
    b"Connection: close\r\n\r\n" + _REFUSAL_BODY
)


def without_upgrade(head: bytes) -> bytes:
    """The head with no `Upgrade` header and no `upgrade` token in `Connection`."""
    lines = head.split(b"\r\n")
    kept = []
    for line in lines:
        name, _, value = line.partition(b":")
        key = name.strip().lower()
        if key == b"upgrade":
            continue
        if key == b"connection":
            tokens = [t.strip() for t in value.split(b",") if t.strip().lower() != b"upgrade"]
            line = b"Connection: " + (b", ".join(tokens) or b"keep-alive")
        kept.append(line)
    return b"\r\n".join(kept)


@dataclass
class UpgradeFilter:
    upstream_host: str
    upstream_port: int
    context: ssl.SSLContext
    mode: Mode = "strip"
    host: str = "127.0.0.1"
    port: int = 0
    seen_upgrades: int = 0
    _listener: Listener | None = None

    async def start(self) -> UpgradeFilter:
        self._listener = Listener(self._filter, self.host, self.port, self.context)
        self.port = await self._listener.start()
        return self

    async def stop(self) -> None:
        if self._listener is not None:
            await self._listener.stop()

    async def _filter(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_writer: asyncio.StreamWriter | None = None
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            is_upgrade = b"upgrade: websocket" in head.lower()
            self.seen_upgrades += is_upgrade
            if is_upgrade and self.mode == "refuse":
                writer.write(REFUSAL)
                await writer.drain()
                return
            if is_upgrade and self.mode == "strip":
                head = without_upgrade(head[:-4]) + b"\r\n\r\n"
            up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
            up_writer.write(head)
            await up_writer.drain()
            if is_upgrade and self.mode == "strip_response":
                answer = await up_reader.readuntil(b"\r\n\r\n")
                writer.write(without_upgrade(answer[:-4]) + b"\r\n\r\n")
                await writer.drain()
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except (OSError, ssl.SSLError):
            pass
        finally:
            if up_writer is not None:
                up_writer.transport.abort()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    while chunk := await reader.read(65536):
        writer.write(chunk)
        await writer.drain()
    raise ConnectionError("one side closed")
