"""HTTPS check: does the platform itself answer a GET, or does a portal or a block page answer instead?"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import re
import time
from dataclasses import replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed
from sparkgui.core.checks.portal import platform_domains, portal_result, portal_sign
from sparkgui.core.context import CheckScope
from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import Text, amount, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult, Status
from sparkgui.core.profile import Endpoint

BODY_SAMPLE_BYTES = 64 * 1024
MAX_REDIRECTS = 5  # on the platform's own origin, as a browser follows them
WHOAMI_MARGIN_S = 0.05  # /whoami gives up this long before the request's deadline, so the check keeps its pass
EVIDENCE_HEADERS = (
    "Server", "Via", "Location", "Content-Type", "X-Squid-Error", "X-Cache", "Proxy-Agent", "Proxy-Authenticate",
)  # fmt: skip
# Words in Server/Via headers of common proxies and filters: a 403 signed by one of them is a block page.
_FILTER_SIGNS = re.compile(
    r"squid|bluecoat|blue coat|proxysg|fortigate|fortinet|zscaler|palo ?alto|pan-os|websense|forcepoint|"
    r"sophos|barracuda|mcafee|skyhigh|netskope|cisco|umbrella|ironport|checkpoint|untangle|pfsense|"
    r"squidguard|e2guardian|privoxy|sonicwall|watchguard|kerio",
    re.IGNORECASE,
)
_BLOCK_WORDS = re.compile(
    r"access denied|blocked|web filter|content filter|not allowed|category|policy|interdit|bloqu|restricted|"
    r"prohibited|denied by|forbidden by|refus",
    re.IGNORECASE,
)
# What a login or consent page shows: where the platform's probe (which never answers with a page) gets one.
_PORTAL_WORDS = re.compile(
    r"<form|password|log ?in|sign ?in|accept|terms|conditions|wi-?fi|hotspot|voucher|connexion|identifi|"
    r"http-equiv=[\"']?refresh",
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
        self.own: frozenset[str] = frozenset()  # the platform's domains, known once the run's profile is

    @property
    def url(self) -> str:
        """The URL requested, with the port only when it is not 443."""
        return self.endpoint.base_url + self.endpoint.path

    async def run(self, scope: CheckScope) -> CheckResult:
        """GET the URL over the run's route and judge the answer; no answer or a cut connection fails."""
        import aiohttp  # ~0.3 s to import: only when a run needs it

        from sparkgui.core.net.http_client import read_at_most
        from sparkgui.core.transport import platform_session

        host = self.endpoint.host
        timeouts = scope.run.profile.timeouts
        self.own = platform_domains(scope.run.profile)
        scope.progress(0.1, tr("Asking {host} for a web page", host=host))
        evidence: dict[str, Any] = {"url": self.url, "method": "GET"}
        began = time.perf_counter()
        timeout = aiohttp.ClientTimeout(total=timeouts.http, sock_connect=timeouts.connect)
        try:
            async with asyncio.timeout(timeouts.http) as deadline, platform_session(scope, host, timeout) as session:
                url, asked = self.url, [self.url]
                first: tuple[int, Any, bytes] | None = None
                while True:
                    async with session.get(url, allow_redirects=False) as response:
                        body = await read_at_most(response.content, BODY_SAMPLE_BYTES)
                        if first is None:
                            first = (response.status, response.headers, body)
                            evidence.update(
                                status=response.status,
                                reason=response.reason or "",
                                headers={k: v for k in EVIDENCE_HEADERS if (v := response.headers.get(k))},
                                elapsed_ms=_ms(began),
                            )
                        else:
                            evidence["final_status"] = response.status
                        location = response.headers.get("Location", "")
                        try:
                            follow = _followed(response.status, location, url, host, self.own)
                        except ValueError:  # a Location no browser can follow (`https://[x/`, port 99999)
                            evidence["location"] = location[:300]
                            return self._broken_redirect(evidence)
                        if follow is None:
                            judged = self._after_redirects(
                                first, (response.status, response.headers, body), asked, evidence
                            )
                            break  # out of the response first: /whoami then reuses its connection
                    if follow in asked or len(asked) > MAX_REDIRECTS:
                        evidence["redirects"] = [*asked, follow]
                        return self._redirect_loop(evidence)
                    asked.append(follow)
                    url = follow
                if self.endpoint.probe and judged.status is Status.PASS:
                    return await _with_public_address(session, judged, self.url, deadline.when())
                return judged
        except TimeoutError:
            evidence["elapsed_ms"] = _ms(began)
            return failed(
                Cause.HTTP_TIMEOUT,
                tr(
                    "{host} accepted the secure connection but did not answer the request within {seconds} s.",
                    host=host,
                    seconds=amount(timeouts.http),
                ),
                tr("Ask the venue's IT whether a proxy or filter holds HTTPS requests to {host}.", host=host),
                evidence,
            )
        except aiohttp.ClientResponseError as exc:  # raised by the parser: the status was never judged
            evidence.update(elapsed_ms=_ms(began), error=f"{type(exc).__name__}: {exc}"[:300])
            return _not_http(
                host, tr("Something answered on {host}'s port, but not in valid HTTP.", host=host), evidence
            )
        except aiohttp.ClientError as exc:
            evidence.update(elapsed_ms=_ms(began), error=f"{type(exc).__name__}: {exc}"[:300])
            if isinstance(exc, aiohttp.ClientPayloadError) and "content-encoding" in str(exc).lower():
                return _not_http(  # a body that is not what its Content-Encoding says: nothing broke
                    host, tr("{host} answered with a body that cannot be decoded.", host=host), evidence
                )
            return failed(
                Cause.HTTP_CONNECTION_LOST,
                tr("The connection to {host} broke during the web request.", host=host),
                tr("Ask the venue's IT whether a proxy, filter or IPS cuts HTTPS requests to {host}.", host=host),
                evidence,
            )

    def _after_redirects(
        self,
        first: tuple[int, Any, bytes],
        last: tuple[int, Any, bytes],
        asked: list[str],
        evidence: dict[str, Any],
    ) -> CheckResult:
        """Judge the first answer, unless the redirects it started end on a portal or a block page.

        What the platform answers at the end of its own redirects (a login page, even a 404) is the platform's
        business; a network that puts a portal or a filter there is the venue's.
        """
        if len(asked) == 1:
            return self._judge(*first, evidence)
        evidence["redirects"] = asked
        final = self._judge(*last, dict(evidence))
        if final.cause in (Cause.HTTP_CAPTIVE_PORTAL, Cause.HTTP_BLOCKED):
            return final
        return self._judge(*first, evidence)

    def _page_instead_of_probe(self, body: bytes, evidence: dict[str, Any]) -> CheckResult:
        """The probe answers its health check with no page: a page there comes from a portal or a filter."""
        host = self.endpoint.host
        text = body[:BODY_SAMPLE_BYTES].decode("utf-8", "replace")
        evidence["page_title"] = _title(text)
        if _PORTAL_WORDS.search(text):
            evidence["portal"] = "a login or consent page instead of the probe's answer"
            return portal_result(host, evidence)
        if _BLOCK_WORDS.search(text):
            evidence["block_page"] = evidence["page_title"]
            return failed(
                Cause.HTTP_BLOCKED,
                tr("A filter or proxy answers with its own page instead of {host}.", host=host),
                tr(
                    "Ask the venue's IT to allow *.{domain} in the web filter or proxy (HTTPS, TCP 443).",
                    domain=parent_domain(host),
                ),
                evidence,
            )
        return _not_http(
            host,
            tr(
                "Something other than the platform answered for {host}: a web page, where its probe sends none.",
                host=host,
            ),
            evidence,
        )

    def _broken_redirect(self, evidence: dict[str, Any]) -> CheckResult:
        host = self.endpoint.host
        return _not_http(host, tr("{host} redirects to an address a browser cannot follow.", host=host), evidence)

    def _redirect_loop(self, evidence: dict[str, Any]) -> CheckResult:
        host = self.endpoint.host
        return failed(
            Cause.HTTP_REDIRECT_LOOP,
            tr(
                "{host} redirects in a loop ({count} redirects without reaching a page): a browser gives up.",
                host=host,
                count=len(evidence["redirects"]) - 1,
            ),
            tr(
                "Check the profile's path for {host}; if it is right, send this report to the platform's support.",
                host=host,
            ),
            evidence,
        )

    def _judge(self, status: int, headers: Any, body: bytes, evidence: dict[str, Any]) -> CheckResult:
        host = self.endpoint.host
        location = headers.get("Location", "")
        signature = f"{headers.get('Server', '')} {headers.get('Via', '')} {headers.get('X-Squid-Error', '')}"
        sign = portal_sign(status, location, host, self.own)
        if sign:
            evidence["portal"] = sign
            return portal_result(host, evidence)
        if status == 407:  # only a proxy says this: one that intercepts HTTPS without the laptop knowing it
            return failed(
                Cause.HTTP_BLOCKED,
                tr(
                    "A proxy that intercepts HTTPS to {host} asks for credentials (HTTP 407); a browser that was not "
                    "told to use a proxy cannot sign in to it.",
                    host=host,
                ),
                tr(
                    "Ask the venue's IT to let *.{domain} through their intercepting proxy without authentication, "
                    "or to give the proxy's address so that browsers use it and sign in.",
                    domain=parent_domain(host),
                ),
                evidence,
            )
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
        if self.endpoint.probe and 200 <= status < 300 and _is_page(headers, body):
            return self._page_instead_of_probe(body, evidence)
        if not 200 <= status < 600:  # 000, 099, a 101 to a plain GET: no web server answers so
            return _not_http(
                host, tr("Something answered on {host}'s port, but not in valid HTTP.", host=host), evidence
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


def _is_page(headers: Any, body: bytes) -> bool:
    """An HTML page: what a portal or a filter shows, never what the platform's probe answers."""
    kind = str(headers.get("Content-Type", "")).lower()
    start = body[:512].lstrip().lower()
    return "html" in kind or start.startswith((b"<!doctype html", b"<html"))


def _not_http(host: str, summary: Text, evidence: dict[str, Any]) -> CheckResult:
    """`http.invalid_response`: something answered that no browser reads as the platform's web answer."""
    return failed(
        Cause.HTTP_INVALID_RESPONSE,
        summary,
        tr(
            "Ask the venue's IT which device answers HTTPS to {host} (a proxy, filter or IPS) "
            "and to let the requests through untouched.",
            host=host,
        ),
        evidence,
    )


def _followed(status: int, location: str, url: str, host: str, own: frozenset[str] = frozenset()) -> str | None:
    """The URL a browser would go to next on the platform's own origin, or None to judge this answer.

    A redirect to another origin is judged as it stands (a portal if it leaves the platform's domain).
    """
    if not (300 <= status < 400 and location) or portal_sign(status, location, host, own):
        return None
    target = urljoin(url, location)
    here, there = urlsplit(url), urlsplit(target)
    same_origin = (here.scheme, here.hostname, here.port) == (there.scheme, there.hostname, there.port)
    return target if same_origin else None


def _title(text: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    return (match.group(1).strip() if match else text.strip())[:200]


async def _with_public_address(session: Any, judged: CheckResult, url: str, deadline: float | None) -> CheckResult:
    """Ask the probe which address it sees (`/whoami`): which network was tested, without a third party.

    Within what is left of the request's `deadline` (loop time), ending just before it; a probe that does not
    say, or says nonsense, is simply not quoted: the web request itself has passed.
    """
    import aiohttp

    from sparkgui.core.net.http_client import read_at_most

    parts = urlsplit(url)
    ends = None if deadline is None else deadline - WHOAMI_MARGIN_S
    try:
        async with asyncio.timeout_at(ends):
            async with session.get(f"{parts.scheme}://{parts.netloc}/whoami", allow_redirects=False) as response:
                body = await read_at_most(response.content, 4096)
        address = str(json.loads(body.decode("utf-8")).get("address", ""))
        ipaddress.ip_address(address)
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError, AttributeError, RecursionError):
        return judged
    return replace(judged, evidence={**judged.evidence, "public_address": address})


def _ms(began: float) -> int:
    return round((time.perf_counter() - began) * 1000)
