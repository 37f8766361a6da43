"""WebSocket connections to the platform, watched: when each one ends, how, and what came back.

Opened through `platform_session` (same route as the HTTPS checks). Each open connection gets one reader
task, the only caller of `receive()`: it queues echoed data with its arrival time, answers pings only when
asked to, and notes the moment and the close code when the connection ends. Waiting costs no CPU: the
reader sleeps in the event loop until a frame or an error arrives.
Imports aiohttp (~0.3 s): import this module inside a check's `run`, never at start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiohttp

CLOSE_GRACE_SECONDS = 1.0  # how long a clean close waits for the peer's close frame
MAX_HEADER_EVIDENCE = 30
_PRIVATE_HEADERS = {"set-cookie", "authorization", "proxy-authorization", "cookie"}


class HandshakeFault(StrEnum):
    """How a WebSocket upgrade failed."""

    REFUSED = "refused"  # answered, but not with a valid 101 Switching Protocols
    TIMEOUT = "timeout"  # no answer to the upgrade in time
    BROKEN = "broken"  # the connection failed or was cut during the upgrade
    NOT_HTTP = "not_http"  # answered with bytes that are not HTTP


class HandshakeError(Exception):
    """The upgrade did not give a WebSocket. `evidence` says what came back instead."""

    def __init__(self, fault: HandshakeFault, evidence: Mapping[str, Any]) -> None:
        super().__init__(fault.value)
        self.fault = fault
        self.evidence = dict(evidence)


class EchoError(Exception):
    """A message did not make the round trip; `reason` is a short code for the evidence."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def session_timeout(connect: float) -> aiohttp.ClientTimeout:
    """No total or read timeout on the session: a WebSocket lives on; each step gets its own deadline."""
    return aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=None)


def response_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The response headers as evidence, without cookies or credentials, bounded in size."""
    kept: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in _PRIVATE_HEADERS or len(kept) >= MAX_HEADER_EVIDENCE:
            continue
        kept[name] = value[:300]
    return kept


MAX_INBOX = 32  # messages kept for the echo that waits for its own; older unsolicited ones are dropped
FLOOD_MESSAGES = 500  # data messages a hold or an echo never asks for in such numbers
FLOOD_BYTES = 1024 * 1024


@dataclass
class WatchedSocket:
    """One open WebSocket and its reader task. Times are seconds since `origin` (a perf_counter value)."""

    ws: aiohttp.ClientWebSocketResponse
    origin: float
    answer_pings: bool
    handshake_ms: float = 0.0
    ended_at: float | None = None  # when the reader saw the connection end
    close_code: int | None = None  # from the peer's close frame, 1006 when cut without one
    close_reason: str = ""
    end_kind: str = ""  # close_frame | connection_lost | error
    pings_received: int = 0
    pongs_received: int = 0
    last_heard: float = 0.0  # last time anything arrived (data, ping, pong)
    data_messages: int = 0  # text and binary messages received, echoes included
    data_bytes: int = 0
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    _inbox: asyncio.Queue[tuple[float, str | bytes | None]] = field(default_factory=asyncio.Queue)
    _pong: asyncio.Event = field(default_factory=asyncio.Event)
    _reader: asyncio.Task[None] | None = None

    def start(self) -> WatchedSocket:
        """Start the reader task and return self, so opening and starting is one expression."""
        self._reader = asyncio.ensure_future(self._read())
        return self

    def now(self) -> float:
        """Return the seconds elapsed since `origin`."""
        return time.perf_counter() - self.origin

    @property
    def flooded(self) -> bool:
        """Whether the peer sent far more data than anything asked for."""
        return self.data_messages > FLOOD_MESSAGES or self.data_bytes > FLOOD_BYTES

    @property
    def alive(self) -> bool:
        """True until the connection is seen or declared dead."""
        return self.ended_at is None

    async def _read(self) -> None:
        ws = self.ws
        while True:
            try:
                message = await ws.receive()
            except (ConnectionError, aiohttp.ClientError, RuntimeError) as exc:  # defensive: end, never crash
                self.end_kind, self.close_reason = "error", f"{type(exc).__name__}: {exc}"[:200]
                self.ended_at = self.now()
                self.close_code = None if self.ws.close_code is None else int(self.ws.close_code)
                self._ended()
                return
            kind = message.type
            if kind in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY):
                self.last_heard = self.now()
                self.data_messages += 1
                self.data_bytes += len(message.data)
                if self.flooded:  # bounded memory: stop reading, and say why the connection ended
                    self.mark_dead("flood")
                    return
                while self._inbox.qsize() >= MAX_INBOX:
                    self._inbox.get_nowait()  # the oldest unsolicited message: nobody asked for it
                self._inbox.put_nowait((time.perf_counter(), message.data))
            elif kind is aiohttp.WSMsgType.PING:
                self.last_heard = self.now()
                self.pings_received += 1
                if self.answer_pings:
                    with contextlib.suppress(ConnectionError, aiohttp.ClientError, RuntimeError):
                        await ws.pong(message.data)
            elif kind is aiohttp.WSMsgType.PONG:
                self.last_heard = self.now()
                self.pongs_received += 1
                self._pong.set()
            else:  # CLOSE, CLOSING, CLOSED, ERROR: the connection is over
                self._note_end(message)
                return

    def _note_end(self, message: aiohttp.WSMessage) -> None:
        self.ended_at = self.now()
        self.close_code = None if self.ws.close_code is None else int(self.ws.close_code)
        if message.type is aiohttp.WSMsgType.CLOSE:
            self.end_kind = "close_frame"
            self.close_code = int(message.data)
            self.close_reason = str(message.extra or "")[:200]
        elif message.type is aiohttp.WSMsgType.ERROR:
            self.end_kind = "error"
            self.close_reason = f"{type(message.data).__name__}: {message.data}"[:200]
        else:
            self.end_kind = "connection_lost"
        self._ended()

    def _ended(self) -> None:
        self.ended.set()
        self._inbox.put_nowait((time.perf_counter(), None))

    def mark_dead(self, kind: str, at: float | None = None) -> None:
        """Declare the connection dead from the outside (a ping or an echo got no answer), found `at`."""
        if self.ended_at is None:
            self.ended_at = self.now() if at is None else at
            self.end_kind = kind
            self._ended()

    async def echo(self, payload: str | bytes, deadline: float) -> float:
        """Send `payload` and wait for the same message back; returns the round trip in milliseconds."""
        if not self.alive:
            raise EchoError("closed", self.end_kind)
        sent = time.perf_counter()
        try:
            if isinstance(payload, str):
                await self.ws.send_str(payload)
            else:
                await self.ws.send_bytes(payload)
        except (ConnectionError, aiohttp.ClientError, RuntimeError) as exc:
            raise EchoError("send_failed", f"{type(exc).__name__}: {exc}"[:200]) from None
        try:
            async with asyncio.timeout(deadline):
                while True:
                    arrived, data = await self._inbox.get()
                    if data is None:  # the end marker: keep it for the next caller
                        self._inbox.put_nowait((arrived, None))
                        raise EchoError("closed", self.end_kind)
                    if data == payload:
                        return round((arrived - sent) * 1000, 3)
                    # something else arrived first; keep waiting for our message
        except TimeoutError:
            raise EchoError("timeout", f"no echo within {deadline:g} s") from None

    async def ping(self, deadline: float) -> bool:
        """Send a ping and wait for its pong; False when none came back in time."""
        self._pong.clear()
        try:
            await self.ws.ping(secrets.token_bytes(4))
            async with asyncio.timeout(deadline):
                await self._pong.wait()
        except (TimeoutError, ConnectionError, aiohttp.ClientError, RuntimeError):
            return False
        return True

    async def close(self) -> None:
        """Stop the reader, and close cleanly if the connection is still up, within a short grace."""
        if self._reader is not None and not self._reader.done():
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if not self.ws.closed:
            with contextlib.suppress(TimeoutError, ConnectionError, aiohttp.ClientError, RuntimeError):
                async with asyncio.timeout(CLOSE_GRACE_SECONDS):
                    await self.ws.close()


async def open_websocket(
    session: aiohttp.ClientSession, url: str, deadline: float, *, answer_pings: bool, origin: float | None = None
) -> WatchedSocket:
    """Upgrade to a WebSocket within `deadline` seconds, or raise HandshakeError saying what came back."""
    began = time.perf_counter()
    try:
        async with asyncio.timeout(deadline):
            ws = await session.ws_connect(
                url,
                autoping=False,
                heartbeat=None,
                autoclose=True,
                timeout=aiohttp.ClientWSTimeout(ws_receive=None, ws_close=CLOSE_GRACE_SECONDS),
                max_msg_size=1024 * 1024,
            )
    except aiohttp.WSServerHandshakeError as exc:
        headers: Mapping[str, str] = exc.headers or {}
        raise HandshakeError(
            HandshakeFault.REFUSED,
            {
                "status": exc.status,
                "problem": exc.message,
                "server": headers.get("Server", ""),
                "via": headers.get("Via", ""),
                "headers": response_headers(headers),
                "elapsed_ms": _ms(began),
            },
        ) from None
    except TimeoutError:
        raise HandshakeError(HandshakeFault.TIMEOUT, {"elapsed_ms": _ms(began), "deadline_s": deadline}) from None
    except aiohttp.ClientResponseError as exc:  # the parser's: no status was ever read
        raise HandshakeError(
            HandshakeFault.NOT_HTTP, {"elapsed_ms": _ms(began), "error": f"{type(exc).__name__}: {exc}"[:300]}
        ) from None
    except (aiohttp.ClientError, OSError) as exc:
        raise HandshakeError(
            HandshakeFault.BROKEN, {"elapsed_ms": _ms(began), "error": f"{type(exc).__name__}: {exc}"[:300]}
        ) from None
    problem = _unasked_for(getattr(getattr(ws, "_response", None), "headers", None) or {})
    if problem:  # aiohttp lets these through; a browser fails the connection (RFC 6455, 4.1)
        await ws.close()
        raise HandshakeError(
            HandshakeFault.REFUSED, {"status": 101, "problem": problem, "elapsed_ms": _ms(began)}
        ) from None
    watched = WatchedSocket(ws, origin if origin is not None else time.perf_counter(), answer_pings)
    watched.handshake_ms = _ms(began)
    return watched.start()


def _unasked_for(headers: Mapping[str, str]) -> str:
    """What the 101 answer chose that was never asked for, or "" when nothing.

    sparkgui asks for no subprotocol and for one extension, permessage-deflate (as browsers do).
    """
    protocol = headers.get("Sec-WebSocket-Protocol", "").strip()
    if protocol:
        return f"a subprotocol that was not asked for: {protocol[:80]}"
    offered = headers.get("Sec-WebSocket-Extensions", "")
    names = {part.split(";", 1)[0].strip().lower() for part in offered.split(",") if part.strip()}
    unknown = sorted(names - {"permessage-deflate"})
    if unknown:
        return f"an extension that was not asked for: {', '.join(unknown)[:80]}"
    return ""


def _ms(began: float) -> float:
    return round((time.perf_counter() - began) * 1000, 1)
