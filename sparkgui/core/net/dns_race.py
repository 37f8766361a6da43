"""One DNS question to the resolvers, never abandoned while an answer could still arrive in time.

dnspython's resolver gives each server 2 s, then asks again on a new socket and drops a late answer: a
resolver answering in 2.2 s under a 3 s deadline looked dead, though glibc, dig and curl all got the answer.

Here each server is asked on one socket that stays open until the deadline. The question is sent again
every second (a lost packet costs a second, not the run), each time with a new id, so the answer says which
sending it answers: its latency is the resolver's own, not the loss's. The next server is asked after a
short stagger (as glibc moves on), or at once when one fails; the first usable answer wins (an NXDOMAIN
counts). A reply that does not parse, or answers another id or question, is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

STAGGER_S = 1.0  # ask the next server after this long without an answer, still listening to the first
RESEND_S = 1.0  # send the question again (new id) after this long: what a lost packet costs
MAX_SENDS = 10  # a bound on the resendings of one question, whatever the deadline


@dataclass(frozen=True)
class RaceAnswer:
    """The answer that won, who gave it, after how long, and how long that server took for it."""

    response: dns.message.Message
    server: str
    elapsed_ms: int  # since the question was first asked
    latency_ms: int  # since the sending this answer replies to: the resolver's own speed


class AllServersFailed(Exception):
    """Every server answered with an error (SERVFAIL, REFUSED) or could not be reached."""


async def ask(servers: list[tuple[str, int]], name: str, rdtype: str, deadline_s: float) -> RaceAnswer:
    """Ask `servers` for `name`/`rdtype` within `deadline_s`; raise TimeoutError or AllServersFailed."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    end = started + deadline_s
    failures: list[Exception] = []
    pending: set[asyncio.Task[RaceAnswer]] = set()
    waiting = list(servers)
    # Every server gets its turn within the deadline: a 1 s deadline must not end before the second is asked.
    stagger = min(STAGGER_S, deadline_s / (len(servers) + 1))
    try:
        while waiting or pending:
            if waiting:
                address, port = waiting.pop(0)
                pending.add(asyncio.ensure_future(_ask_one(name, rdtype, address, port, started, end)))
            wait_s = end - loop.time()
            if wait_s <= 0:
                break
            done, pending = await asyncio.wait(
                pending, timeout=min(wait_s, stagger) if waiting else wait_s, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                error = task.exception()
                if error is None:
                    return task.result()
                failures.append(error if isinstance(error, Exception) else RuntimeError(str(error)))
        if failures and not pending and not waiting and not all(isinstance(f, TimeoutError) for f in failures):
            raise AllServersFailed("; ".join(str(f) or type(f).__name__ for f in failures))
        raise TimeoutError(f"no answer within {deadline_s:g} s")
    finally:
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


class _Replies(asyncio.DatagramProtocol):
    """What comes back on the server's socket: datagrams, or the error the system reports (port closed)."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[bytes, float] | OSError] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str | int, ...]) -> None:
        self.queue.put_nowait((data, asyncio.get_running_loop().time()))

    def error_received(self, exc: Exception) -> None:
        self.queue.put_nowait(exc if isinstance(exc, OSError) else OSError(str(exc)))


async def _ask_one(name: str, rdtype: str, address: str, port: int, started: float, end: float) -> RaceAnswer:
    """One server, on one socket, until the deadline; TCP when the answer is truncated."""
    loop = asyncio.get_running_loop()
    shown = address if port == 53 else f"{address}:{port}"
    try:
        transport, replies = await loop.create_datagram_endpoint(_Replies, remote_addr=(address, port))
    except OSError as exc:
        raise AllServersFailed(f"{shown}: {exc}") from None
    sent: dict[int, tuple[dns.message.QueryMessage, float]] = {}
    try:
        next_send = loop.time()
        while loop.time() < end:
            if loop.time() >= next_send and len(sent) < MAX_SENDS:
                query = dns.message.make_query(name, dns.rdatatype.from_text(rdtype))
                query.id = _fresh_id(sent)
                transport.sendto(query.to_wire())
                sent[query.id] = (query, loop.time())
                next_send = loop.time() + RESEND_S
            wait_s = max(0.0, min(end, next_send) - loop.time())
            try:
                item = await asyncio.wait_for(replies.queue.get(), wait_s)
            except TimeoutError:
                continue
            if isinstance(item, OSError):
                raise AllServersFailed(f"{shown}: {item}")
            matched = _match(item[0], sent)
            if matched is None:
                continue  # spoofed, stale or garbage: keep waiting for the real answer
            response, sent_at = matched
            if response.flags & dns.flags.TC:
                response = await _over_tcp(sent[response.id][0], address, port, end, shown)
            rcode = response.rcode()
            if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                raise AllServersFailed(f"{shown} answered {dns.rcode.to_text(rcode)}")
            received = item[1]
            return RaceAnswer(response, shown, _ms(received - started), _ms(received - sent_at))
        raise TimeoutError(f"{shown}: no answer")
    finally:
        transport.close()


def _match(
    wire: bytes, sent: dict[int, tuple[dns.message.QueryMessage, float]]
) -> tuple[dns.message.Message, float] | None:
    """The reply and when its question was sent, or None when it answers nothing that was asked."""
    try:
        response = dns.message.from_wire(wire, ignore_trailing=True)
    except dns.exception.DNSException:
        return None
    asked = sent.get(response.id)
    if asked is None or not asked[0].is_response(response):
        return None
    return response, asked[1]


async def _over_tcp(
    query: dns.message.QueryMessage, address: str, port: int, end: float, shown: str
) -> dns.message.Message:
    """The same question over TCP, for an answer too large for UDP."""
    loop = asyncio.get_running_loop()
    try:
        return await dns.asyncquery.tcp(query, address, timeout=max(0.01, end - loop.time()), port=port)
    except dns.exception.Timeout:
        raise TimeoutError(f"{shown}: no answer over TCP") from None
    except (OSError, dns.exception.DNSException) as exc:
        raise AllServersFailed(f"{shown} over TCP: {exc}") from None


def _fresh_id(sent: Mapping[int, object]) -> int:
    while True:
        candidate = secrets.randbelow(65536)  # unpredictable, as an answer must not be guessable
        if candidate not in sent:
            return candidate


def _ms(seconds: float) -> int:
    return round(seconds * 1000)
