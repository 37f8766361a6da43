"""One DNS question to the resolvers, never abandoned while an answer could still arrive in time.

dnspython's resolver gives each server 2 s, then asks again on a new socket and drops a late answer: a
resolver answering in 2.2 s under a 3 s deadline looked dead, though glibc, dig and curl all got the answer.
Here every query keeps listening until the deadline. The next server is asked after a short stagger (as
glibc moves on), or at once when a server fails; the first usable answer wins, and an NXDOMAIN counts as one.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype

STAGGER_S = 1.0  # ask the next server after this long without an answer, still listening to the first


@dataclass(frozen=True)
class RaceAnswer:
    """The answer that won, who gave it and after how long."""

    response: dns.message.Message
    server: str
    elapsed_ms: int


class AllServersFailed(Exception):
    """Every server answered with an error (SERVFAIL, REFUSED) or could not be reached."""


async def ask(servers: list[tuple[str, int]], name: str, rdtype: str, deadline_s: float) -> RaceAnswer:
    """Ask `servers` for `name`/`rdtype` within `deadline_s`; raise TimeoutError or AllServersFailed."""
    question = dns.message.make_query(name, dns.rdatatype.from_text(rdtype))
    loop = asyncio.get_running_loop()
    started = loop.time()
    end = started + deadline_s
    failures: list[str] = []
    pending: set[asyncio.Task[RaceAnswer]] = set()
    waiting = list(servers)
    try:
        while waiting or pending:
            if waiting:
                address, port = waiting.pop(0)
                pending.add(asyncio.ensure_future(_one(question, address, port, end, started)))
            wait_s = end - loop.time()
            if wait_s <= 0:
                break
            done, pending = await asyncio.wait(
                pending, timeout=min(wait_s, STAGGER_S) if waiting else wait_s, return_when=asyncio.FIRST_COMPLETED
            )
            for task in done:
                error = task.exception()
                if error is None:
                    return task.result()
                failures.append(str(error) or type(error).__name__)
        if failures and not pending and not waiting:
            raise AllServersFailed("; ".join(failures))
        raise TimeoutError(f"no answer within {deadline_s:g} s")
    finally:
        for task in pending:
            task.cancel()
        for task in pending:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task


async def _one(question: dns.message.Message, address: str, port: int, end: float, started: float) -> RaceAnswer:
    """One server, listened to until the deadline (UDP, then TCP when the answer is truncated)."""
    loop = asyncio.get_running_loop()
    try:
        # A reply from elsewhere, with another id or question, or that does not parse is ignored, and the
        # real answer still awaited: what the resolver's own retries did, without dropping a late answer.
        response, _ = await dns.asyncquery.udp_with_fallback(
            question,
            address,
            timeout=max(0.01, end - loop.time()),
            port=port,
            ignore_unexpected=True,
            ignore_errors=True,
        )
    except dns.exception.Timeout:
        raise TimeoutError(f"{address}: no answer") from None
    except (OSError, dns.exception.DNSException) as exc:
        raise AllServersFailed(f"{address}: {exc}") from None
    rcode = response.rcode()
    if rcode not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
        raise AllServersFailed(f"{address} answered {dns.rcode.to_text(rcode)}")
    shown = address if port == 53 else f"{address}:{port}"
    return RaceAnswer(response, shown, round((loop.time() - started) * 1000))
