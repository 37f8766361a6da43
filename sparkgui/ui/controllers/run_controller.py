"""Starting, following and cancelling runs, and showing their outcome in the list and the banner.

Signals:
    stateChanged(): a run started or ended; buttons that depend on it should be updated.
    runDone(RunOutcome): a run's outcome is on screen (`session_outcome` holds everything about it).

The slot stays thin: it awaits `EngineThread.run(session.execute)`, so the engine's work runs on its own
thread and loop; progress comes back as queued signals, and the outcome is computed once by the session
layer when the run's last event arrives.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from sparkgui.core.causes import Cause
from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown, RunOutcome, Status, Verdict
from sparkgui.core.requirements import requirements_strip
from sparkgui.ui.check_list import CheckList
from sparkgui.ui.engine_thread import EngineThread
from sparkgui.ui.errors import ErrorReporter
from sparkgui.ui.sink import QtProgressSink
from sparkgui.ui.verdict_banner import VerdictBanner
from sparkgui.ui.views.action_bar import ActionBar

if TYPE_CHECKING:  # the session layer pulls in the engine: imported at the first run, after the first paint
    from sparkgui.app.session import RunFactory, RunRequest, Session, SessionOutcome

REFRESH_MS = 50  # overall progress, banner and group headers are redrawn at most this often


class RunController(QObject):
    """Owns the engine thread, the progress sink and the session of the run under way."""

    stateChanged = Signal()
    runDone = Signal(object)

    def __init__(
        self,
        owner: QWidget,
        checks: CheckList,
        banner: VerdictBanner,
        actions: ActionBar,
        errors: ErrorReporter,
        lang: Callable[[], str],
        run_factory: RunFactory | None = None,
    ) -> None:
        super().__init__(owner)
        self.checks, self.banner, self.actions, self.errors = checks, banner, actions, errors
        self._owner = owner
        self._lang = lang
        self._run_factory = run_factory
        self.engine_thread = EngineThread()  # runs execute there: the GUI thread only draws
        self.sink = QtProgressSink(self)
        self.task: asyncio.Task[None] | None = None
        self.session: Session | None = None
        self.session_outcome: SessionOutcome | None = None
        self.last_long_hold = False
        self._total = 0
        self._finished = 0
        self._fractions: dict[str, float] = {}
        self._banner_texts: tuple[Text, Text] = (Text(""), Text(""))
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self._refresh_overview)
        self.sink.runStarted.connect(self._run_started)
        self.sink.checkStarted.connect(self._check_started)
        self.sink.checkProgress.connect(self._check_progress)
        self.sink.checkFinished.connect(self._check_finished)
        self.sink.runFinished.connect(self._run_finished)

    @property
    def running(self) -> bool:
        """Whether a run is under way."""
        return self.task is not None and not self.task.done()

    # Starting and stopping -------------------------------------------------------------------------------

    def start(self, request: RunRequest) -> None:
        """Start a run of `request` unless one is under way."""
        if self.running:
            return
        from sparkgui.app.session import Session

        self.session_outcome = None
        self.last_long_hold = request.long_hold
        self.actions.progress.setValue(0)
        self.actions.progress.setFormat("")
        self.actions.progress.show()
        sink = self.sink.bind(asyncio.get_running_loop())
        session = self.session = Session(request, sink, run_factory=self._run_factory)
        self.task = asyncio.ensure_future(self._execute(session))
        self.stateChanged.emit()

    async def run_and_wait(self, request: RunRequest) -> SessionOutcome | None:
        """Run `request` as any run (the cards show it) and return its outcome; None if it never finished."""
        self.start(request)
        task = self.task
        if task is None:
            return None
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError:
            self.cancel()
            await asyncio.wait([task])
            raise
        return self.session_outcome

    async def _execute(self, session: Session) -> None:
        try:
            await self.engine_thread.run(session.execute)  # on the engine thread: it holds no Qt object
        except Exception as exc:
            if not shiboken6.isValid(self):
                return  # the window is already gone (its owner deleted it): nobody left to tell
            self.errors.report("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
            self.show_idle(session.request.profile.name)
        finally:
            if shiboken6.isValid(self):
                QTimer.singleShot(0, self, self.stateChanged.emit)  # not called once the window is gone

    def cancel(self) -> None:
        """Stop every check at once; the results so far stay on screen and the verdict says incomplete."""
        if self.session is not None and self.running:
            self.engine_thread.call_soon(self.session.cancel)
        elif self.task is not None and not self.task.done():
            self.task.cancel()

    # Engine events -----------------------------------------------------------------------------------------

    def _run_started(self, infos: list[CheckInfo]) -> None:
        self._total, self._finished, self._fractions = len(infos), 0, {}
        self.checks.show_plan(infos)
        self.banner.show_state("verdict-running", None, running=True)
        self._update_progress()

    def _check_started(self, info: CheckInfo) -> None:
        card = self.checks.cards.get(info.id)
        if card is not None:
            card.mark_running()

    def _check_progress(self, info: CheckInfo, fraction: float, message: Text, countdown: Countdown | None) -> None:
        card = self.checks.cards.get(info.id)
        if card is not None:
            card.show_progress(message, countdown)
        self._fractions[info.id] = fraction
        self._schedule_refresh()

    def _check_finished(self, record: CheckRecord) -> None:
        card = self.checks.cards.get(record.id)
        if card is not None:
            card.show_result(record)
        self._finished += 1
        self._fractions[record.id] = 1.0
        self._schedule_refresh()

    def _run_finished(self, outcome: RunOutcome) -> None:
        if self.session is None:
            return
        shown = self.session_outcome = self.session.outcome_of(outcome)
        self._refresh_timer.stop()
        self._settle_cards()
        self.checks.render_headers()
        self.actions.progress.setValue(1000)
        self.actions.progress.setFormat(f"{self._finished}/{self._total}")
        self.actions.progress.hide()  # at rest: the banner says how it ended
        self.banner.show_verdict(outcome.verdict)
        self._banner_texts = (shown.headline(), self._detail(shown))
        self.render_banner()
        self._reveal_first_problem()
        self.runDone.emit(outcome)

    def _settle_cards(self) -> None:
        """A card the run never finished (it was cancelled first) goes back to waiting: no stale countdown."""
        for card in self.checks.cards.values():
            if card.running:
                card.reset()

    def _detail(self, shown: SessionOutcome) -> Text:
        line = shown.tally.strip(shown.seconds)
        wanted = requirements_strip(shown.requirements)
        if wanted is not None:
            line = tr("{counts}\n{requirements}", counts=line, requirements=wanted)
        sign_in = shown.sign_in_problem()
        hint: Text | None = None
        if sign_in is not None:  # the fix is in the organiser's hands: say so where they look
            proxy = shown.proxy_of(sign_in)
            if sign_in.code == Cause.PROXY_AUTH_FAILED:
                note = tr("The proxy {proxy} refused the user name or password.", proxy=proxy)
            else:
                note = tr("The proxy {proxy} asks for a user name and password.", proxy=proxy)
            hint = tr("{note} Press “Sign in to the proxy…” to give them.", note=note)
        elif shown.verdict in (Verdict.NOT_READY, Verdict.READY_WITH_WARNINGS):
            hint = tr("Open a check marked Failed or Warning to see what to ask the venue's IT.")
        return line if hint is None else tr("{counts}\n{hint}", counts=line, hint=hint)

    def _reveal_first_problem(self) -> None:
        """Scroll to the first failure (else warning), so what to fix is on screen without searching."""
        cards = list(self.checks.cards.values())
        for wanted in ((Status.FAIL, Status.ERROR), (Status.WARN,)):
            first = next((card for card in cards if card.status in wanted), None)
            if first is not None:
                self.checks.ensureWidgetVisible(first, 0, 40)
                return

    # Overview ----------------------------------------------------------------------------------------------

    def _schedule_refresh(self) -> None:
        """Redraw at most every 50 ms, however many checks report at once.

        150 checks finishing together must not make 150 repaints.
        """
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_overview(self) -> None:
        if self.running and self.session_outcome is None:
            self._update_progress()
            self.checks.render_headers()

    def _update_progress(self) -> None:
        if not self._total:
            return
        done = sum(self._fractions.values())
        self.actions.progress.setValue(round(1000 * done / self._total))
        detail = tr("{done} of {total} checks done.", done=self._finished, total=self._total)
        hold = next((c.countdown for c in self.checks.cards.values() if c.running and c.countdown), None)
        if hold is not None:  # the long wait of the run: say when it ends
            detail = tr(
                "{done} of {total} checks done. Live connection test: {clock} left.",
                done=self._finished,
                total=self._total,
                clock=hold.clock,
            )
        self._banner_texts = (tr("Checking this network…"), detail)
        self.render_banner()
        self.actions.progress.setFormat(f"{self._finished}/{self._total}")

    def show_idle(self, platform: str) -> None:
        """The banner and the progress bar before any run (or after the profile changed)."""
        self.banner.show_state("verdict-idle", None)
        self.actions.progress.setValue(0)
        self.actions.progress.setFormat("")
        self.actions.progress.hide()
        self._banner_texts = (
            tr("Ready to check this network for {platform}.", platform=platform),
            tr(
                "Connect this computer to the venue's network (the same Wi-Fi as the audience), "
                "then press “Check this network”."
            ),
        )
        self.render_banner()

    def render_banner(self) -> None:
        """The banner's texts in the window's current language."""
        headline, detail = self._banner_texts
        lang = self._lang()
        self.banner.set_texts(headline.render(lang), detail.render(lang))

    def stop(self) -> None:
        """Wind the engine thread down (the window is closing)."""
        self.engine_thread.stop()
