"""From a failed or warned check to the rule the venue's IT must apply: host names, port, protocol, setting.

Derived from the stable cause code and the check's target (not from the rendered remedy), so the rule is in
the PDF's language and is the same whoever ran the check. One rule per cause family; identical rules for
several checks are merged.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import Text, tr

PROBLEM_STATUSES = ("fail", "warn")
DEFAULT_WEBSOCKET_MINUTES = 10  # the platform's sessions keep WebSockets open this long


@dataclass(frozen=True)
class Target:
    """Where a check pointed: host and TCP port (443 unless the target says otherwise)."""

    host: str
    port: int = 443

    @property
    def domain(self) -> str:
        return parent_domain(self.host)


@dataclass(frozen=True)
class Rule:
    """One change for IT: a family (who owns it: firewall, DNS, proxy…) and the concrete action."""

    family: Text
    action: Text
    status: str  # "fail" or "warn": the worst among the merged checks
    check_ids: tuple[str, ...]
    findings: tuple[str, ...]  # the checks' summaries, as the report wrote them


def target_of(check: Mapping[str, Any]) -> Target:
    """Host and port from a check's target: `HOST`, `HOST:PORT` or a URL (`wss://HOST/ws`)."""
    target = str(check.get("target", ""))
    evidence = check.get("evidence") or {}
    if "://" in target:
        parts = urlsplit(target)
        default = 80 if parts.scheme in ("ws", "http") else 443
        try:
            port = parts.port or default
        except ValueError:
            port = default
        return Target(parts.hostname or target, port)
    host, sep, port_text = target.rpartition(":")
    if sep and port_text.isdigit() and host and ":" not in host:
        return Target(host, int(port_text))
    given = evidence.get("port") if isinstance(evidence, Mapping) else None
    return Target(target, given if isinstance(given, int) else 443)


def rules_for(checks: Iterable[Mapping[str, Any]], *, proxy: str | None = None) -> list[Rule]:
    """The rules for every failed or warned check, failures first, identical rules merged."""
    merged: dict[tuple[str, str], Rule] = {}
    for check in checks:
        status = check.get("status")
        if status not in PROBLEM_STATUSES:
            continue
        family, action = rule_text(check, proxy=proxy)
        key = (family.template + repr(sorted(family.params.items())), action.template + repr(action.params))
        previous = merged.get(key)
        summary = str(check.get("summary", ""))
        if previous is None:
            merged[key] = Rule(family, action, str(status), (str(check.get("id", "")),), (summary,))
        else:
            merged[key] = Rule(
                family,
                action,
                "fail" if "fail" in (previous.status, status) else "warn",
                (*previous.check_ids, str(check.get("id", ""))),
                (*previous.findings, summary) if summary not in previous.findings else previous.findings,
            )
    rules = list(merged.values())
    rules.sort(key=lambda rule: PROBLEM_STATUSES.index(rule.status))  # stable: keeps the checks' order
    return rules


def rule_text(check: Mapping[str, Any], *, proxy: str | None = None) -> tuple[Text, Text]:
    """(family, action) for one check, from its cause code and target."""
    cause = str(check.get("cause", ""))
    evidence = check.get("evidence") or {}
    if not isinstance(evidence, Mapping):
        evidence = {}
    target = target_of(check)
    maker = _RULES.get(cause) or _FAMILIES.get(cause.split(".", 1)[0])
    if maker is None:
        remedy = str(check.get("remedy") or check.get("summary") or cause)
        return tr("Other"), tr("{remedy}", remedy=remedy)
    return maker(target, evidence, proxy)


Maker = Callable[[Target, Mapping[str, Any], "str | None"], tuple[Text, Text]]


def _dns_resolve(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("DNS"), tr(
        "The DNS servers handed out by DHCP must resolve {host} (allow *.{domain}) to its public addresses.",
        host=t.host,
        domain=t.domain,
    )


def _dns_timeout(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("DNS"), tr(
        "The DNS servers handed out by DHCP must answer (UDP and TCP port 53) and resolve {host}.", host=t.host
    )


def _dns_no_resolver(_t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("DNS"), tr("DHCP must hand out working DNS servers to every device on the event's network.")


def _dns_hijacked(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("DNS"), tr(
        "Resolve {host} to its real public addresses: no DNS filter, block page or captive-portal redirection "
        "for *.{domain}.",
        host=t.host,
        domain=t.domain,
    )


def _tcp_allow(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Firewall"), tr(
        "Allow outgoing TCP {port} to {host} (HTTPS and secure WebSocket), by host name: its addresses can change.",
        host=t.host,
        port=t.port,
    )


def _tcp_route(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Routing"), tr(
        "Give this network a route to {host} on TCP {port} (gateway, firewall): it has none today.",
        host=t.host,
        port=t.port,
    )


def _ipv6(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("IPv6"), tr(
        "Route IPv6 to {host} on TCP {port}, or stop announcing IPv6 on this network.", host=t.host, port=t.port
    )


def _tls_inspection(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("TLS inspection"), tr(
        "Exempt {host} (TCP {port}) from TLS inspection (SSL decryption): let the platform's own certificate "
        "through; inspection breaks WebSockets.",
        host=t.host,
        port=t.port,
    )


def _tls_filter(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("TLS filtering"), tr(
        "Allow TLS to {host} on TCP {port}: check SNI, URL-category and application-control rules.",
        host=t.host,
        port=t.port,
    )


def _no_redirection(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Redirection"), tr(
        "Let {host} through on TCP {port} untouched: no captive portal, filter or proxy may answer in its place "
        "(if this computer's clock is wrong, fix it first).",
        host=t.host,
        port=t.port,
    )


def _captive_portal(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Captive portal"), tr(
        "Add *.{domain} to the captive portal's walled garden (reachable before sign-in), or make every device "
        "sign in.",
        domain=t.domain,
    )


def _web_filter(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Web filter"), tr(
        "Allow *.{domain} in the web filter or proxy (HTTPS, TCP {port}).", domain=t.domain, port=t.port
    )


def _http_cut(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Proxy / IPS"), tr(
        "Let HTTPS requests to {host} (TCP {port}) through the proxy, filter or IPS without holding or cutting them.",
        host=t.host,
        port=t.port,
    )


def _platform(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Platform"), tr(
        "No network change is known to fix this: {host} itself answered wrongly; send the JSON report to the "
        "platform's support.",
        host=t.host,
    )


def _proxy_auth(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Proxy exemption"), tr(
        "Let *.{domain} (TCP {port}) through the proxy without authentication, or exempt it from the proxy: "
        "attendees' phones cannot sign in to a proxy.",
        domain=t.domain,
        port=t.port,
    )


def _proxy_acl(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Proxy"), tr("Allow CONNECT to {host}:{port} in the proxy's rules (ACL).", host=t.host, port=t.port)


def _proxy_unreachable(t: Target, _e: Mapping[str, Any], proxy: str | None) -> tuple[Text, Text]:
    return tr("Proxy"), tr(
        "Make the proxy {proxy} reachable from this network, or allow direct outgoing TCP 443 to *.{domain}.",
        proxy=proxy or tr("configured on this computer"),
        domain=t.domain,
    )


def _proxy_pac(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Proxy"), tr(
        "Fix the proxy auto-configuration (PAC) file so it can be fetched and evaluated, or send *.{domain} "
        "DIRECT in it.",
        domain=t.domain,
    )


def _ws_upgrade(t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("WebSocket"), tr(
        "Allow WebSocket upgrades (wss://, HTTP Upgrade: websocket) to {host} on TCP {port} in the firewall "
        "and the proxy.",
        host=t.host,
        port=t.port,
    )


def _ws_idle(t: Target, evidence: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    minutes = _websocket_minutes(evidence)
    died = _number(evidence, "idle_s", "after_s")
    action = tr(
        "Keep WebSocket connections to {host} (TCP {port}) open: idle timeout of at least {minutes} minutes on "
        "the firewall, the proxy and NAT.",
        host=t.host,
        port=t.port,
        minutes=minutes,
    )
    if died is not None:
        action = tr("{rule} Today they are cut after {seconds} s.", rule=action, seconds=f"{died:g}")
    return tr("WebSocket idle timeout"), action


def _quality(t: Target, evidence: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Capacity"), tr(
        "Check the Internet link and the Wi-Fi capacity reserved for the event: the connection quality is below "
        "the platform's needs."
    )


def _internal(_t: Target, _e: Mapping[str, Any], _p: str | None) -> tuple[Text, Text]:
    return tr("Checker"), tr("No network rule: the checker itself failed; send the JSON report to sparkgui's support.")


def _websocket_minutes(evidence: Mapping[str, Any]) -> int:
    wanted = _number(evidence, "required_s", "long_hold_s", "hold_s")
    if wanted is None:
        return DEFAULT_WEBSOCKET_MINUTES
    return max(DEFAULT_WEBSOCKET_MINUTES, math.ceil(wanted / 60))


def _number(evidence: Mapping[str, Any], *keys: str) -> float | None:
    for key in keys:
        value = evidence.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


_RULES: dict[str, Maker] = {
    "dns.nxdomain": _dns_resolve,
    "dns.servfail": _dns_resolve,
    "dns.no_address": _dns_resolve,
    "dns.timeout": _dns_timeout,
    "dns.no_resolver": _dns_no_resolver,
    "dns.hijacked": _dns_hijacked,
    "tcp.refused": _tcp_allow,
    "tcp.timeout": _tcp_allow,
    "tcp.unreachable": _tcp_route,
    "ipv6.broken": _ipv6,
    "tls.intercepted": _tls_inspection,
    "tls.untrusted": _tls_inspection,
    "tls.blocked": _tls_filter,
    "tls.timeout": _tls_filter,
    "tls.handshake_failed": _tls_filter,
    "tls.hostname_mismatch": _no_redirection,
    "tls.expired": _no_redirection,
    "http.captive_portal": _captive_portal,
    "http.blocked": _web_filter,
    "http.timeout": _http_cut,
    "http.connection_lost": _http_cut,
    "http.unexpected_status": _platform,
    "proxy.auth_required": _proxy_auth,
    "proxy.auth_failed": _proxy_auth,
    "proxy.connect_denied": _proxy_acl,
    "proxy.unreachable": _proxy_unreachable,
    "proxy.pac_error": _proxy_pac,
    "ws.upgrade_rejected": _ws_upgrade,
    "ws.handshake_timeout": _ws_upgrade,
    "ws.echo_failed": _ws_upgrade,
    "ws.dropped": _ws_idle,
    "ws.idle_timeout": _ws_idle,
    "internal.error": _internal,
}
# A cause added later still gets a rule from its family.
_FAMILIES: dict[str, Maker] = {
    "dns": _dns_resolve,
    "tcp": _tcp_allow,
    "tls": _tls_filter,
    "http": _http_cut,
    "proxy": _proxy_acl,
    "ws": _ws_upgrade,
    "net": _quality,
    "ipv6": _ipv6,
}


def known_causes() -> Sequence[str]:
    """The cause codes with a rule of their own (the tests check every code of the design has one)."""
    return tuple(_RULES)
