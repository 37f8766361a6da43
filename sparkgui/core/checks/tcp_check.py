"""TCP checks: can this machine open a connection to the platform on its port (443)?

`tcp:` races the addresses with Happy Eyeballs; `ipv6:` reports, separately, an IPv6 path that is offered
but broken while IPv4 carries the connection, so it costs no time and is never a failure.
"""

from __future__ import annotations

import errno
from collections.abc import Sequence
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, skipped, warned
from sparkgui.core.checks.proxy_diagnosis import diagnose_tunnel
from sparkgui.core.context import CheckScope
from sparkgui.core.facts import TcpFacts
from sparkgui.core.i18n import Text, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.net.connector import Attempt, Outcome, family_of, happy_eyeballs
from sparkgui.core.net.resolver import Rcode
from sparkgui.core.transport import open_stream, route_to


def tcp_info(host: str, port: int) -> CheckInfo:
    """Describe the TCP check of `host:port`; it needs the host's DNS check."""
    return CheckInfo(
        CheckId.tcp(host, port),
        (CheckId.dns(host),),
        tr("Connection to {host} on TCP port {port}", host=host, port=port),
    )


def ipv6_info(host: str, port: int) -> CheckInfo:
    """Describe the IPv6 check of `host:port`; it builds on the TCP check's attempts."""
    return CheckInfo(CheckId.ipv6(host, port), (CheckId.tcp(host, port),), tr("IPv6 path to {host}", host=host))


class TcpCheck(Check):
    """The TCP check: one connection over the run's route, and why it failed when it did."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(tcp_info(host, port))
        self.host, self.port = host, port

    async def run(self, scope: CheckScope) -> CheckResult:
        """Connect over the run's route (direct or via the proxy); tell refused, unreachable and dropped apart."""
        scope.progress(0.1, tr("Connecting to {host} on port {port}", host=self.host, port=self.port))
        stream = await open_stream(scope, self.host, self.port)
        stream.close()
        if stream.tunnel is not None:
            return diagnose_tunnel(stream.tunnel, self.host, self.port, stream.route)
        assert stream.connection is not None
        connection = stream.connection
        evidence: dict[str, Any] = {
            "port": self.port,
            "route": stream.route.as_evidence(),
            "attempts": [a.as_evidence() for a in connection.attempts],
            "elapsed_ms": connection.elapsed_ms,
        }
        winner = connection.winner
        if winner is not None:
            evidence["connected_to"] = winner.address
            return passed(
                tr(
                    "{host} accepts connections on TCP port {port} ({ms} ms).",
                    host=self.host,
                    port=self.port,
                    ms=winner.elapsed_ms,
                ),
                evidence,
                TcpFacts(tuple(connection.attempts)),
            )
        return self._diagnose(connection.attempts, evidence)

    def _diagnose(self, attempts: list[Attempt], evidence: dict[str, Any]) -> CheckResult:
        outcome = deciding_outcome(attempts)
        host, port = self.host, self.port
        allow = tr("Ask the venue's IT to allow outgoing TCP port {port} to {host} (HTTPS).", host=host, port=port)
        if outcome is Outcome.REFUSED:
            return failed(
                Cause.TCP_REFUSED,
                tr("Connections to {host} on port {port} are actively rejected.", host=host, port=port),
                allow,
                evidence,
            )
        if outcome is Outcome.UNREACHABLE and any(_host_unreachable(a.detail) for a in attempts):
            # ICMP "host unreachable", and the "host / administratively prohibited" a firewall's reject rule
            # sends (the firewalld default), all reach the program as one error: say both.
            return failed(
                Cause.TCP_UNREACHABLE,
                tr(
                    "{host} cannot be reached on port {port}: the network answers that there is no route to it, "
                    "which is also how a firewall rule that rejects the connection shows.",
                    host=host,
                    port=port,
                ),
                tr(
                    "Ask the venue's IT to allow outgoing TCP port {port} to {host}, and to check the Internet route "
                    "(gateway, firewall) towards it.",
                    host=host,
                    port=port,
                ),
                evidence,
            )
        if outcome is Outcome.UNREACHABLE:
            return failed(
                Cause.TCP_UNREACHABLE,
                tr("There is no network route to {host}.", host=host),
                tr(
                    "Ask the venue's IT to check the Internet route (gateway, firewall) towards {host} "
                    "on TCP port {port}.",
                    host=host,
                    port=port,
                ),
                evidence,
            )
        return failed(
            Cause.TCP_TIMEOUT,
            tr("Connections to {host} on port {port} are silently dropped (no answer).", host=host, port=port),
            allow,
            evidence,
        )


def deciding_outcome(attempts: Sequence[Attempt]) -> Outcome:
    """The failure that tells the story: IPv4's if it was tried (most clients rely on it), else IPv6's."""
    tried = [a for a in attempts if a.outcome not in (Outcome.ABANDONED,)]
    for family in (4, 6):
        outcomes = [a.outcome for a in tried if a.family == family]
        for outcome in (Outcome.REFUSED, Outcome.TIMEOUT, Outcome.UNREACHABLE, Outcome.ERROR):
            if outcome in outcomes:
                return outcome
    return Outcome.TIMEOUT


class Ipv6Check(Check):
    """The IPv6 check: does an offered IPv6 path work? A broken one is only a warning."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(ipv6_info(host, port))
        self.host, self.port = host, port

    async def run(self, scope: CheckScope) -> CheckResult:
        """Judge IPv6 from the TCP check's attempts; try IPv6 alone if IPv4 won before IPv6 answered."""
        route = await route_to(scope, self.host, self.port)
        if route.proxy is not None:
            return skipped(
                Cause.SKIPPED_NOT_APPLICABLE,
                tr(
                    "The proxy {proxy} connects to {host} for this computer, so this computer's IPv6 is not used.",
                    proxy=route.proxy.address,
                    host=self.host,
                ),
            )
        dns = scope.run.dns_facts(self.host)
        addresses = [a for a in dns.addresses if family_of(a) == 6]
        if not addresses:
            if dns.aaaa_rcode in (Rcode.TIMEOUT, Rcode.SERVFAIL):  # unknown, not "none"
                return skipped(
                    Cause.SKIPPED_NOT_APPLICABLE,
                    tr(
                        "The IPv6 address lookup for {host} got no answer, so IPv6 could not be checked.",
                        host=self.host,
                    ),
                    {"aaaa_rcode": str(dns.aaaa_rcode)},
                )
            return skipped(
                Cause.SKIPPED_NOT_APPLICABLE, tr("{host} has no IPv6 address, so only IPv4 is used.", host=self.host)
            )
        known = scope.run.tcp_facts(self.host, self.port).attempts
        v6 = [a for a in known if a.family == 6 and a.outcome is not Outcome.ABANDONED]
        if not v6:  # IPv4 won before IPv6 had an answer: ask IPv6 on its own
            scope.progress(0.2, tr("Trying IPv6 to {host}", host=self.host))
            port = scope.run.network.dial_port(self.host, self.port)
            connection = await happy_eyeballs(addresses, port, scope.run.profile.timeouts.connect)
            connection.close()
            v6 = connection.attempts
        evidence = {"attempts": [a.as_evidence() for a in v6]}
        if any(a.outcome is Outcome.CONNECTED for a in v6):
            return passed(tr("IPv6 to {host} works.", host=self.host), evidence)
        outcome = deciding_outcome(v6)
        return warned(
            Cause.IPV6_BROKEN,
            tr(
                "{host} offers IPv6 but the IPv6 path does not work ({outcome}); IPv4 carried the check.",
                host=self.host,
                outcome=_outcome_text(outcome),
            ),
            tr(
                "Ask the venue's IT to fix IPv6 routing to {host} on TCP port {port}, or to stop announcing IPv6 "
                "on this network; some devices wait for IPv6 before falling back.",
                host=self.host,
                port=self.port,
            ),
            evidence,
        )


def _outcome_text(outcome: Outcome) -> Text:
    texts = {
        Outcome.REFUSED: tr("rejected"),
        Outcome.UNREACHABLE: tr("no route"),
        Outcome.TIMEOUT: tr("no answer"),
    }
    return texts.get(outcome, tr("error"))


def _host_unreachable(detail: str) -> bool:
    """The attempt ended with "no route to host" (EHOSTUNREACH), as a firewall's reject rule also causes."""
    codes = {errno.EHOSTUNREACH, getattr(errno, "WSAEHOSTUNREACH", 10065)}
    return any(f"[Errno {code}]" in detail or f"[WinError {code}]" in detail for code in codes)
