"""The attendee session routes: `POST /sessions`, `GET /sessions/{code}`, `POST /sessions/{code}/results`.

The organiser's desktop opens a session and shows its test link as a QR code; phones post their results; the
desktop polls. Everything a client sends is checked before it is used: bodies are small and JSON, codes have
the right shape, every answer to bad input is a 4xx with a JSON `error`, and each address is rate-limited.
There is no CORS: only the probe's own test page (same origin) posts results.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from sparkgui.probe.logs import masked
from sparkgui.probe.rate_limit import RateLimiter, RateLimits
from sparkgui.probe.sessions import (
    MAX_HOLD_SECONDS,
    OUTCOMES,
    REASONS,
    PhoneResult,
    ResultsFull,
    SessionsFull,
    SessionStore,
    StoreUnavailable,
    browser_family,
    is_code,
)

log = logging.getLogger("sparkgui.probe")

MAX_BODY_BYTES = 2048  # a result is about a hundred bytes
BODY_SECONDS = 10.0  # how long a body may take to arrive
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


@dataclass(frozen=True)
class SessionRateLimits:
    """Per address: opening sessions is rare, polling steady, and a whole guest Wi-Fi shares one address."""

    create: RateLimits = field(default_factory=lambda: RateLimits(burst=10, per_minute=20))
    poll: RateLimits = field(default_factory=lambda: RateLimits(burst=60, per_minute=120))
    post: RateLimits = field(default_factory=lambda: RateLimits(burst=300, per_minute=600))


@dataclass
class _SessionService:
    store: SessionStore
    create: RateLimiter
    poll: RateLimiter
    post: RateLimiter


SERVICE_KEY = web.AppKey("sessions", _SessionService)


def add_session_routes(app: web.Application, store: SessionStore, limits: SessionRateLimits) -> None:
    """Serve the session routes from `store`, closed with the app."""
    app[SERVICE_KEY] = _SessionService(
        store, RateLimiter(limits.create), RateLimiter(limits.poll), RateLimiter(limits.post)
    )
    app.router.add_post("/sessions", _create)
    app.router.add_get("/sessions/{code}", _results)
    app.router.add_post("/sessions/{code}/results", _add_result)

    async def close(app: web.Application) -> None:
        await app[SERVICE_KEY].store.close()

    app.on_cleanup.append(close)


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response({"error": message}, status=status, headers={**NO_STORE, **(headers or {})})


def _unavailable() -> web.Response:
    return _error(503, "the session store is not answering; retry shortly", {"Retry-After": "5"})


def _limited(limiter: RateLimiter, request: web.Request) -> web.Response | None:
    wait = limiter.retry_after(request.remote or "?")
    if wait:
        return _error(429, "too many requests from this address; retry later", {"Retry-After": str(wait)})
    return None


def _cross_site(request: web.Request) -> bool:
    """A browser says when another site sent the request (Sec-Fetch-Site): refused, so no page posts for it."""
    return request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none")


async def _small_body(request: web.Request) -> bytes | web.Response:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        return _error(413, f"the body may be at most {MAX_BODY_BYTES} bytes")
    body = b""
    try:
        async with asyncio.timeout(BODY_SECONDS):  # a phone on a slow Wi-Fi is fine; a body held open is not
            while len(body) <= MAX_BODY_BYTES:  # read() gives what has arrived: a body may come in pieces
                chunk = await request.content.read(MAX_BODY_BYTES + 1 - len(body))
                if not chunk:
                    break
                body += chunk
    except TimeoutError:
        return _error(408, f"the body did not arrive within {BODY_SECONDS:g} s")
    if len(body) > MAX_BODY_BYTES:
        return _error(413, f"the body may be at most {MAX_BODY_BYTES} bytes")
    return body


def _expires(expires_at: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires_at))


async def _create(request: web.Request) -> web.Response:
    service = request.app[SERVICE_KEY]
    if refused := _limited(service.create, request):
        return refused
    if _cross_site(request):
        return _error(403, "sessions are opened by the sparkgui app, not by another site")
    body = await _small_body(request)
    if isinstance(body, web.Response):
        return body
    try:
        info = await service.store.create()
    except SessionsFull:
        return _error(503, "too many open sessions; retry later", {"Retry-After": "60"})
    except StoreUnavailable:
        return _unavailable()
    log.info("session opened peer=%s", masked(request.remote))
    return web.json_response(
        {"code": info.code, "expires_at": _expires(info.expires_at), "test_path": f"/test?s={info.code}"},
        status=201,
        headers=NO_STORE,
    )


async def _results(request: web.Request) -> web.Response:
    service = request.app[SERVICE_KEY]
    if refused := _limited(service.poll, request):
        return refused
    code = request.match_info["code"]
    try:
        found = await service.store.results(code) if is_code(code) else None
    except StoreUnavailable:
        return _unavailable()
    if found is None:
        return _error(404, "no such session, or it expired")
    info, results = found
    return web.json_response(
        {"code": info.code, "expires_at": _expires(info.expires_at), "results": [r.as_dict() for r in results]},
        headers=NO_STORE,
    )


def _parse_result(body: bytes) -> dict[str, Any] | str:
    """The posted result's fields, or what is wrong with them."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return "the body is not JSON"
    if not isinstance(data, dict):
        return "the body is not a JSON object"
    outcome, reason, held, language = (data.get(key) for key in ("outcome", "reason", "held_seconds", "language"))
    if outcome not in OUTCOMES:
        return f"outcome must be one of {', '.join(OUTCOMES)}"
    if reason is None:
        reason = ""
    if not isinstance(reason, str) or reason not in REASONS or (outcome == "success") != (reason == ""):
        return f"reason must be empty on success, else one of {', '.join(r for r in REASONS if r)}"
    if isinstance(held, bool) or not isinstance(held, int | float) or abs(held) > 1e9 or not math.isfinite(held):
        return "held_seconds must be a number"
    if not 0 <= held <= MAX_HOLD_SECONDS:
        return f"held_seconds must be from 0 to {MAX_HOLD_SECONDS:.0f}"
    if language not in ("en", "fr"):
        language = "en"
    return {"outcome": outcome, "reason": reason, "held_seconds": round(float(held), 1), "language": language}


async def _add_result(request: web.Request) -> web.Response:
    service = request.app[SERVICE_KEY]
    if refused := _limited(service.post, request):
        return refused
    if _cross_site(request):
        return _error(403, "results come from the probe's own test page")
    if request.content_type != "application/json":
        return _error(415, "send the result as application/json")
    code = request.match_info["code"]
    if not is_code(code):
        return _error(404, "no such session, or it expired")
    body = await _small_body(request)
    if isinstance(body, web.Response):
        return body
    fields = _parse_result(body)
    if isinstance(fields, str):
        return _error(400, fields)
    result = PhoneResult(
        **fields,
        browser=browser_family(request.headers.get("User-Agent", "")),
        address=request.remote or "",
        received_at=round(time.time(), 3),
    )
    try:
        added = await service.store.add_result(code, result)
    except ResultsFull:
        return _error(429, "this session has all the results it can keep")
    except StoreUnavailable:
        return _unavailable()
    if not added:
        return _error(404, "no such session, or it expired")
    log.info(
        "session result peer=%s outcome=%s reason=%s browser=%s",
        masked(request.remote),
        result.outcome,
        result.reason or "-",
        result.browser.replace(" ", "_"),
    )
    return web.Response(status=204, headers=NO_STORE)
