"""Turn a CONNECT tunnel's outcome into a result: exactly where the path through the proxy breaks."""

from __future__ import annotations

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed, passed
from sparkgui.core.i18n import tr
from sparkgui.core.model import CheckResult
from sparkgui.core.net.proxy_tunnel import Tunnel, TunnelOutcome
from sparkgui.core.net.routes import Route


def diagnose_tunnel(tunnel: Tunnel, host: str, port: int, route: Route) -> CheckResult:
    """Return a pass when the tunnel opened, else a failure naming the step that broke."""
    proxy = tunnel.proxy
    evidence = {**tunnel.evidence(), "route": route.as_evidence(), "target": f"{host}:{port}"}
    outcome = tunnel.outcome
    if outcome is TunnelOutcome.OPEN:
        return passed(
            tr(
                "The proxy {proxy} opens a connection to {host} on port {port} ({ms} ms).",
                proxy=proxy,
                host=host,
                port=port,
                ms=tunnel.elapsed_ms,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.UNREACHABLE:
        return failed(
            Cause.PROXY_UNREACHABLE,
            tr("The proxy {proxy} cannot be reached from this computer.", proxy=proxy),
            tr(
                "Check the proxy address with the venue's IT ({source}), or ask them to open TCP to {proxy}.",
                source=route.said,
                proxy=proxy,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.AUTH_REQUIRED and tunnel.unanswerable:
        return failed(
            Cause.PROXY_AUTH_REQUIRED,
            tr(
                "The proxy {proxy} asks for a sign-in sparkgui cannot give ({schemes}): it signs in with Basic, "
                "NTLM or Negotiate only. Browsers may manage.",
                proxy=proxy,
                schemes=", ".join(tunnel.auth_schemes) or "?",
            ),
            tr(
                "Ask the venue's IT to accept Basic, NTLM or Negotiate on the proxy, or to let {host} through it "
                "without authentication.",
                host=host,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.AUTH_REQUIRED:
        schemes = ", ".join(tunnel.auth_schemes) or "?"
        return failed(
            Cause.PROXY_AUTH_REQUIRED,
            tr("The proxy {proxy} asks for credentials ({schemes}).", proxy=proxy, schemes=schemes),
            tr(
                "Run the check again with the proxy user name (--proxy-user, or the window's proxy sign-in), or ask "
                "the venue's IT to let {host} through the proxy without authentication.",
                host=host,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.AUTH_FAILED and tunnel.auth_broken:
        return failed(
            Cause.PROXY_AUTH_FAILED,
            tr(
                "sparkgui could not complete the proxy {proxy}'s {scheme} sign-in: the proxy's challenge could not "
                "be used.",
                proxy=proxy,
                scheme=tunnel.auth_used or "?",
            ),
            tr(
                "Ask the venue's IT to accept Basic sign-in on the proxy for this computer, or to let {host} through "
                "it without authentication.",
                host=host,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.AUTH_FAILED:
        return failed(
            Cause.PROXY_AUTH_FAILED,
            tr(
                "The proxy {proxy} refused the credentials given ({scheme}).",
                proxy=proxy,
                scheme=", ".join(tunnel.auth_tried) or tunnel.auth_used or "?",
            ),
            tr("Check the proxy user name and password with the venue's IT, then run the check again."),
            evidence,
        )
    if outcome in (TunnelOutcome.DENIED, TunnelOutcome.OWN_PAGE):  # a refusal, said outright or with a page
        refusal = (
            tr(
                "The proxy {proxy} answers connections to {host} on port {port} with a page of its own (a block "
                "page) instead of opening them.",
                proxy=proxy,
                host=host,
                port=port,
            )
            if outcome is TunnelOutcome.OWN_PAGE
            else tr(
                "The proxy {proxy} refuses connections to {host} on port {port} (HTTP {status}).",
                proxy=proxy,
                host=host,
                port=port,
                status=tunnel.status or "?",
            )
        )
        return failed(
            Cause.PROXY_CONNECT_DENIED,
            refusal,
            tr(
                "Ask the venue's IT to allow CONNECT to {host}:{port} on the proxy {proxy} (HTTPS and WebSocket).",
                host=host,
                port=port,
                proxy=proxy,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.SIGN_IN_PAGE:
        return failed(
            Cause.HTTP_CAPTIVE_PORTAL,
            tr(
                "The proxy {proxy} sends connections to a sign-in page (HTTP {status}): this network wants a "
                "web sign-in first.",
                proxy=proxy,
                status=tunnel.status or "?",
            ),
            tr(
                "Open a web page in a browser on this computer and sign in to the network, then run the check "
                "again; ask the venue's IT to let {host} through before sign-in, for attendees' phones.",
                host=host,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.UPSTREAM_FAILED:
        return failed(
            Cause.PROXY_UPSTREAM_FAILED,
            tr(
                "The proxy {proxy} could not reach {host} on port {port} itself (HTTP {status}): its own DNS or "
                "its way out to the Internet fails for this name.",
                proxy=proxy,
                host=host,
                port=port,
                status=tunnel.status or "?",
            ),
            tr(
                "Ask the venue's IT to check that the proxy {proxy} can resolve {host} and reach it on TCP {port}.",
                proxy=proxy,
                host=host,
                port=port,
            ),
            evidence,
        )
    if outcome is TunnelOutcome.BAD_ANSWER:
        return failed(
            Cause.PROXY_INVALID_RESPONSE,
            tr("The proxy {proxy} answered with something that is not HTTP.", proxy=proxy),
            tr(
                "Check that {proxy} is really an HTTP proxy ({source}) with the venue's IT.",
                proxy=proxy,
                source=route.said,
            ),
            evidence,
        )
    said = (
        tr("The proxy {proxy} closed the connection without answering.", proxy=proxy)
        if outcome is TunnelOutcome.CLOSED
        else tr("The proxy {proxy} accepted the connection but never answered.", proxy=proxy)
    )
    return failed(
        Cause.PROXY_NO_ANSWER,
        said,
        tr(
            "Ask the venue's IT whether the proxy {proxy} is working and accepts CONNECT to {host}:{port}.",
            proxy=proxy,
            host=host,
            port=port,
        ),
        evidence,
    )
