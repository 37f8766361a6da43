"""DNS check: does the venue's resolver give the platform's real addresses for this name?"""

from __future__ import annotations

import asyncio
import ipaddress
import secrets
from dataclasses import replace
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, warned
from sparkgui.core.checks.dns_system import system_finding
from sparkgui.core.context import CheckScope, RunContext
from sparkgui.core.facts import DnsFacts
from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import amount, tr, trn
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult, Status
from sparkgui.core.net.resolver import (
    Lookup,
    NoResolverError,
    QueryOutcome,
    Rcode,
    ResolverConfig,
    lookup,
    make_resolver,
    resolver_names,
)
from sparkgui.core.net.routes import Route
from sparkgui.core.net.system_lookup import SystemLookup, system_lookup
from sparkgui.core.profile import QualitySpec
from sparkgui.core.transport import host_is_proxied

CANARY_KEY = "dns-canary"
CANARY_PARENT = "example.com"  # IANA keeps it free of wildcards: a random name under it must not exist
MAX_ADDRESSES = 16  # kept and tried: a platform has a few; a resolver that floods records gets no more


def dns_info(host: str) -> CheckInfo:
    """Describe the DNS check of `host`; it needs no other check."""
    return CheckInfo(CheckId.dns(host), (), tr("DNS lookup of {host}", host=host))


class DnsCheck(Check):
    """The DNS check: tells a missing name, a failing resolver and a hijacked answer apart."""

    def __init__(self, host: str) -> None:
        super().__init__(dns_info(host))
        self.host = host

    async def run(self, scope: CheckScope) -> CheckResult:
        """Look the host up; through a proxy, a local DNS failure is only a warning."""
        run = scope.run
        timeout = run.profile.timeouts.dns
        try:
            resolver = make_resolver(run.network.resolvers)
        except NoResolverError as exc:
            return failed(
                Cause.DNS_NO_RESOLVER,
                tr("This computer has no DNS resolver configured, so no name can be looked up."),
                tr("Ask the venue's IT to hand out working DNS servers through DHCP."),
                {"detail": str(exc)},
            )
        resolvers = ", ".join(resolver_names(resolver))
        scope.progress(0.1, tr("Asking {resolvers} for {host}", resolvers=resolvers, host=self.host))
        if run.network.dns_canary:  # asked alongside the real name, so it costs no extra round trip
            run.prefetch(CANARY_KEY, lambda: _canary_addresses(run))
        system: SystemLookup | None = None
        if _system_resolvers(run.network.resolvers):  # the browser's own lookup, compared (same deadline)
            found, system = await asyncio.gather(
                lookup(resolver, self.host, timeout), system_lookup(self.host, timeout)
            )
        else:  # resolvers chosen for this run (--resolver, a lab, the demo): the OS would ask others
            found = await lookup(resolver, self.host, timeout)
        outcome = await self._judge(run, found, timeout, system)
        proxied = await host_is_proxied(scope, self.host)
        if proxied is None or outcome.status is not Status.FAIL:
            return outcome
        return _through_proxy(outcome, proxied)

    async def _judge(
        self, run: RunContext, found: Lookup, timeout: float, system: SystemLookup | None = None
    ) -> CheckResult:
        evidence = _evidence(found)
        if system is not None:
            evidence["system_lookup"] = system.as_evidence()
        host = self.host
        if found.addresses:
            hijack = await _hijack_reason(run, found)
            if hijack:
                evidence["hijack"] = hijack
                return failed(
                    Cause.DNS_HIJACKED,
                    tr(
                        "The resolver sends {host} somewhere the platform does not live (a portal or a block page).",
                        host=host,
                    ),
                    tr(
                        "Ask the venue's IT to let the DHCP-provided DNS servers resolve {host} normally, "
                        "without a captive portal, DNS filter or redirection.",
                        host=host,
                    ),
                    evidence,
                )
            facts = DnsFacts(tuple(found.addresses[:MAX_ADDRESSES]), found.aaaa.rcode)
            slow = _slow_warning(host, found, (run.profile.quality or QualitySpec()).max_dns_ms, evidence, facts)
            if slow is not None:
                return slow
            differs = system_finding(host, found, system, evidence, facts) if system is not None else None
            if differs is not None:
                return differs
            return passed(
                trn(
                    "{host} resolves to {count} address in {ms} ms.",
                    "{host} resolves to {count} addresses in {ms} ms.",
                    len(found.addresses),
                    host=host,
                    ms=found.elapsed_ms,
                ),
                evidence,
                facts,
            )
        return _diagnose_failure(host, found, evidence, timeout)


def _system_resolvers(config: ResolverConfig) -> bool:
    """Whether the run asks the system's own resolvers: only then is the OS's lookup a fair comparison."""
    return not config.nameservers and config.resolv_conf is None


def _slow_warning(
    host: str, found: Lookup, limit_ms: float, evidence: dict[str, Any], facts: DnsFacts
) -> CheckResult | None:
    """A warning when the answer (the slower of A and AAAA that found addresses) took longer than `limit_ms`."""
    answered = [q for q in (found.a, found.aaaa) if q.addresses]
    # The resolver's own time for the answer: a lost packet sent again is the network's, not the resolver's.
    slowest = max((q.server_ms if q.server_ms is not None else q.elapsed_ms for q in answered), default=0)
    if slowest <= limit_ms:
        return None
    server = next((q.server for q in answered if q.server), "")
    return warned(
        Cause.DNS_SLOW,
        tr(
            "{host} resolves, but the DNS server took {ms} ms to answer: every page and photo waits that long.",
            host=host,
            ms=slowest,
        ),
        tr(
            "Ask the venue's IT why the DNS server {server} answers slowly (over {limit} ms): its load, its uplink or "
            "its own upstream servers.",
            server=server or ", ".join(found.resolvers),
            limit=round(limit_ms),
        ),
        {**evidence, "threshold_ms": round(limit_ms)},
        facts,
    )


def _through_proxy(outcome: CheckResult, route: Route) -> CheckResult:
    """Through a proxy, names are the proxy's job: a local DNS fault is a warning, and says so."""
    proxy = route.proxy.address if route.proxy else "?"
    return replace(
        outcome,
        status=Status.WARN,
        summary=tr(
            "{problem} Traffic goes through the proxy {proxy}, which looks names up itself, so the browser is "
            "not affected.",
            problem=outcome.summary,
            proxy=proxy,
        ),
        evidence={
            **outcome.evidence,
            "route": route.as_evidence(),
            "note": "DNS and TCP to the platform are the proxy's job on this route",
        },
    )


def _diagnose_failure(host: str, found: Lookup, evidence: dict[str, Any], timeout: float) -> CheckResult:
    rcodes = {found.a.rcode, found.aaaa.rcode}
    remedy_resolve = tr(
        "Ask the venue's IT to make the DNS servers handed out by DHCP resolve {host} (allow *.{domain}).",
        host=host,
        domain=parent_domain(host),
    )
    if Rcode.NXDOMAIN in rcodes:
        return failed(
            Cause.DNS_NXDOMAIN,
            tr("The venue's DNS says {host} does not exist.", host=host),
            remedy_resolve,
            evidence,
        )
    if Rcode.SERVFAIL in rcodes:
        return failed(
            Cause.DNS_SERVFAIL,
            tr("The venue's DNS server failed to answer for {host}.", host=host),
            remedy_resolve,
            evidence,
        )
    if Rcode.TIMEOUT in rcodes:
        return failed(
            Cause.DNS_TIMEOUT,
            tr("No DNS server answered for {host} within {seconds} s.", host=host, seconds=amount(timeout)),
            tr(
                "Ask the venue's IT to check that the DNS servers handed out by DHCP are reachable and answer "
                "(UDP and TCP port 53)."
            ),
            evidence,
        )
    return failed(
        Cause.DNS_NO_ADDRESS,
        tr("{host} exists in the venue's DNS but has no address.", host=host),
        remedy_resolve,
        evidence,
    )


async def _hijack_reason(run: RunContext, found: Lookup) -> str:
    """Why the answer cannot be the platform's, or '' when it looks genuine."""
    sinkholes = [a for a in found.addresses if ipaddress.ip_address(a).is_unspecified]
    if sinkholes:
        return f"answered with {', '.join(sinkholes)}, the address DNS filters use to block a name"
    if not run.network.dns_canary:
        return ""
    canary: tuple[str, ...] = await run.shared(CANARY_KEY, lambda: _canary_addresses(run))
    shared = sorted(set(canary) & set(found.addresses))
    if shared:
        return f"a name that cannot exist resolved to the same address ({', '.join(shared)})"
    return ""


async def _canary_addresses(run: RunContext) -> tuple[str, ...]:
    """Addresses the resolver gives for a random name that does not exist: any answer at all is a lie."""
    resolver = make_resolver(run.network.resolvers)
    canary = await lookup(resolver, f"sparkgui-{secrets.token_hex(6)}.{CANARY_PARENT}", run.profile.timeouts.dns)
    return canary.addresses


def _evidence(found: Lookup) -> dict[str, Any]:
    evidence: dict[str, Any] = {
        "resolvers": list(found.resolvers),
        "addresses": list(found.addresses[:MAX_ADDRESSES]),
        "queries": [_query_evidence(q) for q in (found.a, found.aaaa)],
        "elapsed_ms": found.elapsed_ms,
    }
    if len(found.addresses) > MAX_ADDRESSES:
        evidence["addresses_total"] = len(found.addresses)
    return evidence


def _query_evidence(q: QueryOutcome) -> dict[str, Any]:
    answers = list(q.addresses[:MAX_ADDRESSES])
    data: dict[str, Any] = {"type": q.rdtype, "rcode": str(q.rcode), "answers": answers, "ms": q.elapsed_ms}
    if q.server:
        data["server"] = q.server
    if q.server_ms is not None:
        data["server_ms"] = q.server_ms
    if q.detail:
        data["detail"] = q.detail
    return data
