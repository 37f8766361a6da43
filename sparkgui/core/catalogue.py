"""What each cause means: one entry per cause code, shared by every place that shows a cause.

The verdict, the window, the CLI, Copy for IT and the PDF all read it, so a cause has one family, one
severity, one phrase and one rule wherever it is shown.

Where a cause is produced: the checks in `sparkgui.core.checks`, each named after what it tests. Where its
words and its rule live: here. A cause added to `Cause` without an entry fails `tests/unit/test_catalogue.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sparkgui.core.causes import Cause
from sparkgui.core.i18n import Text, tr


class Family(StrEnum):
    """Who owns a problem: the part of the network (or of the tool) that must change."""

    DNS = "dns"
    FIREWALL = "firewall"
    TLS = "tls"
    PROXY = "proxy"
    WEBSOCKET = "websocket"
    QUALITY = "quality"
    PLATFORM = "platform"  # the platform itself answered wrongly: no network change fixes it
    CHECKER = "checker"  # sparkgui itself failed, or the check did not run


class Severity(StrEnum):
    """How bad a cause is when it stands alone; a problem's own severity is its worst check's status."""

    FAIL = "fail"
    WARN = "warn"
    NONE = "none"  # not a problem: passed, or did not run


class Scope(StrEnum):
    """How many problems one cause makes when several checks report it.

    NETWORK: one for the whole run (a dead resolver, the proxy's sign-in); DOMAIN: one per registrable
    domain (the firewall blocks *.sparkup.app); HOST: one per host (one host's certificate is wrong).
    """

    NETWORK = "network"
    DOMAIN = "domain"
    HOST = "host"


class LocalFix(StrEnum):
    """Whether the person at this laptop can fix it without the venue's IT."""

    NONE = "none"
    SIGN_IN = "sign_in"  # give the proxy's user name and password
    SETTING = "setting"  # change a setting on this computer


@dataclass(frozen=True)
class RuleSpec:
    """The rule IT must apply, as data: who owns it and the action, filled from the problem's targets.

    The action's placeholders are `{host}` (every host of the problem, joined), `{domain}`, `{port}`,
    `{proxy}` and `{minutes}`; `cut_after` adds "Today they are cut after N s." when the evidence says so.
    """

    label: Text
    action: Text
    cut_after: bool = False


@dataclass(frozen=True)
class CauseEntry:
    """Everything the product says about one cause."""

    cause: Cause
    family: Family
    severity: Severity
    scope: Scope
    phrase: Text | None  # completes "Not ready: …"; `{platform}` is the platform's name
    rule: RuleSpec | None
    local_fix: LocalFix = LocalFix.NONE

    @property
    def is_problem(self) -> bool:
        """Whether a check ending with this cause is something to fix."""
        return self.severity is not Severity.NONE


# -- phrases ---------------------------------------------------------------------------------------------------
_DNS_PHRASE = tr("the venue's DNS does not find {platform}")
_FIREWALL_PHRASE = tr("the firewall blocks connections to {platform}")
_TLS_PHRASE = tr("secure connections to {platform} fail")
_HTTP_PHRASE = tr("{platform} does not answer as expected")
_PROXY_PHRASE = tr("the proxy does not let {platform} through")
_WS_PHRASE = tr("WebSockets are blocked")
_WS_CUT_PHRASE = tr("live connections (WebSockets) are cut during the session")
_QUALITY_PHRASE = tr("the connection is too slow or unstable")
_SLOW_LINK_PHRASE = tr("the Internet link is too slow for the event")
_CHECKER_PHRASE = tr("some checks failed")

# -- rules -----------------------------------------------------------------------------------------------------
_DNS_RESOLVE = RuleSpec(
    tr("DNS"),
    tr("The DNS servers handed out by DHCP must resolve {host} (allow *.{domain}) to its public addresses."),
)
_DNS_TIMEOUT = RuleSpec(
    tr("DNS"), tr("The DNS servers handed out by DHCP must answer (UDP and TCP port 53) and resolve {host}.")
)
_DNS_NO_RESOLVER = RuleSpec(
    tr("DNS"), tr("DHCP must hand out working DNS servers to every device on the event's network.")
)
_DNS_HIJACKED = RuleSpec(
    tr("DNS"),
    tr(
        "Resolve {host} to its real public addresses: no DNS filter, block page or captive-portal redirection "
        "for *.{domain}."
    ),
)
_DNS_SLOW = RuleSpec(
    tr("DNS"),
    tr("The DNS servers handed out by DHCP must answer quickly (well under a second): check their load and uplink."),
)
_CLOCK = RuleSpec(
    tr("This computer"), tr("Set this computer's date and time (automatic time), then run the check again.")
)
_MTU = RuleSpec(
    tr("Router"),
    tr(
        'Let ICMP "fragmentation needed" (type 3, code 4) and ICMPv6 "packet too big" (type 2) reach the '
        "devices, or clamp the TCP MSS on the venue's router (for example to 1360)."
    ),
)
_DNS_SYSTEM = RuleSpec(
    tr("DNS"),
    tr("Every DNS server handed out by DHCP must answer at once, IPv6 (AAAA) questions included, even when empty."),
)
_DNS_LOCAL_SETTINGS = RuleSpec(
    tr("This computer"), tr("Check this computer's VPN and DNS settings: it must use the venue's DNS servers.")
)
_HOSTS_FILE = RuleSpec(tr("This computer"), tr("Remove the lines for {host} from this computer's hosts file."))
_TCP_ALLOW = RuleSpec(
    tr("Firewall"),
    tr("Allow outgoing TCP {port} to {host} (HTTPS and secure WebSocket), by host name: its addresses can change."),
)
_TCP_ROUTE = RuleSpec(
    tr("Routing"), tr("Give this network a route to {host} on TCP {port} (gateway, firewall): it has none today.")
)
_IPV6 = RuleSpec(tr("IPv6"), tr("Route IPv6 to {host} on TCP {port}, or stop announcing IPv6 on this network."))
_TLS_INSPECTION = RuleSpec(
    tr("TLS inspection"),
    tr(
        "Exempt {host} (TCP {port}) from TLS inspection (SSL decryption): let the platform's own certificate "
        "through; inspection breaks WebSockets."
    ),
)
_TLS_FILTER = RuleSpec(
    tr("TLS filtering"), tr("Allow TLS to {host} on TCP {port}: check SNI, URL-category and application-control rules.")
)
_NO_REDIRECTION = RuleSpec(
    tr("Redirection"),
    tr(
        "Let {host} through on TCP {port} untouched: no captive portal, filter or proxy may answer in its place "
        "(if this computer's clock is wrong, fix it first)."
    ),
)
_CAPTIVE_PORTAL = RuleSpec(
    tr("Captive portal"),
    tr(
        "Add *.{domain} to the captive portal's walled garden (reachable before sign-in), or make every device sign in."
    ),
)
_WEB_FILTER = RuleSpec(tr("Web filter"), tr("Allow *.{domain} in the web filter or proxy (HTTPS, TCP {port})."))
_HTTP_CUT = RuleSpec(
    tr("Proxy / IPS"),
    tr("Let HTTPS requests to {host} (TCP {port}) through the proxy, filter or IPS without holding or cutting them."),
)
_PLATFORM = RuleSpec(
    tr("Platform"),
    tr(
        "No network change is known to fix this: {host} itself answered wrongly; send the JSON report to the "
        "platform's support."
    ),
)
_PROXY_AUTH = RuleSpec(
    tr("Proxy exemption"),
    tr(
        "Let *.{domain} (TCP {port}) through the proxy without authentication, or exempt it from the proxy: "
        "attendees' phones cannot sign in to a proxy."
    ),
)
_PROXY_ACL = RuleSpec(tr("Proxy"), tr("Allow CONNECT to {host}:{port} in the proxy's rules (ACL)."))
_PROXY_UPSTREAM = RuleSpec(
    tr("Proxy"),
    tr(
        "Make sure the proxy {proxy} itself can resolve {host} and reach it on TCP {port} (its DNS server and the "
        "firewall behind it)."
    ),
)
_PROXY_UNREACHABLE = RuleSpec(
    tr("Proxy"),
    tr("Make the proxy {proxy} reachable from this network, or allow direct outgoing TCP {port} to *.{domain}."),
)
_PROXY_SILENT = RuleSpec(
    tr("Proxy"),
    tr(
        "Make the proxy {proxy} answer CONNECT requests to {host} on TCP {port} (it accepts connections, then says "
        "nothing), or allow direct outgoing TCP {port} to *.{domain}."
    ),
)
_PROXY_NOT_A_PROXY = RuleSpec(
    tr("Proxy"),
    tr(
        "Check that {proxy} is an HTTP proxy that answers CONNECT requests to {host} on TCP {port}: the device "
        "there answers, but not as a proxy does."
    ),
)
_PROXY_SETTING = RuleSpec(
    tr("Proxy setting"),
    tr(
        "Correct the proxy setting on this computer (the environment or the system's proxy settings), or "
        "choose the proxy by hand in sparkgui."
    ),
)
_PROXY_PAC = RuleSpec(
    tr("Proxy"),
    tr(
        "Fix the proxy auto-configuration (PAC) file so that it can be fetched and evaluated: until then, browsers "
        "here wait for it, then connect directly."
    ),
)
_WS_UPGRADE = RuleSpec(
    tr("WebSocket"),
    tr(
        "Allow WebSocket upgrades (wss://, HTTP Upgrade: websocket) to {host} on TCP {port} in the firewall "
        "and the proxy."
    ),
)
_WS_IDLE = RuleSpec(
    tr("WebSocket idle timeout"),
    tr(
        "Keep WebSocket connections to {host} (TCP {port}) open: idle timeout of at least {minutes} minutes on "
        "the firewall, the proxy and NAT."
    ),
    cut_after=True,
)
_WS_FLOOD = RuleSpec(
    tr("WebSocket"),
    tr(
        "Find what injects data into WebSocket connections to {host} (TCP {port}): the platform sends only what it "
        "is asked for, so a proxy, an IPS or another server answers in its place."
    ),
)
_QUALITY = RuleSpec(
    tr("Capacity"),
    tr(
        "Check the Internet link and the Wi-Fi capacity reserved for the event: the connection quality is below "
        "the platform's needs."
    ),
)
_CHECKER = RuleSpec(
    tr("Checker"), tr("No network rule: the checker itself failed; send the JSON report to sparkgui's support.")
)

F, W, N = Severity.FAIL, Severity.WARN, Severity.NONE
NET, DOM, HOST = Scope.NETWORK, Scope.DOMAIN, Scope.HOST


def _entry(
    cause: Cause,
    family: Family,
    severity: Severity,
    scope: Scope,
    phrase: Text | None,
    rule: RuleSpec | None,
    local_fix: LocalFix = LocalFix.NONE,
) -> tuple[Cause, CauseEntry]:
    return cause, CauseEntry(cause, family, severity, scope, phrase, rule, local_fix)


CATALOGUE: dict[Cause, CauseEntry] = dict(
    [
        _entry(Cause.OK, Family.CHECKER, N, HOST, None, None),
        _entry(Cause.DNS_NXDOMAIN, Family.DNS, F, DOM, _DNS_PHRASE, _DNS_RESOLVE),
        _entry(Cause.DNS_NO_ADDRESS, Family.DNS, F, DOM, _DNS_PHRASE, _DNS_RESOLVE),
        _entry(Cause.DNS_SERVFAIL, Family.DNS, F, DOM, _DNS_PHRASE, _DNS_RESOLVE),
        _entry(Cause.DNS_TIMEOUT, Family.DNS, F, NET, _DNS_PHRASE, _DNS_TIMEOUT),
        _entry(Cause.DNS_NO_RESOLVER, Family.DNS, F, NET, _DNS_PHRASE, _DNS_NO_RESOLVER),
        _entry(Cause.DNS_HIJACKED, Family.DNS, F, NET, _DNS_PHRASE, _DNS_HIJACKED),
        _entry(Cause.DNS_SLOW, Family.DNS, W, NET, tr("the venue's DNS answers slowly"), _DNS_SLOW),
        _entry(Cause.DNS_SYSTEM_SLOW, Family.DNS, W, NET, tr("this computer's own DNS lookups are slow"), _DNS_SYSTEM),
        _entry(
            Cause.DNS_SYSTEM_DIFFERS,
            Family.DNS,
            W,
            NET,
            tr("this computer looks the platform up elsewhere"),
            _DNS_LOCAL_SETTINGS,
            LocalFix.SETTING,
        ),
        _entry(
            Cause.DNS_HOSTS_OVERRIDE,
            Family.DNS,
            W,
            HOST,
            tr("this computer's hosts file redirects {platform}"),
            _HOSTS_FILE,
            LocalFix.SETTING,
        ),
        _entry(Cause.TCP_REFUSED, Family.FIREWALL, F, DOM, _FIREWALL_PHRASE, _TCP_ALLOW),
        _entry(Cause.TCP_TIMEOUT, Family.FIREWALL, F, DOM, _FIREWALL_PHRASE, _TCP_ALLOW),
        _entry(Cause.TCP_UNREACHABLE, Family.FIREWALL, F, DOM, _FIREWALL_PHRASE, _TCP_ROUTE),
        _entry(
            Cause.IPV6_BROKEN, Family.FIREWALL, W, NET, tr("IPv6 connections to {platform} fail (IPv4 works)"), _IPV6
        ),
        _entry(
            Cause.TLS_INTERCEPTED,
            Family.TLS,
            W,
            NET,
            tr("the network inspects secure connections (TLS inspection)"),
            _TLS_INSPECTION,
        ),
        _entry(Cause.TLS_UNTRUSTED, Family.TLS, F, NET, _TLS_PHRASE, _TLS_INSPECTION),
        _entry(Cause.TLS_HOSTNAME_MISMATCH, Family.TLS, F, HOST, _TLS_PHRASE, _NO_REDIRECTION),
        _entry(Cause.TLS_EXPIRED, Family.TLS, F, HOST, _TLS_PHRASE, _NO_REDIRECTION),
        _entry(
            Cause.NET_MTU_BLACKHOLE,
            Family.FIREWALL,
            F,
            NET,
            tr("large packets are lost on the way to {platform} (a path-MTU black hole)"),
            _MTU,
        ),
        _entry(
            Cause.HOST_CLOCK_WRONG,
            Family.TLS,
            F,
            NET,
            tr("this computer's clock is wrong"),
            _CLOCK,
            LocalFix.SETTING,
        ),
        _entry(Cause.TLS_BLOCKED, Family.TLS, F, DOM, _TLS_PHRASE, _TLS_FILTER),
        _entry(Cause.TLS_TIMEOUT, Family.TLS, F, DOM, _TLS_PHRASE, _TLS_FILTER),
        _entry(Cause.TLS_HANDSHAKE_FAILED, Family.TLS, F, DOM, _TLS_PHRASE, _TLS_FILTER),
        _entry(
            Cause.HTTP_CAPTIVE_PORTAL,
            Family.FIREWALL,
            F,
            NET,
            tr("a captive portal stands in the way"),
            _CAPTIVE_PORTAL,
        ),
        _entry(Cause.HTTP_BLOCKED, Family.FIREWALL, F, DOM, tr("a web filter blocks {platform}"), _WEB_FILTER),
        _entry(Cause.HTTP_UNEXPECTED_STATUS, Family.PLATFORM, F, HOST, _HTTP_PHRASE, _PLATFORM),
        _entry(Cause.HTTP_REDIRECT_LOOP, Family.PLATFORM, F, HOST, _HTTP_PHRASE, _PLATFORM),
        _entry(Cause.HTTP_TIMEOUT, Family.FIREWALL, F, DOM, _HTTP_PHRASE, _HTTP_CUT),
        _entry(Cause.HTTP_CONNECTION_LOST, Family.FIREWALL, F, DOM, _HTTP_PHRASE, _HTTP_CUT),
        _entry(Cause.HTTP_INVALID_RESPONSE, Family.FIREWALL, F, DOM, _HTTP_PHRASE, _HTTP_CUT),
        _entry(Cause.PROXY_AUTH_REQUIRED, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_AUTH, LocalFix.SIGN_IN),
        _entry(Cause.PROXY_AUTH_FAILED, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_AUTH, LocalFix.SIGN_IN),
        _entry(Cause.PROXY_CONNECT_DENIED, Family.PROXY, F, DOM, _PROXY_PHRASE, _PROXY_ACL),
        _entry(Cause.PROXY_UNREACHABLE, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_UNREACHABLE, LocalFix.SETTING),
        _entry(Cause.PROXY_UPSTREAM_FAILED, Family.PROXY, F, DOM, _PROXY_PHRASE, _PROXY_UPSTREAM),
        _entry(Cause.PROXY_NO_ANSWER, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_SILENT),
        _entry(Cause.PROXY_PAC_ERROR, Family.PROXY, W, NET, _PROXY_PHRASE, _PROXY_PAC),
        _entry(Cause.PROXY_INVALID_RESPONSE, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_NOT_A_PROXY, LocalFix.SETTING),
        _entry(Cause.PROXY_BAD_SETTING, Family.PROXY, F, NET, _PROXY_PHRASE, _PROXY_SETTING, LocalFix.SETTING),
        _entry(Cause.WS_UPGRADE_REJECTED, Family.WEBSOCKET, F, DOM, _WS_PHRASE, _WS_UPGRADE),
        _entry(Cause.WS_HANDSHAKE_TIMEOUT, Family.WEBSOCKET, F, DOM, _WS_PHRASE, _WS_UPGRADE),
        _entry(Cause.WS_ECHO_FAILED, Family.WEBSOCKET, F, DOM, _WS_PHRASE, _WS_UPGRADE),
        _entry(Cause.WS_DROPPED, Family.WEBSOCKET, F, DOM, _WS_CUT_PHRASE, _WS_IDLE),
        _entry(Cause.WS_IDLE_TIMEOUT, Family.WEBSOCKET, F, DOM, _WS_CUT_PHRASE, _WS_IDLE),
        _entry(
            Cause.WS_FLOOD,
            Family.WEBSOCKET,
            F,
            DOM,
            tr("live connections (WebSockets) receive a flood of data nobody asked for"),
            _WS_FLOOD,
        ),
        _entry(Cause.NET_HIGH_LATENCY, Family.QUALITY, W, NET, _QUALITY_PHRASE, _QUALITY),
        _entry(Cause.NET_JITTER, Family.QUALITY, W, NET, _QUALITY_PHRASE, _QUALITY),
        _entry(Cause.NET_PACKET_LOSS, Family.QUALITY, W, NET, _QUALITY_PHRASE, _QUALITY),
        _entry(Cause.NET_LOW_BANDWIDTH, Family.QUALITY, W, NET, _SLOW_LINK_PHRASE, _QUALITY),
        _entry(Cause.NET_TRANSFER_INTERRUPTED, Family.QUALITY, W, NET, _QUALITY_PHRASE, _QUALITY),
        _entry(Cause.SKIPPED_PREREQUISITE, Family.CHECKER, N, HOST, None, None),
        _entry(Cause.SKIPPED_CANCELLED, Family.CHECKER, N, HOST, None, None),
        _entry(Cause.SKIPPED_NOT_APPLICABLE, Family.CHECKER, N, HOST, None, None),
        _entry(Cause.INTERNAL_ERROR, Family.CHECKER, F, NET, _CHECKER_PHRASE, _CHECKER),
    ]
)

# A cause code this version does not know (a newer report) still gets its family's words and rule.
_BY_PREFIX: dict[str, CauseEntry] = {
    "dns": CATALOGUE[Cause.DNS_NXDOMAIN],
    "tcp": CATALOGUE[Cause.TCP_REFUSED],
    "ipv6": CATALOGUE[Cause.IPV6_BROKEN],
    "tls": CATALOGUE[Cause.TLS_BLOCKED],
    "http": CATALOGUE[Cause.HTTP_TIMEOUT],
    "proxy": CATALOGUE[Cause.PROXY_CONNECT_DENIED],
    "ws": CATALOGUE[Cause.WS_UPGRADE_REJECTED],
    "net": CATALOGUE[Cause.NET_HIGH_LATENCY],
}


def entry(cause: Cause) -> CauseEntry:
    """The catalogue entry of a cause."""
    return CATALOGUE[cause]


def entry_for_code(code: str) -> CauseEntry | None:
    """The entry of a cause code read from a report: its own, its family's for a newer code, else None."""
    try:
        return CATALOGUE[Cause(code)]
    except ValueError:
        return _BY_PREFIX.get(code.split(".", 1)[0])
