"""Attendee sessions: the organiser's desktop opens one, phones post their test results to it.

A session is a code (128 bits from `secrets`, so nobody guesses another venue's) that expires (24 h by default),
and a capped list of results. The store is an interface with two homes: memory (one probe) and Redis
(`sparkgui.probe.redis_store`, several probes behind a load balancer, so a phone's result reaches the desktop
whichever instance served it).
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

CODE_BYTES = 16  # 128 bits
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{22}$")  # token_urlsafe(16): 22 characters, no padding
OUTCOMES = ("success", "failed")
REASONS = ("", "unreachable", "blocked", "cut", "silent", "offline", "interrupted", "other")
BROWSERS = ("Chrome", "Edge", "Firefox", "Safari", "Samsung Internet", "Opera", "Other")
MAX_HOLD_SECONDS = 24 * 3600.0


class SessionsFull(Exception):
    """The store holds as many live sessions as it may; the client retries later (503)."""


class ResultsFull(Exception):
    """This session has all the results it may keep (429)."""


class StoreUnavailable(Exception):
    """The shared store (Redis) did not answer in time; the client retries later (503)."""


@dataclass(frozen=True)
class PhoneResult:
    """One phone's test, as the probe records it: what the page said, plus what the probe saw."""

    outcome: str  # success | failed
    reason: str  # empty on success; otherwise one of REASONS
    held_seconds: float  # how long the live connection stayed open
    browser: str  # the family, from the User-Agent (never the whole string)
    address: str  # the public address the probe saw: tells the guest Wi-Fi from the laptop's network
    language: str  # en | fr, what the page spoke
    received_at: float  # epoch seconds

    def as_dict(self) -> dict[str, Any]:
        """The JSON form the probe returns and stores."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> PhoneResult:
        """Back from the stored JSON form (ValueError/KeyError/TypeError when it is not one)."""
        return cls(
            outcome=str(data["outcome"]),
            reason=str(data["reason"]),
            held_seconds=float(data["held_seconds"]),
            browser=str(data["browser"]),
            address=str(data["address"]),
            language=str(data["language"]),
            received_at=float(data["received_at"]),
        )


@dataclass(frozen=True)
class SessionLimits:
    """How long sessions live and how much they hold. The defaults suit a public deployment."""

    ttl_seconds: float = 24 * 3600.0
    max_results: int = 500  # a big conference's worth of phones
    max_sessions: int = 100_000  # live sessions in one store


@dataclass(frozen=True)
class SessionInfo:
    """A live session: its code and when it expires."""

    code: str
    expires_at: float


class SessionStore(Protocol):
    """Where sessions live. Every method is bounded by the limits it was built with."""

    limits: SessionLimits

    async def create(self) -> SessionInfo:
        """Open a new session (SessionsFull when the store is at its cap)."""
        ...

    async def add_result(self, code: str, result: PhoneResult) -> bool:
        """Append a result; False when the code is unknown or expired (ResultsFull at the cap)."""
        ...

    async def results(self, code: str) -> tuple[SessionInfo, list[PhoneResult]] | None:
        """The session and its results in arrival order, or None when unknown or expired."""
        ...

    async def close(self) -> None:
        """Release connections (nothing for memory)."""
        ...


def new_code() -> str:
    """A session code: 128 random bits, URL-safe."""
    return secrets.token_urlsafe(CODE_BYTES)


def is_code(text: str) -> bool:
    """Whether `text` has a session code's shape (checked before any store lookup)."""
    return bool(CODE_PATTERN.match(text))


class MemoryStore:
    """Sessions in this process's memory: the default for one probe."""

    def __init__(self, limits: SessionLimits | None = None) -> None:
        self.limits = limits or SessionLimits()
        self._sessions: dict[str, tuple[SessionInfo, list[PhoneResult]]] = {}

    def _prune(self, now: float) -> None:
        for code in [code for code, (info, _) in self._sessions.items() if info.expires_at <= now]:
            del self._sessions[code]

    async def create(self) -> SessionInfo:
        """Open a new session (SessionsFull at the cap)."""
        now = time.time()
        if len(self._sessions) >= self.limits.max_sessions:
            self._prune(now)
            if len(self._sessions) >= self.limits.max_sessions:
                raise SessionsFull
        info = SessionInfo(new_code(), now + self.limits.ttl_seconds)
        self._sessions[info.code] = (info, [])
        return info

    def _live(self, code: str) -> tuple[SessionInfo, list[PhoneResult]] | None:
        entry = self._sessions.get(code)
        if entry is None:
            return None
        if entry[0].expires_at <= time.time():
            del self._sessions[code]
            return None
        return entry

    async def add_result(self, code: str, result: PhoneResult) -> bool:
        """Append a result; False when the code is unknown or expired (ResultsFull at the cap)."""
        entry = self._live(code)
        if entry is None:
            return False
        if len(entry[1]) >= self.limits.max_results:
            raise ResultsFull
        entry[1].append(result)
        return True

    async def results(self, code: str) -> tuple[SessionInfo, list[PhoneResult]] | None:
        """The session and its results, or None when unknown or expired."""
        entry = self._live(code)
        return (entry[0], list(entry[1])) if entry else None

    async def close(self) -> None:
        """Let go of what the store holds."""
        self._sessions.clear()


def browser_family(user_agent: str) -> str:
    """The browser's family from its User-Agent, in the order that tells them apart (Edge says Chrome too)."""
    agent = user_agent or ""
    for marker, family in (
        ("SamsungBrowser/", "Samsung Internet"),
        ("Edg", "Edge"),
        ("OPR/", "Opera"),
        ("Firefox/", "Firefox"),
        ("FxiOS/", "Firefox"),
        ("CriOS/", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ):
        if marker in agent:
            return family
    return "Other"
