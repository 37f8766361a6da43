"""TCP connect with Happy Eyeballs (RFC 8305): families raced, the first one given a 250 ms head start.

Every attempt is recorded, so a broken IPv6 path can be reported while IPv4 carries the connection, and a
failure can be told apart: refused (RST), timeout (silently dropped) or unreachable (no route).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

HAPPY_EYEBALLS_DELAY = 0.25

_UNREACHABLE_ERRNOS = {
    errno.ENETUNREACH,
    errno.EHOSTUNREACH,
    errno.ENETDOWN,
    errno.EHOSTDOWN,
    errno.EADDRNOTAVAIL,
    errno.EAFNOSUPPORT,
    10051,  # WSAENETUNREACH
    10065,  # WSAEHOSTUNREACH
    10049,  # WSAEADDRNOTAVAIL
}


class Outcome(StrEnum):
    """How one connection attempt ended, as the TCP check reports it."""

    CONNECTED = "connected"
    REFUSED = "refused"
    TIMEOUT = "timeout"
    UNREACHABLE = "unreachable"
    ERROR = "error"
    ABANDONED = "abandoned"  # another attempt won first


@dataclass(frozen=True)
class Attempt:
    """One connection attempt to one address; `started_ms` counts from the start of the race."""

    address: str
    family: int  # 4 or 6
    outcome: Outcome
    started_ms: int
    elapsed_ms: int
    detail: str = ""

    def as_evidence(self) -> dict[str, object]:
        """Return the attempt as report evidence, with the detail only when there is one."""
        return {
            "address": self.address,
            "family": f"IPv{self.family}",
            "outcome": str(self.outcome),
            "started_ms": self.started_ms,
            "elapsed_ms": self.elapsed_ms,
            **({"detail": self.detail} if self.detail else {}),
        }


@dataclass
class Connection:
    """The result of a race: the winning socket (owned by the caller) and every attempt made."""

    sock: socket.socket | None
    attempts: list[Attempt]
    elapsed_ms: int

    @property
    def winner(self) -> Attempt | None:
        """The attempt that connected, or None when none did."""
        return next((a for a in self.attempts if a.outcome is Outcome.CONNECTED), None)

    def close(self) -> None:
        """Close the winning socket, if any; safe to call twice."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def family_of(address: str) -> int:
    """Return 4 or 6, the IP version of `address`."""
    return ipaddress.ip_address(address).version


def interleave(addresses: Sequence[str]) -> list[str]:
    """RFC 8305 §4: alternate families, starting with the family of the first address given."""
    if not addresses:
        return []
    first = family_of(addresses[0])
    same = [a for a in addresses if family_of(a) == first]
    other = [a for a in addresses if family_of(a) != first]
    ordered: list[str] = []
    for index in range(max(len(same), len(other))):
        ordered.extend(group[index] for group in (same, other) if index < len(group))
    return ordered


async def happy_eyeballs(
    addresses: Sequence[str],
    port: int,
    timeout: float,
    delay: float = HAPPY_EYEBALLS_DELAY,
    mss: int | None = None,
) -> Connection:
    """Race connections to `addresses`; return within `timeout` seconds, connected or not.

    An attempt starts every `delay` seconds, or as soon as the previous one fails. The first to connect
    wins and the others are abandoned and closed. `mss` caps the segment size the server may send (the
    path-MTU black-hole test).
    """
    loop = asyncio.get_running_loop()
    began = time.perf_counter()
    queue = interleave(addresses)
    attempts: list[Attempt] = []
    running: dict[asyncio.Task[socket.socket], tuple[str, float]] = {}
    winner: socket.socket | None = None
    deadline = loop.time() + timeout

    def start_next() -> None:
        address = queue.pop(0)
        task = asyncio.ensure_future(_connect_one(address, port, mss))
        running[task] = (address, time.perf_counter())

    try:
        if queue:
            start_next()
        while running and winner is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            wait = min(remaining, max(0.0, delay - _since_newest(running))) if queue else remaining
            done, _ = await asyncio.wait(running, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                address, started = running.pop(task)
                outcome, detail, sock = _settle(task)
                attempts.append(_attempt(address, outcome, started, began, detail))
                if sock is not None:
                    if winner is None:
                        winner = sock
                    else:
                        sock.close()
            if winner is None and queue and (done or _since_newest(running) >= delay - 0.001):
                start_next()
    finally:
        for task in running:
            task.cancel()
        for task, (address, started) in running.items():
            try:
                sock = await task
            except (asyncio.CancelledError, OSError):
                sock = None
            if sock is not None:
                sock.close()
            outcome = Outcome.ABANDONED if winner is not None else Outcome.TIMEOUT
            detail = "" if winner is not None else f"no answer within {timeout:g} s"
            attempts.append(_attempt(address, outcome, started, began, detail))
        for address in queue if winner is None else ():
            attempts.append(Attempt(address, family_of(address), Outcome.TIMEOUT, _ms(began), 0, "not tried"))
    return Connection(winner, sorted(attempts, key=lambda a: a.started_ms), _ms(began))


def _since_newest(running: dict[asyncio.Task[socket.socket], tuple[str, float]]) -> float:
    """Seconds since the latest attempt started (infinite when none is running)."""
    if not running:
        return float("inf")
    return time.perf_counter() - max(started for _, started in running.values())


async def _connect_one(address: str, port: int, mss: int | None = None) -> socket.socket:
    loop = asyncio.get_running_loop()
    family = socket.AF_INET6 if family_of(address) == 6 else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setblocking(False)
        if mss is not None and hasattr(socket, "TCP_MAXSEG"):  # advertised in the SYN: the server sends no more
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, mss)
        await loop.sock_connect(sock, (address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _settle(task: asyncio.Task[socket.socket]) -> tuple[Outcome, str, socket.socket | None]:
    exc = task.exception()
    if exc is None:
        return Outcome.CONNECTED, "", task.result()
    return classify_error(exc), f"{type(exc).__name__}: {exc}"[:200], None


def classify_error(exc: BaseException) -> Outcome:
    """Map a connect error to its outcome: refused, timeout, unreachable, or any other error.

    A reset while connecting (ECONNRESET: the peer or a middlebox took the SYN and answered RST) is an active
    refusal, never a silent drop.
    """
    if isinstance(exc, ConnectionRefusedError | ConnectionResetError):
        return Outcome.REFUSED
    if isinstance(exc, TimeoutError):
        return Outcome.TIMEOUT
    if isinstance(exc, OSError) and exc.errno in _UNREACHABLE_ERRNOS:
        return Outcome.UNREACHABLE
    return Outcome.ERROR


def _attempt(address: str, outcome: Outcome, started: float, began: float, detail: str) -> Attempt:
    return Attempt(
        address,
        family_of(address),
        outcome,
        started_ms=round((started - began) * 1000),
        elapsed_ms=_ms(started),
        detail=detail,
    )


def _ms(since: float) -> int:
    return round((time.perf_counter() - since) * 1000)
