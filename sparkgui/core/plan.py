"""From a profile to the checks to run, with their prerequisites: dns → tcp → tls → https per endpoint."""

from __future__ import annotations

from sparkgui.core.checks.base import Check
from sparkgui.core.checks.dns_check import DnsCheck
from sparkgui.core.checks.https_check import HttpsCheck
from sparkgui.core.checks.proxy_checks import DirectAccessCheck, ProxyDiscoveryCheck
from sparkgui.core.checks.tcp_check import Ipv6Check, TcpCheck
from sparkgui.core.checks.tls_check import TlsCheck
from sparkgui.core.profile import Profile


def plan_checks(profile: Profile) -> list[Check]:
    """Every check for the profile, each host and port checked once even when several endpoints share it."""
    checks: dict[str, Check] = {}

    def add(check: Check) -> None:
        checks.setdefault(check.info.id, check)

    add(ProxyDiscoveryCheck())
    for endpoint in profile.endpoints:
        add(DnsCheck(endpoint.host))
        add(TcpCheck(endpoint.host, endpoint.port))
        add(Ipv6Check(endpoint.host, endpoint.port))
        add(TlsCheck(endpoint.host, endpoint.port))
        add(HttpsCheck(endpoint))
    first = profile.endpoints[0]
    add(DirectAccessCheck(first.host, first.port))
    return list(checks.values())
