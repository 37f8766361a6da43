"""Captive portals: recognise one from an HTTP answer, and say so in the same words wherever it is found.

It may be found by the HTTPS check, or by the TLS check when a portal intercepts HTTPS with its own certificate.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any
from urllib.parse import urlsplit

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed
from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import tr
from sparkgui.core.model import CheckResult
from sparkgui.core.profile_model import Profile


def is_foreign(location: str, host: str, own: Collection[str] = ()) -> bool:
    """A redirect away from the platform's own domains (a relative one, or one no browser can parse, stays).

    `own` holds the platform's other domains (its profile's endpoints and allow-list): its sign-in service on
    another domain is still the platform.
    """
    try:
        target = urlsplit(location).hostname
    except ValueError:  # `https://[app.test/`: malformed, judged by the HTTPS check as a broken answer
        return False
    if not target:
        return False
    return not (target == host or parent_domain(target) in {parent_domain(host), *own})


def portal_sign(status: int, location: str, host: str, own: Collection[str] = ()) -> str:
    """What shows a portal answered instead of `host`, or '' when nothing does."""
    if status == 511:
        return "HTTP 511 Network Authentication Required"
    if 300 <= status < 400 and is_foreign(location, host, own):
        return location
    return ""


def platform_domains(profile: Profile) -> frozenset[str]:
    """The platform's own domains: those of its endpoints, its WebSocket and its allow-list rules."""
    hosts = [endpoint.host for endpoint in profile.endpoints]
    hosts += [rule.host.removeprefix("*.") for rule in profile.allow]
    if profile.websocket is not None and profile.websocket.host:
        hosts.append(profile.websocket.host)
    return frozenset(parent_domain(host) for host in hosts)


def portal_result(host: str, evidence: Mapping[str, Any]) -> CheckResult:
    """Return the captive-portal failure for `host`, worded the same whichever check found it."""
    return failed(
        Cause.HTTP_CAPTIVE_PORTAL,
        tr("A login or welcome page (captive portal) answers instead of {host}.", host=host),
        tr(
            "Sign in to the venue's Wi-Fi portal on every device, or ask the venue's IT to exempt "
            "{host} from the portal.",
            host=host,
        ),
        evidence,
    )


async def probe_plain_http(host: str, addresses: tuple[str, ...], port: int, timeout: float) -> dict[str, Any]:
    """GET http://host/ directly, to see whether a portal sits on the path: the browser's own portal test.

    Returns the answer's status and Location (empty on any failure: then nothing is concluded).
    """
    import aiohttp

    from sparkgui.core.net.pinned_resolver import PinnedResolver

    url = f"http://{host}/" if port == 80 else f"http://{host}:{port}/"
    connector = aiohttp.TCPConnector(resolver=PinnedResolver(addresses), force_close=True, use_dns_cache=False)
    try:
        async with (
            aiohttp.ClientSession(
                connector=connector, timeout=aiohttp.ClientTimeout(total=timeout), trust_env=False
            ) as session,
            session.get(url, allow_redirects=False) as response,
        ):
            return {"url": url, "status": response.status, "location": response.headers.get("Location", "")}
    except (TimeoutError, aiohttp.ClientError, OSError):
        return {}
