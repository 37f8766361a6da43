"""`sparkgui --headless --watch MINUTES`: the event-day watch in a terminal.

One line per round, a WARNING line the moment something regresses, one line when the held connection opens
or is cut, and a summary at the end. Ctrl-C (or SIGTERM) ends the watch: the round under way is cut short,
the held connection is judged on what it held. The exit status says whether anything regressed.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import TextIO

from sparkgui.app.session import RunRequest
from sparkgui.app.watch import Alert, HoldState, Watch, WatchRound, WatchSummary
from sparkgui.cli.args import EXIT_READY, EXIT_REGRESSION
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import minutes_number, number, tr, trn
from sparkgui.core.presentation import ROUND_VERDICTS


class TerminalWatch:
    """The watch's `WatchSink` for a terminal: plain lines, so logs and pipes read them too."""

    def __init__(self, stream: TextIO, lang: str, demo: bool = False) -> None:
        self.stream, self.lang = stream, lang
        self.mark = tr("DEMO").render(lang) + " " if demo else ""  # every line of a demo watch says so
        self._was_open = False

    def _say(self, text: str) -> None:
        print(self.mark + text, file=self.stream, flush=True)

    def round_started(self, number: int) -> None:
        """Nothing to say yet: the round's line comes when it ends."""

    def round_finished(self, watch_round: WatchRound) -> None:
        """One line: the time, the round, its verdict and problems; then what recovered."""
        lang = self.lang
        when = watch_round.started_at.astimezone().strftime("%H:%M:%S")
        if watch_round.verdict is None:
            state = tr("could not run").render(lang)
        else:
            state = tr(
                "{verdict}, {problems}",
                verdict=ROUND_VERDICTS[watch_round.verdict],
                problems=trn("{count} problem", "{count} problems", watch_round.problems),
            ).render(lang)
        line = tr("[{when}] Round {number}: {state}", when=when, number=watch_round.number, state=state)
        if watch_round.run_id is not None:
            line = tr("{line} (run {id})", line=line, id=watch_round.run_id)
        self._say(line.render(lang))
        if watch_round.note is not None:
            self._say(f"  {watch_round.note.render(lang)}")
        for recovered in watch_round.recoveries:
            self._say(f"  {recovered.render(lang)}")

    def alert(self, alert: Alert) -> None:
        """The WARNING line(s): what regressed, in plain words."""
        when = alert.at.astimezone().strftime("%H:%M:%S")
        for line in alert.lines:
            self._say(tr("[{when}] WARNING: {line}", when=when, line=line).render(self.lang))

    def hold_changed(self, hold: HoldState) -> None:
        """Say when the held connection opens and when it ends."""
        if hold.open and not self._was_open:
            self._say(tr("  The live connection is held open from now on.").render(self.lang))
        elif not hold.open and self._was_open:
            minutes = number(hold.last_s / 60)
            self._say(tr("  The live connection ended after {minutes} min.", minutes=minutes).render(self.lang))
        self._was_open = hold.open


def run_watch(
    request: RunRequest,
    minutes: float,
    rounds: int | None,
    lang: str,
    event: EventInfo | None,
    *,
    keep_history: bool,
) -> int:
    """Watch until Ctrl-C or the last round; 0 when nothing regressed, EXIT_REGRESSION otherwise."""
    from sparkgui.core.history.store import keep_run

    def keep(report: dict[str, object]) -> int | None:
        kept = keep_run(report)
        for note in (*kept.notes, *((kept.problem,) if kept.problem else ())):
            print(f"sparkgui: {note.render(lang)}", file=sys.stderr)
        return kept.run_id

    out = sys.stdout
    sink = TerminalWatch(out, lang, demo=request.demo is not None)
    watch = Watch(
        request, minutes * 60, sink, lang=lang, event=event, rounds=rounds, keep=keep if keep_history else None
    )
    if keep_history:
        _say_if_rounds_cannot_be_kept(lang)
    print(
        sink.mark
        + tr(
            "Watching {platform} every {minutes} min; Ctrl-C ends the watch.",
            platform=request.profile.name,
            minutes=minutes_number(minutes),
        ).render(lang),
        file=out,
        flush=True,
    )
    try:
        summary = asyncio.run(_watch(watch))
    except KeyboardInterrupt:  # where the loop takes no signal handlers (Windows)
        return EXIT_REGRESSION if watch.summary.regressed else EXIT_READY
    for line in summary_lines(summary, lang):
        print(sink.mark + line, file=out)
    return EXIT_REGRESSION if summary.regressed else EXIT_READY


def _say_if_rounds_cannot_be_kept(lang: str) -> None:
    """A watch keeps its rounds only in the history (it writes no --json): an unusable one is said up front."""
    from sparkgui.core.history.store import History, HistoryError

    try:
        History().count()
    except HistoryError as exc:
        print(
            "sparkgui: "
            + tr(
                "the watch's rounds cannot be kept, so the event day will leave no record: {problem}",
                problem=exc.text,
            ).render(lang),
            file=sys.stderr,
        )


async def _watch(watch: Watch) -> WatchSummary:
    loop = asyncio.get_running_loop()
    caught: list[signal.Signals] = []
    # SIGHUP too: an ssh session that drops or a terminal closed ends the watch as Ctrl-C does, rounds kept.
    for signum in (signal.SIGINT, signal.SIGTERM, *([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])):
        try:
            loop.add_signal_handler(signum, watch.stop)
            caught.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):
            pass
    try:
        return await watch.run()
    finally:
        for signum in caught:
            loop.remove_signal_handler(signum)


def summary_lines(summary: WatchSummary, lang: str) -> list[str]:
    """The watch's end: rounds and warnings, and what the held connection proved."""
    lines = [
        tr(
            "Watch ended: {rounds}, {alerts}.",
            rounds=trn("{count} round", "{count} rounds", len(summary.rounds)),
            alerts=trn("{count} warning", "{count} warnings", len(summary.alerts)),
        ).render(lang)
    ]
    hold = summary.hold
    if hold is not None:
        minutes = number(hold.longest_s() / 60)
        if hold.requirement_met:
            text = tr(
                "The live connection stayed open {minutes} min: the {required}-minute requirement is met.",
                minutes=minutes,
                required=minutes_number(hold.required_s / 60),
            )
        else:
            text = tr(
                "The live connection stayed open at most {minutes} min: not long enough to prove the "
                "{required}-minute requirement.",
                minutes=minutes,
                required=minutes_number(hold.required_s / 60),
            )
        lines.append(text.render(lang))
        if hold.drops:
            lines.append(
                trn("The network cut it {count} time.", "The network cut it {count} times.", hold.drops).render(lang)
            )
    return lines
