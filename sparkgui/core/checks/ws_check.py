"""WebSocket check: does the upgrade to the platform's WebSocket get a 101, and do messages come back?

It runs only once DNS, TCP and TLS to the WebSocket's host passed, so it never re-diagnoses them: what is
left is the upgrade itself (a proxy or inspection box that drops `Upgrade`) and the echo.
"""

from __future__ import annotations

import secrets
import statistics
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import Text, amount, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.profile import WebSocketSpec

if TYPE_CHECKING:
    from sparkgui.core.net.websocket import EchoError, HandshakeError, WatchedSocket

TEXT_ECHOES = 3  # the round-trip time reported is their median


def ws_prerequisite(spec: WebSocketSpec) -> CheckId:
    """The check that proved the transport: TLS for wss://, TCP for plain ws://."""
    if urlsplit(spec.url).scheme == "wss":
        return CheckId.tls(spec.host, spec.port)
    return CheckId.tcp(spec.host, spec.port)


def ws_info(spec: WebSocketSpec) -> CheckInfo:
    """Describe the WebSocket check: it needs the transport check, but starts once DNS is done."""
    return CheckInfo(
        CheckId.ws(spec.url),
        (ws_prerequisite(spec),),
        tr("WebSocket to {host}", host=spec.host),
        starts_after=(CheckId.dns(spec.host),),  # overlaps TCP and TLS; reported only if they passed
    )


def echo_payloads() -> list[str | bytes]:
    """A few text messages and one binary, each unique so a stale or foreign message is never mistaken."""
    nonce = secrets.token_hex(8)
    texts: list[str | bytes] = [f"sparkgui echo {nonce} {index}" for index in range(TEXT_ECHOES)]
    return [*texts, b"sparkgui binary echo " + nonce.encode()]


def handshake_failure(
    error: HandshakeError, host: str, port: int, deadline: float, evidence: dict[str, Any]
) -> CheckResult:
    """The result for an upgrade that gave no WebSocket, shared by the ws and ws-hold checks."""
    from sparkgui.core.net.websocket import HandshakeFault

    evidence.update(error.evidence)
    if error.fault is HandshakeFault.TIMEOUT:
        return failed(
            Cause.WS_HANDSHAKE_TIMEOUT,
            tr(
                "The WebSocket upgrade to {host} got no answer within {seconds} s.",
                host=host,
                seconds=amount(deadline),
            ),
            tr(
                "Ask the venue's IT whether a proxy or filter holds WebSocket upgrades to {host} "
                "(HTTP Upgrade: websocket on TCP {port}) and to let them through.",
                host=host,
                port=port,
            ),
            evidence,
        )
    remedy = tr(
        "Ask the venue's IT to allow WebSocket upgrades to {host} (HTTP Upgrade: websocket on TCP {port}) in the "
        "proxy, web filter or TLS inspection, or to exempt {host} from them.",
        host=host,
        port=port,
    )
    if error.fault is HandshakeFault.NOT_HTTP:
        return failed(
            Cause.WS_UPGRADE_REJECTED,
            tr("The WebSocket upgrade to {host} was answered with something that is not HTTP.", host=host),
            remedy,
            evidence,
        )
    if error.fault is HandshakeFault.BROKEN:
        return failed(
            Cause.WS_UPGRADE_REJECTED,
            tr("The connection to {host} was cut in answer to the WebSocket upgrade.", host=host),
            remedy,
            evidence,
        )
    status = error.evidence.get("status", 0)
    if status == 101:
        summary = tr(
            "The WebSocket upgrade to {host} was answered with an invalid upgrade ({problem}): something on "
            "the way rewrites it.",
            host=host,
            problem=str(error.evidence.get("problem", "")),
        )
    else:
        summary = tr(
            "The WebSocket upgrade to {host} was refused (HTTP {status}{by}).",
            host=host,
            status=status,
            by=_signed_by(error.evidence),
        )
    return failed(Cause.WS_UPGRADE_REJECTED, summary, remedy, evidence)


def _signed_by(evidence: dict[str, Any]) -> Text | str:
    who = evidence.get("via") or evidence.get("server")
    return tr(", answered by {who}", who=who) if who else ""


def echo_failure(error: EchoError, host: str, evidence: dict[str, Any]) -> CheckResult:
    """Return the failure for an open WebSocket whose messages did not make the round trip."""
    evidence.update(echo_error=error.reason, echo_detail=error.detail)
    return failed(
        Cause.WS_ECHO_FAILED,
        tr(
            "The WebSocket to {host} opened, but messages did not make the round trip ({reason}).",
            host=host,
            reason=error.reason,
        ),
        tr(
            "Ask the venue's IT whether a proxy, IPS or TLS inspection filters WebSocket traffic to {host}, "
            "and to exempt {host} from it.",
            host=host,
        ),
        evidence,
    )


class WsCheck(Check):
    """The WebSocket check: the upgrade must give a 101, and test messages must come back."""

    def __init__(self, spec: WebSocketSpec) -> None:
        super().__init__(ws_info(spec))
        self.spec = spec

    async def run(self, scope: CheckScope) -> CheckResult:
        """Open the WebSocket and echo the test messages; fail at the first step that does not work."""
        from sparkgui.core.net.websocket import EchoError, HandshakeError, open_websocket, session_timeout
        from sparkgui.core.transport import platform_session

        host, url = self.spec.host, self.spec.url
        timeouts = scope.run.profile.timeouts
        deadline = timeouts.http
        evidence: dict[str, Any] = {"url": url}
        scope.progress(0.1, tr("Opening a WebSocket to {host}", host=host))
        async with platform_session(scope, host, session_timeout(timeouts.connect)) as session:
            try:
                socket = await open_websocket(session, url, deadline, answer_pings=True)
            except HandshakeError as error:
                return handshake_failure(error, host, self.spec.port, deadline, evidence)
            try:
                evidence.update(status=101, handshake_ms=socket.handshake_ms)
                scope.progress(0.6, tr("Sending test messages over the WebSocket to {host}", host=host))
                samples: list[float] = []
                for payload in echo_payloads():
                    try:
                        samples.append(await socket.echo(payload, deadline))
                    except EchoError as error:
                        evidence["echoes_ok"] = len(samples)
                        if socket.flooded:
                            return flood_result(host, self.spec.port, socket, evidence)
                        return echo_failure(error, host, evidence)
            finally:
                await socket.close()
        rtt = round(statistics.median(samples[:TEXT_ECHOES]), 2)
        evidence.update(rtt_ms=rtt, rtt_samples_ms=samples[:TEXT_ECHOES], binary_rtt_ms=samples[-1])
        return passed(
            tr(
                "The WebSocket to {host} works: upgrade accepted, messages echoed in {ms} ms.",
                host=host,
                ms=rtt,
            ),
            evidence,
        )


def flood_result(host: str, port: int, socket: WatchedSocket, evidence: dict[str, Any]) -> CheckResult:
    """The peer sent far more than was asked: what is kept is bounded, and the flood is the finding."""
    evidence["flood"] = {"messages": socket.data_messages, "bytes": socket.data_bytes, "after_s": socket.ended_at}
    return failed(
        Cause.WS_FLOOD,
        tr(
            "The WebSocket to {host} received {messages} messages ({kilobytes} KB) nobody asked for: something "
            "other than the platform answers on it.",
            host=host,
            messages=socket.data_messages,
            kilobytes=socket.data_bytes // 1024,
        ),
        tr(
            "Ask the venue's IT what sits between this network and {host} on TCP {port} (a proxy, an IPS): the "
            "platform sends only what it is asked for.",
            host=host,
            port=port,
        ),
        evidence,
    )
