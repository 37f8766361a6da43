"""The platform's published profile on its probe: `GET /profile.toml` and `GET /profile.toml.sig`.

The files are read once at start (`--profile FILE`, its signature beside it as FILE.sig) and served as they
are, byte for byte, since the signature covers the exact bytes. Without a configured profile both routes
answer 404, so an app falls back to its cached or bundled profile.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

MAX_PUBLISHED_BYTES = 256 * 1024  # a profile is a few kilobytes; refuse to serve a file that is not one


@dataclass(frozen=True)
class Published:
    """The profile's bytes and its signature's, as they will be served."""

    body: bytes
    signature: bytes | None

    @classmethod
    def read(cls, path: str | Path) -> Published:
        """Read FILE and FILE.sig (ValueError with the reason when FILE cannot be served)."""
        where = Path(path)
        try:
            body = where.read_bytes()
        except OSError as exc:
            raise ValueError(f"{where}: cannot be read ({exc.strerror or exc})") from None
        if len(body) > MAX_PUBLISHED_BYTES:
            raise ValueError(f"{where}: {len(body)} bytes is too big for a profile (at most {MAX_PUBLISHED_BYTES})")
        signature_file = where.with_name(where.name + ".sig")
        signature = signature_file.read_bytes() if signature_file.is_file() else None
        return cls(body, signature)


PUBLISHED_KEY = web.AppKey("published_profile", Published)


def add_published_routes(app: web.Application, published: Published | None) -> None:
    """Serve the published profile and its signature (404 for both when there is none)."""
    if published is not None:
        app[PUBLISHED_KEY] = published
    app.router.add_get("/profile.toml", _profile)
    app.router.add_get("/profile.toml.sig", _signature)


def _served(request: web.Request, body: bytes | None, content_type: str) -> web.Response:
    if body is None:
        raise web.HTTPNotFound(text="no profile is published here")
    tag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"Cache-Control": "public, max-age=300", "ETag": tag, "X-Content-Type-Options": "nosniff"}
    if request.headers.get("If-None-Match") == tag:
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, headers={**headers, "Content-Type": content_type})


async def _profile(request: web.Request) -> web.Response:
    published = request.app.get(PUBLISHED_KEY)
    return _served(request, published.body if published else None, "application/toml; charset=utf-8")


async def _signature(request: web.Request) -> web.Response:
    published = request.app.get(PUBLISHED_KEY)
    return _served(request, published.signature if published else None, "text/plain; charset=us-ascii")
