"""Connection quality (`quality:latency`): round-trip time and jitter of small messages over the WebSocket.

The messages go through the platform's WebSocket echo, the path live polls and Q&A take. Below the profile's
thresholds it is a warning: the event works, but sluggishly.

Over TCP a lost packet is retransmitted, not lost: loss shows up here as latency spikes (jitter). An echo
that never comes back is counted as lost, and reported as `net.packet_loss`.
"""

from __future__ import annotations

import asyncio
import itertools
import math
import statistics
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, warned
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import amount, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult
from sparkgui.core.profile import QualitySpec, WebSocketSpec

SPACING_S = 0.1  # between samples: a steady trickle, like a live session's traffic
MAX_LOST_IN_A_ROW = 2  # then the connection is gone, not lossy: stop sampling
MAX_KEPT_SAMPLES = 200  # the evidence keeps every round trip of a usual run


def quality_info(spec: WebSocketSpec) -> CheckInfo:
    """Describe the quality check of `spec`'s WebSocket; it runs once the WebSocket check passed."""
    return CheckInfo(
        CheckId.quality(spec.url), (CheckId.ws(spec.url),), tr("Connection quality to {host}", host=spec.host)
    )


def percentile(samples: list[float], rank: float) -> float:
    """The nearest-rank percentile: the smallest sample that `rank` % of the samples do not exceed."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(rank / 100 * len(ordered)) - 1)]


def jitter_ms(samples: list[float]) -> float:
    """Mean absolute difference between consecutive round trips (as RFC 3550 estimates jitter)."""
    if len(samples) < 2:
        return 0.0
    return statistics.fmean(abs(b - a) for a, b in itertools.pairwise(samples))


class QualityCheck(Check):
    """The connection quality check: a series of echoes judged against the profile's latency and jitter limits."""

    def __init__(self, spec: WebSocketSpec, quality: QualitySpec) -> None:
        super().__init__(quality_info(spec))
        self.spec, self.quality = spec, quality

    async def run(self, scope: CheckScope) -> CheckResult:
        """Echo numbered messages at a steady pace, stop early if the connection is gone, then judge the samples."""
        from sparkgui.core.net.websocket import EchoError, HandshakeError, open_websocket, session_timeout
        from sparkgui.core.transport import platform_session

        host, quality = self.spec.host, self.quality
        timeouts = scope.run.profile.timeouts
        deadline = min(timeouts.http, 2.0)
        samples: list[float] = []
        lost = in_a_row = 0
        async with platform_session(scope, host, session_timeout(timeouts.connect)) as session:
            try:
                socket = await open_websocket(session, self.spec.url, timeouts.http, answer_pings=True)
            except HandshakeError as error:
                return failed(
                    Cause.WS_ECHO_FAILED,
                    tr("The WebSocket to {host} could not be opened again to measure the connection.", host=host),
                    tr(
                        "Run the check again; if it keeps failing, ask the venue's IT about WebSockets to {host}.",
                        host=host,
                    ),
                    {"handshake": error.fault.value},
                )
            try:
                for index in range(quality.samples):
                    scope.progress(index / quality.samples, tr("Measuring round trips to {host}", host=host))
                    try:
                        samples.append(await socket.echo(f"sparkgui-quality-{index}", deadline))
                        in_a_row = 0
                    except EchoError as error:
                        lost += 1
                        in_a_row += 1
                        if error.reason == "closed" or in_a_row >= MAX_LOST_IN_A_ROW:
                            break
                    await asyncio.sleep(SPACING_S)
            finally:
                await socket.close()
        return self._judge(samples, lost)

    def _judge(self, samples: list[float], lost: int) -> CheckResult:
        host, quality = self.spec.host, self.quality
        sent = len(samples) + lost
        evidence: dict[str, Any] = {
            "samples": len(samples),
            "lost": lost,
            "max_latency_ms": quality.max_latency_ms,
            "max_jitter_ms": quality.max_jitter_ms,
        }
        if not samples:
            return warned(
                Cause.NET_PACKET_LOSS,
                tr("None of {sent} test messages to {host} came back.", sent=sent, host=host),
                tr("Ask the venue's IT whether something drops WebSocket messages to {host}.", host=host),
                evidence,
            )
        latency = round(statistics.median(samples), 1)
        jitter = round(jitter_ms(samples), 1)
        p95 = round(percentile(samples, 95), 1)
        evidence.update(
            latency_ms=latency,
            jitter_ms=jitter,
            p95_ms=p95,
            loss_ratio=round(lost / sent, 3),
            rtt_samples_ms=[round(sample, 2) for sample in samples[:MAX_KEPT_SAMPLES]],
        )
        remedy = tr(
            "Ask the venue's IT to check the Internet link's load and quality (saturated uplink, Wi-Fi "
            "congestion, a far-away proxy), or to prioritise traffic to {host}.",
            host=host,
        )
        if latency > quality.max_latency_ms:
            return warned(
                Cause.NET_HIGH_LATENCY,
                tr(
                    "Messages to {host} take {ms} ms for the round trip (more than {max} ms): live features "
                    "will feel slow.",
                    host=host,
                    ms=latency,
                    max=amount(quality.max_latency_ms),
                ),
                remedy,
                evidence,
            )
        if jitter > quality.max_jitter_ms:
            return warned(
                Cause.NET_JITTER,
                tr(
                    "Round trips to {host} vary by {ms} ms on average (more than {max} ms): live features will "
                    "stutter.",
                    host=host,
                    ms=jitter,
                    max=amount(quality.max_jitter_ms),
                ),
                remedy,
                evidence,
            )
        if lost:
            return warned(
                Cause.NET_PACKET_LOSS,
                tr("{lost} of {sent} test messages to {host} never came back.", lost=lost, sent=sent, host=host),
                remedy,
                evidence,
            )
        return passed(
            tr(
                "The connection to {host} is good: {ms} ms round trips, {jitter} ms jitter.",
                host=host,
                ms=latency,
                jitter=jitter,
            ),
            evidence,
        )
