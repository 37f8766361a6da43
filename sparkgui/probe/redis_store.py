"""Attendee sessions in Redis, so several probes behind the platform's load balancer share them.

A phone's result may reach any instance; the desktop's poll may reach another. Each session is two keys that
expire with it (its expiry, and its list of results as JSON), and a sorted set of live codes bounds how many
exist. Appending a result is one Lua script, so the cap per session holds however many instances post at once.
Every call has a short deadline: a Redis that does not answer gives StoreUnavailable (503), never a hang.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from sparkgui.probe.sessions import (
    PhoneResult,
    ResultsFull,
    SessionInfo,
    SessionLimits,
    SessionsFull,
    StoreUnavailable,
    new_code,
)

PREFIX = "sparkgui:session:"
LIVE = "sparkgui:sessions"
DEADLINE_SECONDS = 2.0

_CREATE = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2], 'EXAT', math.ceil(tonumber(ARGV[2])))
return 1
"""

_APPEND = """
local expires = redis.call('GET', KEYS[1])
if not expires then return -1 end
if redis.call('LLEN', KEYS[2]) >= tonumber(ARGV[2]) then return -2 end
redis.call('RPUSH', KEYS[2], ARGV[1])
redis.call('EXPIREAT', KEYS[2], math.ceil(tonumber(expires)))
return 1
"""


class RedisStore:
    """The SessionStore interface over a Redis URL (`redis://host:6379/0`, `rediss://` for TLS)."""

    def __init__(self, url: str, limits: SessionLimits | None = None) -> None:
        self.limits = limits or SessionLimits()
        self._redis = aioredis.from_url(
            url, socket_timeout=DEADLINE_SECONDS, socket_connect_timeout=DEADLINE_SECONDS, decode_responses=True
        )
        self._create = self._redis.register_script(_CREATE)
        self._append = self._redis.register_script(_APPEND)

    async def _call(self, call: Any) -> Any:
        try:
            return await call
        except (RedisError, OSError, TimeoutError) as exc:
            raise StoreUnavailable(str(exc)) from None

    async def create(self) -> SessionInfo:
        """Open a new session (SessionsFull at the cap)."""
        now = time.time()
        info = SessionInfo(new_code(), now + self.limits.ttl_seconds)
        created = await self._call(
            self._create(
                keys=[LIVE, PREFIX + info.code],
                args=[info.code, repr(info.expires_at), repr(now), self.limits.max_sessions],
            )
        )
        if not created:
            raise SessionsFull
        return info

    async def add_result(self, code: str, result: PhoneResult) -> bool:
        """Append a result; False when the code is unknown or expired (ResultsFull at the cap)."""
        outcome = await self._call(
            self._append(
                keys=[PREFIX + code, PREFIX + code + ":results"],
                args=[json.dumps(result.as_dict()), self.limits.max_results],
            )
        )
        if outcome == -2:
            raise ResultsFull
        return bool(outcome == 1)

    async def results(self, code: str) -> tuple[SessionInfo, list[PhoneResult]] | None:
        """The session and its results, or None when unknown or expired."""
        expires = await self._call(self._redis.get(PREFIX + code))
        if expires is None or not math.isfinite(float(expires)) or float(expires) <= time.time():
            return None
        stored = await self._call(self._redis.lrange(PREFIX + code + ":results", 0, self.limits.max_results - 1))
        results = []
        for item in stored:
            try:
                results.append(PhoneResult.from_dict(json.loads(item)))
            except (ValueError, KeyError, TypeError):
                continue  # written by another version: skipped, never a 500
        return SessionInfo(code, float(expires)), results

    async def close(self) -> None:
        """Let go of what the store holds."""
        with contextlib.suppress(RedisError, OSError):
            await self._redis.aclose()
