"""Hold check: do WebSockets to the platform stay open as long as a live session needs?

Two connections are held side by side for the hold length: a *silent* one (no traffic at all, pings left
unanswered) and a *heartbeat* one (a ping every `heartbeat_seconds`, as the platform's own client does).
A final echo on both, with a deadline, catches a connection that a middlebox dropped without a word.
Silent dead and heartbeat alive means an idle timeout; the heartbeat connection dying means the network
cuts long connections whatever they do.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import secrets
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, failed, passed, warned
from sparkgui.core.checks.ws_check import flood_result, handshake_failure
from sparkgui.core.context import CheckScope
from sparkgui.core.i18n import Text, amount, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult, Countdown
from sparkgui.core.profile import WebSocketSpec
from sparkgui.core.stop_flag import StopFlag

if TYPE_CHECKING:
    from sparkgui.core.net.websocket import WatchedSocket

ENDED_BY_NETWORK = ("close_frame", "connection_lost", "error")  # the reader saw the end as it happened


def hold_info(spec: WebSocketSpec, hold_seconds: float) -> CheckInfo:
    """Describe the hold check of `spec`'s WebSocket; it runs once the WebSocket check passed."""
    return CheckInfo(
        CheckId.ws_hold(spec.url),
        (CheckId.ws(spec.url),),
        tr("WebSocket held open {duration} to {host}", duration=_held_for(hold_seconds), host=spec.host),
    )


@dataclass(frozen=True)
class Fate:
    """What became of one held connection. Times are seconds since the hold began."""

    alive: bool
    found_dead_s: float | None = None
    how: str = ""  # close_frame | connection_lost | error | no_pong | echo_timeout | echo_closed | …
    close_code: int | None = None
    close_reason: str = ""
    last_heard_s: float = 0.0
    server_pings: int = 0
    echo_ms: float | None = None

    @property
    def seen_ending(self) -> bool:
        """True when the end was observed as it happened, so `found_dead_s` is the moment, not a bound."""
        return self.how in ENDED_BY_NETWORK

    def as_evidence(self) -> dict[str, Any]:
        """Return the fate as report evidence, with how it ended only when the connection died."""
        evidence: dict[str, Any] = {"alive": self.alive}
        if not self.alive:
            evidence.update(found_dead_s=self.found_dead_s, how=self.how, close_code=self.close_code)
            if self.close_reason:
                evidence["close_reason"] = self.close_reason
        if self.echo_ms is not None:
            evidence["echo_ms"] = self.echo_ms
        evidence["last_heard_s"] = round(self.last_heard_s, 2)
        if self.server_pings:
            evidence["server_pings"] = self.server_pings
        return evidence


class WsHoldCheck(Check):
    """The hold check: a silent and a heartbeat WebSocket held side by side, to spot idle timeouts and drops."""

    def __init__(self, spec: WebSocketSpec, hold_seconds: float, stop: StopFlag | None = None) -> None:
        super().__init__(hold_info(spec, hold_seconds))
        self.spec = spec
        self.hold_seconds = hold_seconds
        self.stop = stop  # set: end the hold early and judge what was held (a watch that ends)

    async def run(self, scope: CheckScope) -> CheckResult:
        """Open both connections, hold them, echo once on each at the end, and judge their fates."""
        from sparkgui.core.net.websocket import HandshakeError, open_websocket, session_timeout
        from sparkgui.core.transport import platform_session

        spec, host = self.spec, self.spec.host
        timeouts = scope.run.profile.timeouts
        deadline = timeouts.http
        evidence: dict[str, Any] = {
            "url": spec.url,
            "hold_s": self.hold_seconds,
            "heartbeat_s": spec.heartbeat_seconds,
        }
        scope.progress(0.0, tr("Opening two WebSockets to {host} for the hold", host=host))
        origin = time.perf_counter()
        async with platform_session(scope, host, session_timeout(timeouts.connect)) as session:
            opened = await asyncio.gather(
                open_websocket(session, spec.url, deadline, answer_pings=False, origin=origin),
                open_websocket(session, spec.url, deadline, answer_pings=True, origin=origin),
                return_exceptions=True,
            )
            sockets = [item for item in opened if not isinstance(item, BaseException)]
            try:
                problem = next((item for item in opened if isinstance(item, BaseException)), None)
                if isinstance(problem, HandshakeError):
                    evidence["stage"] = "opening the hold connections"
                    return handshake_failure(problem, host, spec.port, deadline, evidence)
                if problem is not None:
                    raise problem
                silent, heartbeat = sockets
                held = await self._hold(scope, heartbeat, deadline)
                evidence["held_s"] = round(held, 2)
                silent_fate, heartbeat_fate = await asyncio.gather(
                    _final_echo(silent, deadline), _final_echo(heartbeat, deadline)
                )
            finally:
                await asyncio.gather(*(item.close() for item in sockets))
        evidence["silent"] = silent_fate.as_evidence()
        evidence["heartbeat"] = heartbeat_fate.as_evidence()
        flooded = [item for item in sockets if item.flooded]
        if flooded:
            return flood_result(host, spec.port, flooded[0], evidence)
        return judge(
            host=host,
            port=spec.port,
            held_s=held,
            heartbeat_s=spec.heartbeat_seconds,
            required_s=spec.long_hold_seconds,
            silent=silent_fate,
            heartbeat=heartbeat_fate,
            evidence=evidence,
        )

    async def _hold(self, scope: CheckScope, heartbeat: WatchedSocket, deadline: float) -> float:
        """Wait out the hold (or until the heartbeat connection dies), reporting a countdown once a second."""
        pinger = asyncio.ensure_future(_keep_pinging(heartbeat, self.spec.heartbeat_seconds, deadline))
        total = self.hold_seconds
        try:
            while True:
                elapsed = heartbeat.now()
                remaining = total - elapsed
                if remaining <= 0 or not heartbeat.alive or (self.stop is not None and self.stop.is_set()):
                    return min(elapsed, total)
                clock = Countdown(int(elapsed), math.ceil(remaining))
                scope.progress(
                    elapsed / total,
                    tr("Holding two WebSockets open, one silent and one with heartbeats"),  # the clock is typed
                    clock,
                )
                # Sleep to the next whole second (so the countdown ticks evenly), or until the connection dies.
                pause = min(remaining, math.floor(elapsed) + 1 - elapsed)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(pause):
                        await _first_of(heartbeat.ended, self.stop)
        finally:
            pinger.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pinger


async def _first_of(ended: asyncio.Event, stop: StopFlag | None) -> None:
    """Wait until the connection ends or the hold is told to stop."""
    if stop is None:
        await ended.wait()
        return
    waits = [asyncio.ensure_future(ended.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
        await asyncio.gather(*waits, return_exceptions=True)


async def _keep_pinging(socket: WatchedSocket, every: float, deadline: float) -> None:
    """The platform client's heartbeat: a ping every `every` seconds; a missing pong means the line is dead."""
    while socket.alive:
        await asyncio.sleep(every)
        if not socket.alive:
            return
        if not await socket.ping(min(deadline, max(every, 1.0))):
            socket.mark_dead("no_pong")
            return


async def _final_echo(socket: WatchedSocket, deadline: float) -> Fate:
    """Echo once at the end: a connection dropped silently by a middlebox only shows here."""
    from sparkgui.core.net.websocket import EchoError

    echo_ms: float | None = None
    if socket.alive:
        sent_at = socket.now()
        try:
            echo_ms = await socket.echo(f"sparkgui hold echo {secrets.token_hex(6)}", deadline)
        except EchoError as error:
            if socket.alive:  # the echo failed first: the connection died unseen, at most by `sent_at`
                socket.mark_dead(f"echo_{error.reason}", at=sent_at)
    return Fate(
        alive=socket.alive,
        found_dead_s=None if socket.ended_at is None else round(socket.ended_at, 2),
        how=socket.end_kind,
        close_code=socket.close_code,
        close_reason=socket.close_reason,
        last_heard_s=socket.last_heard,
        server_pings=socket.pings_received if not socket.answer_pings else 0,
        echo_ms=echo_ms,
    )


def judge(
    *,
    host: str,
    port: int,
    held_s: float,
    heartbeat_s: float,
    required_s: float,
    silent: Fate,
    heartbeat: Fate,
    evidence: dict[str, Any],
) -> CheckResult:
    """The verdict from the two connections' fates (design: ws.dropped, ws.idle_timeout)."""
    duration = _duration(required_s)
    # Both died before the first heartbeat was even due: silence killed them, not the connections' length.
    # That is an idle timeout shorter than the platform's heartbeat (a failure), not a drop "despite heartbeats".
    idle_killed_both = not silent.alive and heartbeat.found_dead_s is not None and heartbeat.found_dead_s < heartbeat_s
    if not heartbeat.alive and not idle_killed_both:
        after = heartbeat.found_dead_s if heartbeat.found_dead_s is not None else held_s
        evidence.update(after_s=round(after, 1), close_code=heartbeat.close_code)
        if heartbeat.how.startswith("echo_"):  # it looked open, but the final echo never came back
            return echo_failure_after_hold(host, port, after, evidence)
        if heartbeat.close_code is not None:
            code: Text = tr("close code {code}", code=heartbeat.close_code)
        elif heartbeat.how == "no_pong":  # open as far as TCP knows, but deaf: to the platform, gone
            code = tr("its heartbeats went unanswered: the connection no longer carried anything back")
        else:
            code = tr("no close message: the connection was lost silently")
        return failed(
            Cause.WS_DROPPED,
            tr(
                "The WebSocket to {host} was cut after {after_s} s even though it sent heartbeats ({code}).",
                host=host,
                after_s=round(after, 1),
                code=code,
            ),
            tr(
                "Ask the venue's IT to let WebSocket connections to {host} (TCP {port}) stay open for at least "
                "{duration}: check firewall and NAT session limits, proxy timeouts and IPS rules.",
                host=host,
                port=port,
                duration=duration,
            ),
            evidence,
        )
    if not silent.alive and silent.server_pings and silent.how in ENDED_BY_NETWORK:
        # The platform's server pinged the silent connection, which left the pings unanswered (no browser
        # does): the server ended it, as it should. Pings are traffic, so no idle timer was measured.
        evidence["silent_closed_by_server_heartbeat"] = True
        return passed(
            tr(
                "The WebSocket to {host} with heartbeats stayed open for {seconds} s; the platform's server closed "
                "the silent one after its pings went unanswered, as it does for any client that stops answering.",
                host=host,
                seconds=amount(round(held_s, 1)),
            ),
            evidence,
        )
    if not silent.alive:
        idle = silent.found_dead_s if silent.found_dead_s is not None else held_s
        bound = not silent.seen_ending
        evidence.update(idle_s=round(idle, 1), idle_s_is_upper_bound=bound, close_code=silent.close_code)
        remedy = tr(
            "Ask the venue's IT to raise the idle timeout for connections to {host} (TCP {port}) to at least "
            "{duration} in the firewall, NAT and proxy.",
            host=host,
            port=port,
            duration=duration,
        )
        if bound:
            said = tr(
                "The network silently drops WebSocket connections to {host} that stay idle, within {idle_s} s",
                host=host,
                idle_s=round(idle, 1),
            )
        else:
            said = tr(
                "The network closes WebSocket connections to {host} after {idle_s} s without traffic",
                host=host,
                idle_s=round(idle, 1),
            )
        if heartbeat_s < idle:
            return warned(
                Cause.WS_IDLE_TIMEOUT,
                tr(
                    "{finding}; the platform's heartbeat every {heartbeat_s} s keeps its connections open.",
                    finding=said,
                    heartbeat_s=amount(heartbeat_s),
                ),
                remedy,
                evidence,
            )
        return failed(
            Cause.WS_IDLE_TIMEOUT,
            tr(
                "{finding}: sooner than the platform's heartbeat ({heartbeat_s} s), so live sessions will drop.",
                finding=said,
                heartbeat_s=amount(heartbeat_s),
            ),
            remedy,
            evidence,
        )
    return passed(
        tr(
            "Two WebSockets to {host} stayed open for {seconds} s, one silent and one with heartbeats.",
            host=host,
            seconds=amount(round(held_s, 1)),
        ),
        evidence,
    )


def _held_for(seconds: float) -> Text:
    """The hold's length as the button says it: "10 minutes", "60 s"."""
    if seconds >= 120 and seconds % 60 == 0:
        return tr("{minutes} minutes", minutes=round(seconds / 60))
    return tr("{seconds} s", seconds=amount(seconds))


def _duration(seconds: float) -> Text:
    """The platform's required connection length, as people say it."""
    if seconds >= 120:
        return tr("{minutes} minutes", minutes=round(seconds / 60))
    return tr("{seconds} seconds", seconds=amount(seconds))


def echo_failure_after_hold(host: str, port: int, after: float, evidence: dict[str, Any]) -> CheckResult:
    """The heartbeat connection looked open but the final echo never came back: dropped without a word."""
    return failed(
        Cause.WS_DROPPED,
        tr(
            "The WebSocket to {host} stopped carrying messages within {after_s} s even though it sent "
            "heartbeats: something on the network dropped it silently.",
            host=host,
            after_s=round(after, 1),
        ),
        tr(
            "Ask the venue's IT to let WebSocket connections to {host} (TCP {port}) stay open and carry traffic "
            "for the whole session: check firewall and NAT session limits, proxy timeouts and IPS rules.",
            host=host,
            port=port,
        ),
        evidence,
    )
