"""From a profile to the checks to run, with their prerequisites.

Per endpoint: dns → tcp → tls → https; for the WebSocket: dns → tcp → tls of its host → ws → ws-hold.
An event-day watch plans two parts apart: quick rounds (everything but the hold) and one long hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sparkgui.core.checks.base import Check
from sparkgui.core.checks.dns_check import DnsCheck
from sparkgui.core.checks.https_check import HttpsCheck
from sparkgui.core.checks.proxy_checks import DirectAccessCheck, ProxyDiscoveryCheck
from sparkgui.core.checks.quality_check import QualityCheck, quality_info
from sparkgui.core.checks.speed_check import DOWNLOAD, PHOTO, UPLOAD, CapacityCheck, SpeedCheck, speed_ids
from sparkgui.core.checks.tcp_check import Ipv6Check, TcpCheck
from sparkgui.core.checks.tls_check import TlsCheck
from sparkgui.core.checks.ws_check import WsCheck
from sparkgui.core.checks.ws_hold import WsHoldCheck
from sparkgui.core.ids import CheckId
from sparkgui.core.profile import Profile, WebSocketSpec
from sparkgui.core.stop_flag import StopFlag


class PlanPart(StrEnum):
    """Which checks a run plans: all of them, or one of the two parts an event-day watch runs."""

    FULL = "full"  # every check
    QUICK = "quick"  # every check but the WebSocket hold: a watch's round
    HOLD = "hold"  # the WebSocket's host, the WebSocket and its hold: the watch's connection held all along


@dataclass(frozen=True)
class PlanOptions:
    """Choices of one run that the profile does not fix: which part to plan, how long to hold the WebSockets."""

    hold_seconds: float | None = None  # overrides the profile's length (`--hold SECONDS`)
    long_hold: bool = False  # use the profile's long_hold_seconds: the 10-minute test (`--long-hold`)
    part: PlanPart = PlanPart.FULL
    hold_stop: StopFlag | None = None  # set: the hold ends now, judged on what it held (a watch's end)
    attendees: int | None = None  # the audience expected (`--attendees N`): does the link carry it?

    def hold_length(self, spec: WebSocketSpec) -> float:
        """Choose how long to hold the WebSockets: `hold_seconds` if set, else the profile's long or usual hold."""
        if self.hold_seconds is not None:
            return self.hold_seconds
        return spec.long_hold_seconds if self.long_hold else spec.hold_seconds


def plan_checks(profile: Profile, options: PlanOptions | None = None) -> list[Check]:
    """Every check for the profile, each host and port checked once even when several endpoints share it."""
    options = options or PlanOptions()
    checks: dict[str, Check] = {}  # by check id

    def add(check: Check) -> None:
        checks.setdefault(check.info.id, check)

    def transport(host: str, port: int, tls: bool = True) -> None:
        add(DnsCheck(host))
        add(TcpCheck(host, port))
        add(Ipv6Check(host, port))
        if tls:
            add(TlsCheck(host, port))

    spec = profile.websocket
    if options.part is PlanPart.HOLD:
        if spec is None:
            raise ValueError("the profile has no [websocket] section: there is no connection to hold")
        transport(spec.host, spec.port, tls=spec.url.startswith("wss:"))
        add(WsCheck(spec))
        add(WsHoldCheck(spec, options.hold_length(spec), options.hold_stop))
        return list(checks.values())
    add(ProxyDiscoveryCheck())
    for endpoint in profile.endpoints:
        transport(endpoint.host, endpoint.port)
        add(HttpsCheck(endpoint))
    if spec is not None:
        # The WebSocket's host gets its own DNS/TCP/TLS checks (shared when it is also an endpoint), so a
        # fault there is diagnosed once, by them, and the WebSocket checks are skipped naming it.
        transport(spec.host, spec.port, tls=spec.url.startswith("wss:"))
        add(WsCheck(spec))
        if options.part is not PlanPart.QUICK:
            add(WsHoldCheck(spec, options.hold_length(spec)))
        if profile.quality is not None:
            add(QualityCheck(spec, profile.quality))
    probe = profile.probe_endpoint
    if profile.capacity is not None and probe is not None and options.part is PlanPart.FULL:
        # One after the other, after the latency check: no measurement disturbs another. A watch's quick
        # rounds leave them out, so an event-day watch never moves 50 MB every few minutes.
        ids = speed_ids(probe)
        first_needs: tuple[CheckId, ...] = (CheckId.https(probe.host, probe.port),)
        if spec is not None and profile.quality is not None:
            first_needs += (quality_info(spec).id,)
        add(SpeedCheck(DOWNLOAD, probe, profile.capacity, first_needs))
        add(SpeedCheck(UPLOAD, probe, profile.capacity, (ids[DOWNLOAD],)))
        add(SpeedCheck(PHOTO, probe, profile.capacity, (ids[UPLOAD],)))
        add(CapacityCheck(probe, profile.capacity, options.attendees))
    first = profile.endpoints[0]
    add(DirectAccessCheck(first.host, first.port))
    return list(checks.values())
