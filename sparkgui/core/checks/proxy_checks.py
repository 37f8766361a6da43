"""Proxy checks: where the route comes from, and whether the platform is reachable only through the proxy.

`proxy:discovery` reports the route and its source; `proxy:direct` tries the platform without the proxy,
because "reachable only through the proxy" is what venue IT wants to know.
"""

from __future__ import annotations

from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, skipped, warned
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.net.connector import happy_eyeballs
from sparkgui.core.transport import route_table


def discovery_info() -> CheckInfo:
    """Describe the proxy discovery check; it needs no other check."""
    return CheckInfo(CheckId.proxy_discovery(), (), tr("Proxy settings"))


def direct_info(host: str, port: int) -> CheckInfo:
    """Describe the direct-access check of `host:port`; it needs the host's addresses from DNS."""
    return CheckInfo(CheckId.proxy_direct(host, port), (CheckId.dns(host),), tr("Direct access without the proxy"))


class ProxyDiscoveryCheck(Check):
    """The proxy discovery check: which proxy, if any, connections use, and which setting says so."""

    def __init__(self) -> None:
        super().__init__(discovery_info())

    async def run(self, scope: CheckScope) -> CheckResult:
        """Discover the routes; fail only when a PAC file or a proxy setting cannot be used."""
        scope.progress(0.1, tr("Looking for proxy settings"))
        table = await route_table(scope.run)
        evidence: dict[str, Any] = {
            "routes": {url: route.as_evidence() for url, route in table.routes.items()},
            "considered": list(table.considered),
        }
        if table.error is not None:
            evidence["error"] = table.error.render()  # evidence is data, in English
            if table.error_kind == "pac":  # a warning: browsers connect directly then, and so did the checks
                return warned(
                    Cause.PROXY_PAC_ERROR,
                    tr(
                        "The proxy auto-configuration (PAC) file cannot be used: {error}. Connections were tried "
                        "directly, as browsers do after waiting for it; if they fail below, this may be why.",
                        error=table.error,
                    ),
                    tr(
                        "Ask the venue's IT to fix the PAC file or its address, or give the proxy directly "
                        "(--proxy http://host:port)."
                    ),
                    evidence,
                )
            return failed(
                Cause.PROXY_BAD_SETTING,
                tr("A proxy setting on this computer cannot be understood: {error}.", error=table.error),
                tr(
                    "Correct the proxy setting (for example HTTPS_PROXY=http://host:port), or give the proxy "
                    "directly (--proxy http://host:port)."
                ),
                evidence,
            )
        route = table.summary_route()
        if route.proxy is None:
            return passed(tr("No proxy: this computer connects directly ({source}).", source=route.said), evidence)
        return passed(
            tr("Connections go through the proxy {proxy} ({source}).", proxy=route.proxy.address, source=route.said),
            evidence,
        )


class DirectAccessCheck(Check):
    """With a proxy in use, try the platform directly too: "only via proxy" is what IT needs to know."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(direct_info(host, port))
        self.host, self.port = host, port

    async def run(self, scope: CheckScope) -> CheckResult:
        """Try the host without the proxy; open or blocked, the check passes and says which."""
        table = await route_table(scope.run)
        if not table.any_proxy:
            return skipped(Cause.SKIPPED_NOT_APPLICABLE, tr("No proxy is in use, so direct access is the route."))
        addresses = scope.run.dns_facts(self.host).addresses
        host = self.host
        if not addresses:
            return passed(
                tr(
                    "Without the proxy, {host} cannot even be looked up: only the proxy reaches the platform.",
                    host=host,
                ),
                {"direct": "no_dns"},
            )
        scope.progress(0.3, tr("Trying {host} without the proxy", host=host))
        port = scope.run.network.dial_port(self.host, self.port)
        connection = await happy_eyeballs(addresses, port, scope.run.profile.timeouts.connect)
        connection.close()
        evidence = {"attempts": [a.as_evidence() for a in connection.attempts]}
        if connection.winner is not None:
            return passed(
                tr("{host} is also reachable directly, without the proxy.", host=host), {"direct": "open", **evidence}
            )
        return passed(
            tr("Direct access to {host} is blocked: only the proxy gets through.", host=host),
            {"direct": "blocked", **evidence},
        )
