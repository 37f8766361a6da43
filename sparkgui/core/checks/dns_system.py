"""Where this computer's own lookup (the browser's) disagrees with the resolvers asked directly.

Three named findings, each a warning with its fix:
- a hosts-file line that sends the name elsewhere;
- addresses of another kind (private where the venue's DNS gives public ones: a VPN's split DNS, a DNS
  suffix); two different public sets are a CDN rotating its addresses, not a finding;
- a lookup several times slower for a reason the direct answers show (a resolver that ignores AAAA
  questions, a first resolver that never answers). A slowness they cannot explain (one lost packet) stays
  in the evidence only: one sample is not a finding.
"""

from __future__ import annotations

import contextlib
import ipaddress
from collections.abc import Sequence
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import warned
from sparkgui.core.facts import DnsFacts
from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckResult
from sparkgui.core.net.resolver import Lookup, Rcode
from sparkgui.core.net.system_lookup import SystemLookup, hosts_file_addresses

SLOWER_FACTOR = 3  # "several times slower"
SLOWER_BY_MS = 1000  # and by at least this much: a 20 ms lookup taking 60 ms is no finding


def system_finding(
    host: str, found: Lookup, system: SystemLookup, evidence: dict[str, Any], facts: DnsFacts
) -> CheckResult | None:
    """A warning when the OS's lookup of `host` differs from what the resolvers said, else None."""
    evidence = {**evidence, "system_lookup": system.as_evidence()}
    direct = set(found.addresses)
    reason = _slowness_reason(found, system)
    if reason is not None:
        return warned(
            Cause.DNS_SYSTEM_SLOW,
            tr(
                "This computer's own lookup of {host} takes {ms} ms, while the DNS servers answer in {direct} ms: "
                "{reason} The browser waits that long for every new name.",
                host=host,
                ms=system.elapsed_ms,
                direct=found.elapsed_ms,
                reason=reason,
            ),
            tr(
                "Ask the venue's IT to make every DNS server handed out by DHCP answer at once, IPv6 (AAAA) "
                "questions included, even with an empty answer."
            ),
            evidence,
            facts,
        )
    if system.error or not system.addresses or set(system.addresses) & direct:
        return None  # it failed for its own reason (seen in the evidence), or agrees on an address
    listed = hosts_file_addresses(host)
    if listed and set(listed) & set(system.addresses):
        return warned(
            Cause.DNS_HOSTS_OVERRIDE,
            tr(
                "This computer's hosts file sends {host} to {addresses}, not to the platform's {platform}: "
                "the browser goes there.",
                host=host,
                addresses=", ".join(listed),
                platform=", ".join(found.addresses[:4]),
            ),
            tr("Remove the line for {host} from this computer's hosts file, then check again.", host=host),
            {**evidence, "hosts_file": list(listed)},
            facts,
        )
    if _reach(system.addresses) == _reach(found.addresses):
        return None  # public and public (a CDN rotating its addresses), or private and private: not a finding
    return warned(
        Cause.DNS_SYSTEM_DIFFERS,
        tr(
            "This computer's own lookup sends {host} to {addresses}, not to {platform} as the venue's DNS "
            "servers do: a VPN, a DNS suffix or another resolver decides for the browser.",
            host=host,
            addresses=", ".join(system.addresses[:4]),
            platform=", ".join(found.addresses[:4]),
        ),
        tr(
            "Check this computer's VPN and DNS settings; on the event's network the browser must get the same "
            "addresses as the venue's DNS servers give."
        ),
        evidence,
        facts,
    )


def _reach(addresses: Sequence[str]) -> set[bool]:
    """Which kinds the addresses are: public (True) and private or special (False).

    A VPN's split DNS gives private ones where the venue's DNS gives public ones.
    """
    kinds = set()
    for address in addresses:
        with contextlib.suppress(ValueError):
            kinds.add(ipaddress.ip_address(address.split("%", 1)[0]).is_global)
    return kinds


def _slowness_reason(found: Lookup, system: SystemLookup) -> Text | None:
    """Why the OS's lookup is several times slower, when the direct answers show it; None otherwise."""
    slow = system.timed_out or (
        system.elapsed_ms > SLOWER_FACTOR * found.elapsed_ms and system.elapsed_ms > found.elapsed_ms + SLOWER_BY_MS
    )
    if not slow:
        return None
    if Rcode.TIMEOUT in (found.a.rcode, found.aaaa.rcode):
        kind = "AAAA (IPv6)" if found.aaaa.rcode is Rcode.TIMEOUT else "A (IPv4)"
        return tr("the DNS server does not answer {kind} questions in time, and the system waits for them.", kind=kind)
    first = found.resolvers[0] if found.resolvers else ""
    answered = {q.server for q in (found.a, found.aaaa) if q.server}
    if first and answered and first not in answered:
        return tr("the first DNS server, {server}, does not answer, and the system waits for it.", server=first)
    return None
