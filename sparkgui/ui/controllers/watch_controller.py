"""The event-day watch in the window: rounds shown in the cards, the held connection, warnings that are seen.

The watch itself is `sparkgui.app.watch.Watch`, the CLI's. Here a round is a run of the run controller
(the cards and the banner show it as any run), the held connection runs on the engine thread, and a
regression warns three ways: a system tray notification where the desktop has a tray, the panel's banner
(which stays until dismissed), and the window's taskbar entry asking for attention.

Signals:
    stateChanged(): a watch started or ended.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from sparkgui.core.i18n import Text, minutes_number, number, tr, trn
from sparkgui.core.presentation import ROUND_VERDICTS
from sparkgui.ui.icons import icon
from sparkgui.ui.views.watch_panel import WatchPanel

if TYPE_CHECKING:
    from sparkgui.app.session import RunRequest, SessionOutcome
    from sparkgui.app.watch import Alert, HoldState, Watch, WatchRound
    from sparkgui.core.event import EventInfo
    from sparkgui.core.events import ProgressSink
    from sparkgui.ui.controllers.run_controller import RunController

DEFAULT_MINUTES = 5


class WatchController(QObject):
    """Starts and stops the watch, and keeps the panel, the tray and the status line up to date."""

    stateChanged = Signal()

    def __init__(self, owner: QWidget, panel: WatchPanel, runs: RunController, lang: Callable[[], str]) -> None:
        super().__init__(owner)
        self._owner, self.panel, self.runs, self._lang = owner, panel, runs, lang
        self.watch: Watch | None = None
        self.task: asyncio.Task[None] | None = None
        self.rounds: list[WatchRound] = []
        self.hold: HoldState | None = None
        self.alerts: list[Alert] = []
        self.notified: list[str] = []  # every warning given, tray or not (what a person was told)
        self.tray: QSystemTrayIcon | None = None
        self._next_at: float | None = None
        self._minutes: float = DEFAULT_MINUTES
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)  # the "next round in" clock and the held time
        self._ticker.timeout.connect(self.render)
        self.panel.dismiss_button.clicked.connect(self.render)

    @property
    def active(self) -> bool:
        """Whether a watch is under way."""
        return self.task is not None and not self.task.done()

    def start(self, request: RunRequest, minutes: float, event: EventInfo | None, keep_history: bool) -> None:
        """Watch `request`'s profile every `minutes`, until `stop()`."""
        if self.active or self.runs.running:
            return
        from sparkgui.app.watch import Watch
        from sparkgui.core.history.store import keep_run

        self.rounds, self.alerts, self.hold, self._minutes = [], [], None, minutes
        self.watch = Watch(
            request,
            minutes * 60,
            self,
            lang=self._lang(),
            event=event,
            keep=(lambda report: keep_run(report).run_id) if keep_history else None,
            run_round=self._run_round,
            run_hold=self._run_hold,
        )
        self._show_tray()
        self.panel.alert_frame.hide()
        self.panel.show()
        self._ticker.start()
        self.task = asyncio.ensure_future(self._watch(self.watch))
        self.render()
        self.stateChanged.emit()

    def stop(self) -> None:
        """End the watch: the round under way is cancelled, the held connection judged and closed."""
        if self.watch is not None and self.active:
            self.watch.stop()
            self.runs.cancel()

    async def _watch(self, watch: Watch) -> None:
        try:
            await watch.run()
        finally:
            if shiboken6.isValid(self):
                self._ticker.stop()
                self._next_at = None
                self.render()
                QTimer.singleShot(0, self, self.stateChanged.emit)

    async def _run_round(self, request: RunRequest, sink: ProgressSink) -> SessionOutcome:
        """A round is a run like any other in the window: the cards and the banner show it."""
        self._next_at = None
        outcome = await self.runs.run_and_wait(request)
        if self.watch is not None and not self.watch.stopping:
            self._next_at = time.monotonic() + self._minutes * 60 - (outcome.seconds if outcome else 0)
        if outcome is None:
            raise RuntimeError(tr("the run stopped before its end").render(self._lang()))
        return outcome

    async def _run_hold(self, request: RunRequest, sink: ProgressSink) -> SessionOutcome:
        from sparkgui.app.session import Session

        return await self.runs.engine_thread.run(lambda: Session(request, sink).execute())

    # WatchSink -------------------------------------------------------------------------------------------------

    def round_started(self, number: int) -> None:
        """The round's run shows in the cards; the status line says which round it is."""
        self.render()

    def round_finished(self, watch_round: WatchRound) -> None:
        """Add the round to the timeline."""
        self.rounds.append(watch_round)
        self.render()

    def alert(self, alert: Alert) -> None:
        """Warn where a person will see it, now and later."""
        self.alerts.append(alert)
        lang = self._lang()
        when = alert.at.astimezone().strftime("%H:%M")
        lines = "\n".join(line.render(lang) for line in alert.lines)
        title = tr("Watch: something regressed at {when}", when=when).render(lang)
        self.notified.append(f"{title}\n{lines}")
        self.panel.show_alert(f"{title}\n{lines}")
        if self.tray is not None:
            self.tray.showMessage(title, lines, QSystemTrayIcon.MessageIcon.Warning, 20_000)
        QApplication.alert(self._owner.window())  # the taskbar entry asks for attention

    def hold_changed(self, hold: HoldState) -> None:
        """The held connection's line in the status."""
        self.hold = hold
        self.render()

    # Showing ---------------------------------------------------------------------------------------------------

    def _show_tray(self) -> None:
        if self.tray is None and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(icon("app"), self)
        if self.tray is not None:
            self.tray.setToolTip(tr("sparkgui is watching this network").render(self._lang()))
            self.tray.show()

    def render(self) -> None:
        """The status line and the timeline, in the window's language."""
        lang = self._lang()
        self.panel.status_label.setText(self.status_text().render(lang))
        self.panel.timeline.set_rounds(self.rounds, [self.round_tip(r).render(lang) for r in self.rounds])
        self.panel.dismiss_button.setText(tr("Dismiss").render(lang))

    def status_text(self) -> Text:
        """Watching every N min · round 3 · next in 4:12 · the live connection open 12 min."""
        parts: list[Text] = []
        if self.active:
            parts.append(tr("Watching every {minutes} min", minutes=minutes_number(self._minutes)))
        else:
            parts.append(trn("Watch ended after {count} round", "Watch ended after {count} rounds", len(self.rounds)))
        if self.rounds:
            parts.append(trn("{count} alert", "{count} alerts", len(self.alerts)))  # regressions, not Warnings
        if self._next_at is not None and self.active:
            left = max(0, round(self._next_at - time.monotonic()))
            parts.append(tr("next round in {clock}", clock=f"{left // 60}:{left % 60:02d}"))
        hold = self.hold
        if hold is not None:
            minutes = number(hold.held_s() / 60, 0)
            if hold.open:
                parts.append(tr("the live connection has been open {minutes} min", minutes=minutes))
            else:
                parts.append(tr("the live connection is being opened again"))
            if hold.requirement_met:
                parts.append(
                    tr("the {required}-minute requirement is met", required=minutes_number(hold.required_s / 60))
                )
        return _joined(parts)

    def round_tip(self, watch_round: WatchRound) -> Text:
        """A round in one line, for its square's tooltip."""
        when = watch_round.started_at.astimezone().strftime("%H:%M")
        state: Text = ROUND_VERDICTS[watch_round.verdict] if watch_round.verdict is not None else tr("could not run")
        tip = tr("Round {number}, {when}: {state}", number=watch_round.number, when=when, state=state)
        extra = [*watch_round.regressions, *watch_round.recoveries]
        if watch_round.note is not None:
            extra.append(watch_round.note)
        for line in extra:
            tip = tr("{tip}\n{line}", tip=tip, line=line)
        return tip


def _joined(parts: list[Text]) -> Text:
    joined = parts[0]
    for part in parts[1:]:
        joined = tr("{before} · {after}", before=joined, after=part)
    return joined
