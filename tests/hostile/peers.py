"""Hostile peers, each a few lines: what a broken or malicious server does with a connection once accepted.

Every loop is bounded, so a peer cannot outlive its test even if the client never goes away.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import socket
from collections.abc import Awaitable, Callable

Behaviour = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]
TRICKLE_STEPS = 200  # one byte per step: 200 steps outlast every deadline in the hostile profiles


async def read_head(reader: asyncio.StreamReader) -> bytes:
    """Read what the client sends first (a ClientHello, or a request head), at most 64 KB."""
    try:
        return await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 5)
    except (asyncio.LimitOverrunError, asyncio.IncompleteReadError, TimeoutError):
        return b""
    except ValueError:
        return b""


async def read_some(reader: asyncio.StreamReader) -> bytes:
    """Read the first bytes the client sends (a ClientHello), whatever they are."""
    return await reader.read(65536)


def reset(writer: asyncio.StreamWriter) -> None:
    """Close with RST rather than FIN (linger 0), as a filtering middlebox does."""
    sock = writer.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    writer.transport.abort()


def silent_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]]) -> Behaviour:
    """Read what the client says first, then never answer."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        await asyncio.sleep(600)

    return behaviour


def trickle_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]], data: bytes, every: float) -> Behaviour:
    """Read what the client says first, then answer one byte at a time, slowly: never done before the deadline."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        stream = (data * (TRICKLE_STEPS // max(len(data), 1) + 1))[:TRICKLE_STEPS]
        for byte in stream:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(every)

    return behaviour


def reset_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]], answer: bytes = b"") -> Behaviour:
    """Read what the client says first, maybe start an answer, then reset the connection."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        if answer:
            writer.write(answer)
            await writer.drain()
            await asyncio.sleep(0.05)
        reset(writer)

    return behaviour


def close_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]], answer: bytes = b"") -> Behaviour:
    """Read what the client says first, maybe answer, then close cleanly (FIN)."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        if answer:
            writer.write(answer)
            await writer.drain()
        writer.close()

    return behaviour


def answer_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]], answer: bytes) -> Behaviour:
    """Read what the client says first, answer with these bytes, then keep the connection open and quiet."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        writer.write(answer)
        await writer.drain()
        await asyncio.sleep(600)

    return behaviour


def pour_after(first: Callable[[asyncio.StreamReader], Awaitable[bytes]], head: bytes, chunks: int) -> Behaviour:
    """Read what the client says first, send `head`, then a bounded stream of 16 KB chunks as fast as it goes."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await first(reader)
        writer.write(head)
        chunk = b"x" * 16384
        for _ in range(chunks):
            if writer.is_closing() or reader.at_eof():
                return  # the client gave up: writing on would only fill asyncio's log
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(0)  # drain may not yield: let the loop deliver a lost connection

    return behaviour


def by_path(answers: dict[str, bytes | None], *, requests: int = 8) -> Behaviour:
    """Answer each request on the connection by its path (None: never answer), at most `requests` of them.

    For peers that are fine on one route and hostile on another: a probe whose `/whoami` misbehaves.
    """

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(requests):
            head = await read_head(reader)
            if not head:
                return
            path = head.split(b" ", 2)[1].decode("latin-1") if head.count(b" ") >= 2 else ""
            answer = answers.get(path, b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            if answer is None:
                await asyncio.sleep(600)
                return
            writer.write(answer)
            await writer.drain()

    return behaviour


def garbage(size: int, seed: int = 15) -> bytes:
    """Random bytes, the same on every run."""
    return random.Random(seed).randbytes(size)


def websocket_accept(head: bytes) -> bytes:
    """The Sec-WebSocket-Accept value that answers the key in this upgrade request."""
    lines = head.split(b"\r\n")
    key = next((ln.split(b":", 1)[1].strip() for ln in lines if ln.lower().startswith(b"sec-websocket-key:")), b"")
    return base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest())


def switching_protocols(head: bytes, accept: bytes | None = None) -> bytes:
    """A 101 answer to this upgrade request (with another accept value when given: a lie)."""
    value = websocket_accept(head) if accept is None else accept
    return b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" + (
        b"Sec-WebSocket-Accept: " + value + b"\r\n\r\n"
    )


def frame(opcode: int, payload: bytes, *, announced: int | None = None) -> bytes:
    """One unmasked server frame; `announced` lies about the payload's length."""
    length = len(payload) if announced is None else announced
    if length < 126:
        header = bytes([0x80 | opcode, length])
    elif length < 1 << 16:
        header = bytes([0x80 | opcode, 126]) + length.to_bytes(2, "big")
    else:
        header = bytes([0x80 | opcode, 127]) + length.to_bytes(8, "big")
    return header + payload


UpgradeBehaviour = Callable[[bytes, asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def web_then_upgrade(on_upgrade: UpgradeBehaviour) -> Behaviour:
    """Answer plain web requests like the platform (204), and hand WebSocket upgrades to `on_upgrade`."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await read_head(reader)
        if b"upgrade: websocket" not in head.lower():
            writer.write(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
            await writer.drain()
            writer.close()
            return
        await on_upgrade(head, reader, writer)

    return behaviour


def upgrade_answer(answer: Callable[[bytes], bytes], *, then: str = "silence") -> UpgradeBehaviour:
    """Answer the upgrade with `answer(head)`, then stay silent, reset, or close."""

    async def behaviour(head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(answer(head))
        await writer.drain()
        if then == "reset":
            await asyncio.sleep(0.05)
            reset(writer)
        elif then == "close":
            writer.close()
        else:
            await asyncio.sleep(600)

    return behaviour


def upgrade_trickle(every: float) -> UpgradeBehaviour:
    """Answer the upgrade with a valid 101, one byte at a time, slowly."""

    async def behaviour(head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for byte in switching_protocols(head)[:TRICKLE_STEPS]:
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(every)

    return behaviour
