"""An SNI filter, as a venue firewall's "application control" does it: run on the router, it receives the
client's HTTPS connections (nftables redirects them here), reads the TLS ClientHello, and resets the
connection when the server name is blocked; other connections are relayed to their original destination.

nftables cannot match the SNI itself (it sits at a variable offset), hence this small userspace relay.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ipaddress
import signal
import socket
import struct
from collections.abc import Awaitable, Callable

SO_ORIGINAL_DST = 80  # linux/netfilter_ipv4.h; IP6T_SO_ORIGINAL_DST has the same value
HELLO_TIMEOUT = 5.0
CONNECT_TIMEOUT = 5.0

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def server_name(hello: bytes) -> str | None:
    """The SNI host name in a TLS record holding a ClientHello, or None when there is none."""
    try:
        if hello[0] != 0x16 or hello[5] != 0x01:  # handshake record, ClientHello
            return None
        pos = 5 + 4 + 2 + 32  # record header, handshake header, version, random
        pos += 1 + hello[pos]  # session id
        pos += 2 + struct.unpack_from("!H", hello, pos)[0]  # cipher suites
        pos += 1 + hello[pos]  # compression methods
        end = pos + 2 + struct.unpack_from("!H", hello, pos)[0]
        pos += 2
        while pos + 4 <= end:
            kind, length = struct.unpack_from("!HH", hello, pos)
            pos += 4
            if kind == 0:  # server_name: list length, then (type, length, name)
                name_length = struct.unpack_from("!H", hello, pos + 3)[0]
                return hello[pos + 5 : pos + 5 + name_length].decode("ascii").lower()
            pos += length
    except (IndexError, struct.error, UnicodeDecodeError):
        return None
    return None


def original_destination(sock: socket.socket) -> tuple[str, int]:
    """Where the client meant to go, before nftables redirected the connection here."""
    if sock.family == socket.AF_INET6:
        raw = sock.getsockopt(socket.IPPROTO_IPV6, SO_ORIGINAL_DST, 28)
        return str(ipaddress.IPv6Address(raw[8:24])), struct.unpack_from("!H", raw, 2)[0]
    raw = sock.getsockopt(socket.IPPROTO_IP, SO_ORIGINAL_DST, 16)
    return str(ipaddress.IPv4Address(raw[4:8])), struct.unpack_from("!H", raw, 2)[0]


async def read_hello(reader: asyncio.StreamReader) -> bytes:
    header = await reader.readexactly(5)
    return header + await reader.readexactly(struct.unpack_from("!H", header, 3)[0])


async def pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()


class SniFilter:
    def __init__(self, blocked: set[str]) -> None:
        self.blocked = blocked

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.get_extra_info("socket")
        try:
            destination = original_destination(sock)
            async with asyncio.timeout(HELLO_TIMEOUT):
                hello = await read_hello(reader)
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            writer.transport.abort()
            return
        name = server_name(hello)
        if name in self.blocked:
            print(f"reset {name} -> {destination[0]}", flush=True)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close = RST
            writer.transport.abort()
            return
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                up_reader, up_writer = await asyncio.open_connection(*destination)
        except (OSError, TimeoutError):
            writer.transport.abort()
            return
        up_writer.write(hello)
        try:
            await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))
        finally:
            writer.transport.abort()
            up_writer.transport.abort()


async def serve(port: int, blocked: set[str]) -> None:
    await serve_until_stopped(SniFilter(blocked).handle, port)


async def serve_until_stopped(handle: Handler, port: int) -> None:
    """Serve `handle` on every address of this namespace, say "ready", and stop on SIGTERM or SIGINT."""
    servers = [await asyncio.start_server(handle, host, port) for host in ("0.0.0.0", "::")]
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    for server in servers:
        server.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--block", action="append", default=[], help="server name to reset (repeatable)")
    args = parser.parse_args()
    asyncio.run(serve(args.port, {name.lower() for name in args.block}))


if __name__ == "__main__":
    main()
