"""The event-day watch: quick rounds every few minutes, one WebSocket held all along, a warning on regression.

Networks degrade when the room fills, and venue IT changes rules on the morning itself. A watch re-runs
every check but the hold (a *round*) every `interval_s`, keeps one WebSocket pair held open for the whole
watch (its survival is evidence for the platform's 10-minute requirement), keeps each round in the history,
and warns when a round brings a new problem or the held connection is cut. The next round that passes
again says so.

A laptop sleeps and Wi-Fi reconnects: a round that cannot start is recorded as such and the watch goes on;
time asleep (the wall clock jumps ahead of the monotonic one) is noted, and a connection that ends while
the computer slept is opened again without a false alarm. The front ends give how a round and the hold are
run (the window shows rounds in its cards), and a `WatchSink` for what to show.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from sparkgui.app.session import RunRequest, Session, SessionOutcome
from sparkgui.core.event import EventInfo
from sparkgui.core.events import NullSink, ProgressSink
from sparkgui.core.history.compare import compare
from sparkgui.core.i18n import Text, number, tr
from sparkgui.core.ids import CheckKind
from sparkgui.core.model import CheckInfo, CheckRecord, Status, Verdict
from sparkgui.core.plan import PlanPart
from sparkgui.core.stop_flag import StopFlag

MIN_INTERVAL_S = 1.0  # tests and benches shorten rounds; people choose minutes
MAX_WATCH_HOLD_S = 24 * 3600  # the held connection's hold: longer than any event day
SLEEP_GAP_S = 20.0  # the wall clock ahead of the monotonic one by more than this: the computer slept
TICK_S = 5.0  # how often a waiting watch looks at the clocks (sleep shows as a jump between two looks)
HOLD_RETRY_S = 10.0  # a held connection that could not open (or was cut) is tried again this soon at most

RoundRunner = Callable[[RunRequest, ProgressSink], Awaitable[SessionOutcome]]
"""Runs one request with a sink and returns its outcome; the sink may be called from another thread."""
Keeper = Callable[[dict[str, Any]], "int | None"]


class WatchSink(Protocol):
    """What a front end shows of a watch; every call comes from the loop that runs the watch."""

    def round_started(self, number: int) -> None:
        """A round begins."""

    def round_finished(self, watch_round: WatchRound) -> None:
        """A round ended (or could not start): its verdict, what broke and what recovered."""

    def alert(self, alert: Alert) -> None:
        """Something regressed: the front end warns (tray notification, banner, a line in the terminal)."""

    def hold_changed(self, hold: HoldState) -> None:
        """The held connection opened, was cut, or was opened again."""


@dataclass(frozen=True)
class WatchRound:
    """One round: when, how it ended, what regressed and what recovered since the round before."""

    number: int
    started_at: dt.datetime
    verdict: Verdict | None  # None: the round could not run
    problems: int = 0
    regressions: tuple[Text, ...] = ()
    recoveries: tuple[Text, ...] = ()
    run_id: int | None = None  # in the history
    note: Text | None = None  # why it could not run, or that the computer slept before it

    @property
    def regressed(self) -> bool:
        """Whether this round warned."""
        return bool(self.regressions)


@dataclass(frozen=True)
class Alert:
    """A warning: in which round (0 before the first ended), when, and what went wrong in plain words."""

    round: int
    at: dt.datetime
    lines: tuple[Text, ...]


@dataclass(frozen=True)
class HoldState:
    """The connection held all along: open since when, how long the last one and the longest held, the cuts."""

    since: float | None = None  # time.monotonic() when the open connection's hold began; None: not open
    last_s: float = 0.0  # how long the last connection held, once it ended
    longest_ended_s: float = 0.0
    drops: int = 0  # cuts that were the network's, not the computer sleeping
    required_s: float = 600.0

    @property
    def open(self) -> bool:
        """Whether a connection is held now."""
        return self.since is not None

    def held_s(self) -> float:
        """How long the open connection has held (else the last one did)."""
        return time.monotonic() - self.since if self.since is not None else self.last_s

    def longest_s(self) -> float:
        """The longest any connection of this watch held, the open one included."""
        return max(self.longest_ended_s, self.held_s())

    @property
    def requirement_met(self) -> bool:
        """Whether one connection stayed open as long as the platform requires."""
        return self.longest_s() + 0.5 >= self.required_s

    def as_json(self) -> dict[str, Any]:
        """The report's `watch.held` part."""
        return {
            "open": self.open,
            "held_s": round(self.held_s(), 1),
            "longest_s": round(self.longest_s(), 1),
            "drops": self.drops,
            "required_s": self.required_s,
            "requirement_met": self.requirement_met,
        }


@dataclass
class WatchSummary:
    """What the watch saw, when it ends."""

    rounds: list[WatchRound] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    hold: HoldState | None = None

    @property
    def regressed(self) -> bool:
        """Whether anything regressed during the watch (the CLI's exit status says so)."""
        return bool(self.alerts)


class Watch:
    """One watch of `request`'s profile. `await run()`; `stop()` (on the same loop) ends it after cleanup."""

    def __init__(
        self,
        request: RunRequest,
        interval_s: float,
        sink: WatchSink,
        *,
        lang: str,
        event: EventInfo | None = None,
        rounds: int | None = None,
        keep: Keeper | None = None,
        run_round: RoundRunner | None = None,
        run_hold: RoundRunner | None = None,
    ) -> None:
        if interval_s < MIN_INTERVAL_S:
            raise ValueError(f"a watch round needs at least {MIN_INTERVAL_S:g} s")
        self.request = request
        self.interval_s = interval_s
        self.sink = sink
        self.lang = lang
        self.event = event
        self.max_rounds = rounds
        self.keep = keep
        self.run_round = run_round or self._session_round
        self.run_hold = run_hold or _session_runner
        self.summary = WatchSummary()
        self.started_at = dt.datetime.now(dt.UTC)
        spec = request.profile.websocket
        self.hold = HoldState(required_s=spec.long_hold_seconds if spec is not None else 0.0)
        self._stopping = asyncio.Event()
        self._hold_stop = StopFlag()
        self._opened_in_attempt = False  # the held connection opened during the current attempt
        self._hold_down_told = False  # the outage under way was alerted already
        self._slept_s = 0.0  # asleep since the last round began (noted in the next round)
        self._slept_total = 0.0
        self._last_report: dict[str, Any] | None = None
        self._round_session: Session | None = None

    def stop(self) -> None:
        """End the watch now.

        The round under way is cancelled (kept as incomplete, judged on nothing); the held connection is
        judged and closed.
        """
        self._stopping.set()
        self._hold_stop.set()
        if self._round_session is not None:
            self._round_session.cancel()

    async def _session_round(self, request: RunRequest, sink: ProgressSink) -> SessionOutcome:
        """A round in a session that `stop()` can cancel."""
        session = Session(request, sink)
        self._round_session = session
        if self.stopping:
            session.cancel()
        try:
            return await session.execute()
        finally:
            self._round_session = None

    @property
    def stopping(self) -> bool:
        """Whether `stop()` was called."""
        return self._stopping.is_set()

    async def run(self) -> WatchSummary:
        """Watch until `stop()` or the last round; return what was seen."""
        holder = asyncio.ensure_future(self._hold_all_along()) if self.request.profile.websocket else None
        try:
            number = 0
            while not self.stopping and (self.max_rounds is None or number < self.max_rounds):
                number += 1
                began = time.monotonic()
                await self._one_round(number)
                if self.max_rounds is not None and number >= self.max_rounds:
                    break
                await self._wait(began + self.interval_s)
        finally:
            self._hold_stop.set()
            if holder is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await holder
        self.summary.hold = self.hold if holder is not None else None
        return self.summary

    # Rounds ---------------------------------------------------------------------------------------------------

    async def _one_round(self, number: int) -> None:
        self.sink.round_started(number)
        started = dt.datetime.now(dt.UTC)
        slept, self._slept_s = self._slept_s, 0.0
        note = _sleep_note(slept) if slept else None
        request = replace(self.request, part=PlanPart.QUICK, hold_stop=None, long_hold=False)
        try:
            outcome = await self.run_round(request, NullSink())
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # no network at all, a demo venue that cannot start: say so, go on
            problem = tr("This round could not run: {problem}", problem=str(exc) or type(exc).__name__)
            watch_round = WatchRound(number, started, None, note=problem)
            self._finish(watch_round)
            return
        report = outcome.report(self.lang, self.event)
        report["watch"] = self._watch_part(number)
        if self.hold.requirement_met:
            _held_proves_websockets(report)
        regressions, recoveries = round_changes(self._last_report, report)
        if outcome.outcome.cancelled:  # stopped mid-round: what finished is kept, nothing is judged from it
            regressions, recoveries = (), ()
        else:
            self._last_report = report
        run_id = self.keep(report) if self.keep is not None else None
        watch_round = WatchRound(
            number, started, outcome.verdict, len(outcome.problems), regressions, recoveries, run_id, note
        )
        self._finish(watch_round)

    def _finish(self, watch_round: WatchRound) -> None:
        self.summary.rounds.append(watch_round)
        self.sink.round_finished(watch_round)
        if watch_round.regressions:
            self._alert(watch_round.number, watch_round.regressions)

    def _alert(self, number: int, lines: tuple[Text, ...]) -> None:
        alert = Alert(number, dt.datetime.now(dt.UTC), lines)
        self.summary.alerts.append(alert)
        self.sink.alert(alert)

    def _watch_part(self, number: int) -> dict[str, Any]:
        part: dict[str, Any] = {
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "round": number,
            "interval_s": self.interval_s,
        }
        if self.request.profile.websocket is not None:
            part["held"] = self.hold.as_json()
        if self._slept_total:
            part["slept_s"] = round(self._slept_total)
        return part

    async def _wait(self, due_monotonic: float) -> None:
        """Wait for the next round, looking at both clocks: a sleeping laptop makes the wall clock jump."""
        due_wall = time.time() + (due_monotonic - time.monotonic())
        while not self.stopping:
            now_mono, now_wall = time.monotonic(), time.time()
            if now_mono >= due_monotonic or now_wall >= due_wall:
                return
            step = min(TICK_S, due_monotonic - now_mono)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(step):
                    await self._stopping.wait()
            gap = (time.time() - now_wall) - (time.monotonic() - now_mono)
            if gap > SLEEP_GAP_S:
                self._slept_s += gap
                self._slept_total += gap

    # The connection held all along ---------------------------------------------------------------------------

    async def _hold_all_along(self) -> None:
        """Hold one WebSocket pair until the watch ends; when it is cut, warn (unless asleep) and open another."""
        loop = asyncio.get_running_loop()
        while not self._hold_stop.is_set():
            slept_before = self._slept_total
            request = replace(
                self.request, part=PlanPart.HOLD, hold_stop=self._hold_stop, hold_seconds=MAX_WATCH_HOLD_S
            )
            try:
                outcome = await self.run_hold(request, _HoldOpened(loop, self._hold_opened))
                record = _hold_record(outcome.outcome.records)
            except asyncio.CancelledError:
                raise
            except Exception:  # the rounds say what is wrong with the network; the hold tries again
                record = None
            cut = record is None or record.result.status not in (Status.PASS, Status.WARN)
            slept = self._slept_total > slept_before
            ending = self._hold_stop.is_set()
            failed = cut and not slept and not ending and record is not None and record.result.status is Status.FAIL
            opened, self._opened_in_attempt = self._opened_in_attempt, False
            counted = failed and opened  # a connection that never opened again was not cut again
            held = _held_seconds(record)
            self.hold = replace(
                self.hold,
                since=None,
                last_s=held,
                longest_ended_s=max(self.hold.longest_ended_s, held),
                drops=self.hold.drops + (1 if counted else 0),
            )
            self.sink.hold_changed(self.hold)
            if ending:
                return
            if failed and record is not None and (counted or not self._hold_down_told):
                self._hold_down_told = True  # one alert per outage: the retries while it lasts stay quiet
                self._alert(len(self.summary.rounds), (_cut_line(record, held),))
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(min(HOLD_RETRY_S, self.interval_s)):
                    await self._hold_stop.wait()

    def _hold_opened(self) -> None:
        self._opened_in_attempt, self._hold_down_told = True, False
        if not self._hold_stop.is_set():
            self.hold = replace(self.hold, since=time.monotonic())
            self.sink.hold_changed(self.hold)


class _HoldOpened(NullSink):
    """The held run's sink: tells the watch, on its own loop, when the hold itself begins."""

    def __init__(self, loop: asyncio.AbstractEventLoop, opened: Callable[[], None]) -> None:
        self._loop, self._opened = loop, opened

    def check_started(self, info: CheckInfo) -> None:
        """The hold check starts once its WebSocket opened: the connection is held from now."""
        if info.kind is CheckKind.WS_HOLD and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._opened)


def round_changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any]
) -> tuple[tuple[Text, ...], tuple[Text, ...]]:
    """What regressed and what recovered between two rounds' reports (nothing for the first round)."""
    if before is None:
        return (), ()
    comparison = compare(before, after)
    regressions = tuple(
        tr("New problem: {summary}", summary=change.summary or change.id) for change in comparison.broke
    )
    recoveries = tuple(
        tr("Passes again: {summary}", summary=change.summary or change.id) for change in comparison.fixed
    )
    return regressions, recoveries


def _held_proves_websockets(report: dict[str, Any]) -> None:
    """The connection held all along proves the WebSocket requirement that a quick round leaves untested.

    Without this a round's PDF would ask IT to "Run the 10-minute test" beside a watch section saying a
    connection has been held open for an hour.
    """
    for requirement in report.get("requirements", []):
        if requirement.get("kind") == "websocket" and requirement.get("status") == "not_tested":
            requirement["status"] = "met"
            requirement.pop("action", None)


def _hold_record(records: tuple[CheckRecord, ...]) -> CheckRecord | None:
    """The hold check's record, else the first check that stopped it (no network, the WebSocket refused)."""
    hold = next((r for r in records if r.info.kind is CheckKind.WS_HOLD), None)
    if hold is not None and hold.result.cause.value != "skipped.prerequisite":
        return hold
    return next((r for r in records if r.result.status is Status.FAIL), hold)


def _held_seconds(record: CheckRecord | None) -> float:
    held = record.result.evidence.get("held_s") if record is not None else None
    return float(held) if isinstance(held, int | float) else 0.0


def _cut_line(record: CheckRecord, held: float) -> Text:
    if record.info.kind is CheckKind.WS_HOLD:
        return tr(
            "The live connection held open since the watch began was cut after {minutes} min: {summary}",
            minutes=number(held / 60),
            summary=record.result.summary,
        )
    return tr("The live connection could not be opened again: {summary}", summary=record.result.summary)


def _sleep_note(seconds: float) -> Text:
    return tr("This computer was asleep for about {minutes} min before this round.", minutes=round(seconds / 60))


async def _session_runner(request: RunRequest, sink: ProgressSink) -> SessionOutcome:
    return await Session(request, sink).execute()
