"""HTTPS check: does the platform itself answer a GET, or does a portal or a block page answer instead?"""

from __future__ import annotations

import re
import time
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed
from sparkgui.core.checks.portal import portal_result, portal_sign
from sparkgui.core.context import CheckScope
from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.profile import Endpoint

BODY_SAMPLE_BYTES = 64 * 1024
EVIDENCE_HEADERS = ("Server", "Via", "Location", "Content-Type", "X-Squid-Error", "X-Cache", "Proxy-Agent")
# Words in Server/Via headers of common proxies and filters: a 403 signed by one of them is a block page.
_FILTER_SIGNS = re.compile(
    r"squid|bluecoat|blue coat|proxysg|fortigate|fortinet|zscaler|palo ?alto|pan-os|websense|forcepoint|"
    r"sophos|barracuda|mcafee|skyhigh|netskope|cisco|umbrella|ironport|checkpoint|untangle|pfsense|"
    r"squidguard|e2guardian|privoxy|sonicwall|watchguard|kerio",
    re.IGNORECASE,
)
_BLOCK_WORDS = re.compile(
    r"access denied|blocked|web filter|content filter|not allowed|category|policy|interdit|bloqu",
    re.IGNORECASE,
)


def https_info(endpoint: Endpoint) -> CheckInfo:
    """Describe the HTTPS check: it needs TLS, but starts once DNS is done to overlap TCP and TLS."""
    return CheckInfo(
        CheckId.https(endpoint.host, endpoint.port),
        (CheckId.tls(endpoint.host, endpoint.port),),
        tr("Web request to {host}", host=endpoint.host),
        starts_after=(CheckId.dns(endpoint.host),),  # overlaps TCP and TLS; reported only if they passed
    )


class HttpsCheck(Check):
    """The HTTPS check: a GET of the endpoint's path, telling the platform from a portal or a filter."""

    def __init__(self, endpoint: Endpoint) -> None:
        super().__init__(https_info(endpoint))
        self.endpoint = endpoint

    @property
    def url(self) -> str:
        """The URL requested, with the port only when it is not 443."""
        e = self.endpoint
        return f"https://{e.host}{'' if e.port == 443 else f':{e.port}'}{e.path}"

    async def run(self, scope: CheckScope) -> CheckResult:
        """GET the URL over the run's route and judge the answer; no answer or a cut connection fails."""
        import aiohttp  # ~0.3 s to import: only when a run needs it

        from sparkgui.core.net.http_client import read_at_most
        from sparkgui.core.transport import platform_session

        host = self.endpoint.host
        timeouts = scope.run.profile.timeouts
        scope.progress(0.1, tr("GET {url}", url=self.url))
        evidence: dict[str, Any] = {"url": self.url, "method": "GET"}
        began = time.perf_counter()
        timeout = aiohttp.ClientTimeout(total=timeouts.http, sock_connect=timeouts.connect)
        try:
            async with (
                platform_session(scope, host, timeout) as session,
                session.get(self.url, allow_redirects=False) as response,
            ):
                body = await read_at_most(response.content, BODY_SAMPLE_BYTES)
                evidence.update(
                    status=response.status,
                    reason=response.reason or "",
                    headers={k: v for k in EVIDENCE_HEADERS if (v := response.headers.get(k))},
                    elapsed_ms=_ms(began),
                )
                return self._judge(response.status, response.headers, body, evidence)
        except TimeoutError:
            evidence["elapsed_ms"] = _ms(began)
            return failed(
                Cause.HTTP_TIMEOUT,
                tr(
                    "{host} accepted the secure connection but did not answer the request within {seconds} s.",
                    host=host,
                    seconds=f"{timeouts.http:g}",
                ),
                tr("Ask the venue's IT whether a proxy or filter holds HTTPS requests to {host}.", host=host),
                evidence,
            )
        except aiohttp.ClientError as exc:
            evidence.update(elapsed_ms=_ms(began), error=f"{type(exc).__name__}: {exc}"[:300])
            return failed(
                Cause.HTTP_CONNECTION_LOST,
                tr("The connection to {host} broke during the web request.", host=host),
                tr("Ask the venue's IT whether a proxy, filter or IPS cuts HTTPS requests to {host}.", host=host),
                evidence,
            )

    def _judge(self, status: int, headers: Any, body: bytes, evidence: dict[str, Any]) -> CheckResult:
        host = self.endpoint.host
        location = headers.get("Location", "")
        signature = f"{headers.get('Server', '')} {headers.get('Via', '')} {headers.get('X-Squid-Error', '')}"
        sign = portal_sign(status, location, host)
        if sign:
            evidence["portal"] = sign
            return portal_result(host, evidence)
        if status in (403, 451) or (status >= 400 and _FILTER_SIGNS.search(signature)):
            text = body[:BODY_SAMPLE_BYTES].decode("utf-8", "replace")
            if status == 451 or _FILTER_SIGNS.search(signature) or _BLOCK_WORDS.search(text):
                evidence["block_page"] = _title(text)
                return failed(
                    Cause.HTTP_BLOCKED,
                    tr("A filter or proxy blocks {host} (HTTP {status}).", host=host, status=status),
                    tr(
                        "Ask the venue's IT to allow *.{domain} in the web filter or proxy (HTTPS, TCP 443).",
                        domain=parent_domain(host),
                    ),
                    evidence,
                )
        if status >= 400:
            return failed(
                Cause.HTTP_UNEXPECTED_STATUS,
                tr(
                    "{host} answered with HTTP {status}, which the platform should not return.",
                    host=host,
                    status=status,
                ),
                tr(
                    "Check the profile's path for {host}; if it is right, send this report to the platform's support.",
                    host=host,
                ),
                evidence,
            )
        return passed(
            tr(
                "{host} answered the web request (HTTP {status}, {ms} ms).",
                host=host,
                status=status,
                ms=evidence["elapsed_ms"],
            ),
            evidence,
        )


def _title(text: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    return (match.group(1).strip() if match else text.strip())[:200]


def _ms(began: float) -> int:
    return round((time.perf_counter() - began) * 1000)
