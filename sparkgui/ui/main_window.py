"""The main window: it composes the views and the controllers, and switches the language.

The views are the header, actions, banner, checks, event form and exports; the controllers are run, exports,
profile and demo, and proxy.

Each controller does one job and documents its signals; the window connects them. The engine is imported
only after the first paint (see `warm_up`), so the window appears at once; the PDF renderer and the proxy
dialogs are imported when first used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QMessageBox, QVBoxLayout, QWidget

from sparkgui.app.proxy_choice import describe_choice
from sparkgui.core.i18n import joined, reason_of, tr
from sparkgui.core.profile import Profile
from sparkgui.ui.check_list import CheckList
from sparkgui.ui.controllers.attendee_controller import AttendeeController
from sparkgui.ui.controllers.export_controller import ExportController
from sparkgui.ui.controllers.profile_controller import ProfileController
from sparkgui.ui.controllers.proxy_controller import ProxyController
from sparkgui.ui.controllers.run_controller import RunController
from sparkgui.ui.controllers.watch_controller import WatchController
from sparkgui.ui.errors import ErrorReporter
from sparkgui.ui.event_form import EventForm
from sparkgui.ui.first_paint import AfterFirstPaint
from sparkgui.ui.icons import icon
from sparkgui.ui.message_boxes import MessageBoxes
from sparkgui.ui.qt_language import qt_system_language, use_qt_language
from sparkgui.ui.settings import UiSettings
from sparkgui.ui.verdict_banner import VerdictBanner
from sparkgui.ui.views.action_bar import ActionBar
from sparkgui.ui.views.export_bar import ExportBar
from sparkgui.ui.views.header import HeaderView
from sparkgui.ui.views.quality_panel import QualityPanel
from sparkgui.ui.views.watch_panel import WatchPanel

if TYPE_CHECKING:
    import asyncio

    from sparkgui.app.session import RunFactory, RunRequest, SessionOutcome
    from sparkgui.core.context import NetworkSettings
    from sparkgui.core.model import RunOutcome
    from sparkgui.ui.history_dialog import HistoryDialog


MIN_LIST_HEIGHT = 150  # at the smallest size, still two cards of results in sight


class MainWindow(QMainWindow):
    """Signals: engineReady() once the engine is imported and the plan shown; runDone(RunOutcome)."""

    engineReady = Signal()
    runDone = Signal(object)

    def __init__(
        self,
        *,
        profile: Profile | None = None,
        profile_path: str | None = None,
        lang: str | None = None,
        network: NetworkSettings | None = None,
        resolvers: Sequence[str] = (),
        settings: UiSettings | None = None,
        run_factory: RunFactory | None = None,
        demo: str | None = None,
        keep_history: bool = True,
    ) -> None:
        super().__init__()
        self.keep_history = keep_history  # every finished run goes to the history (not the self-test's)
        self.history_dialog: HistoryDialog | None = None
        self.last_run_id: int | None = None
        self.settings = settings or UiSettings()
        # Asked (--lang), else picked before, else the system's: only a pick is remembered, so the window keeps
        # following the system until the person chooses.
        self.lang = lang or self.settings.language or qt_system_language()
        use_qt_language(self.lang)
        self.network = network
        self._resolvers = list(resolvers)
        self._engine_ready = False
        self._closing = False
        self.errors = ErrorReporter(lambda: self, lambda: self.lang)
        self.boxes = MessageBoxes(self, lambda: self.lang)
        self._build()
        self.runs = RunController(
            self, self.checks, self.banner, self.action_bar, self.errors, lambda: self.lang, run_factory
        )
        self.exports = ExportController(
            self, self.export_bar, self.event_form, self.settings, self.boxes, self._idle_outcome, lambda: self.lang
        )
        self.profiles = ProfileController(
            self, self.profile_combo, self.settings, self.boxes, lambda: self.lang, lambda: self.running, profile,
            profile_path,
        )  # fmt: skip
        self.exports.profile = lambda: self.profile
        self.exports.with_history = keep_history
        self.proxy = ProxyController(self, self.settings, lambda: self.lang, lambda: self.running)
        self.watcher = WatchController(self, self.watch_panel, self.runs, lambda: self.lang)
        self.attendee = AttendeeController(self, self.runs.engine_thread, lambda: self.lang, self._laptop_address)
        self.exports.attendees_of = lambda: self.attendee.results
        self._connect()
        AfterFirstPaint(self, self.warm_up)
        if demo is not None:
            self.profiles.set_demo(demo)
        self._retranslate()
        self.runs.show_idle(self.profile.name)
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(900, 780)
        if self.profiles.note is not None:
            self.export_bar.set_status(self.profiles.note)

    def _build(self) -> None:
        self.setWindowIcon(icon("app"))
        central = QWidget(self)
        root = QVBoxLayout(central)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)
        self.header = HeaderView(self.lang, central)
        self.action_bar = ActionBar(central)
        self.banner = VerdictBanner(central)
        self.watch_panel = WatchPanel(central)
        self.quality_panel = QualityPanel(central)
        self.checks = CheckList(self.lang, central)
        self.event_form = EventForm(self.settings.event_fields, self.settings.attendees, central)
        self.export_bar = ExportBar(central)
        for widget, stretch in (
            (self.header, 0),
            (self.action_bar, 0),
            (self.banner, 0),
            (self.watch_panel, 0),
            (self.checks, 1),
            (self.event_form, 0),
            (self.export_bar, 0),
        ):
            root.addWidget(widget, stretch)
        # The speed panel scrolls with the results: shown after a run, it must not make the window taller than
        # a laptop's screen (1366x768, or 1080p at 150 %), pushing the export buttons out of reach.
        self.checks.set_top(self.quality_panel)
        self.setCentralWidget(central)
        # No fixed minimum size: the layouts set it, so the longest language's buttons are never clipped.
        self.checks.setMinimumHeight(MIN_LIST_HEIGHT)
        # The widgets tests and people reach by name.
        self.platform_label, self.profile_combo = self.header.platform_label, self.header.profile_combo
        self.language_combo, self.proxy_button = self.header.language_combo, self.header.proxy_button
        self.demo_strip = self.header.demo_strip
        self.check_button, self.long_button = self.action_bar.check_button, self.action_bar.long_button
        self.sign_in_button, self.cancel_button = self.action_bar.sign_in_button, self.action_bar.cancel_button
        self.progress = self.action_bar.progress
        self.pdf_button, self.save_button = self.export_bar.pdf_button, self.export_bar.save_button
        self.copy_button, self.status_label = self.export_bar.copy_button, self.export_bar.status_label
        self.check_button.setFocus()

    def _connect(self) -> None:
        self.check_button.clicked.connect(self.start_check)
        self.long_button.clicked.connect(self.start_long_test)
        self.cancel_button.clicked.connect(self.cancel)
        self.proxy_button.clicked.connect(self.open_proxy_settings)
        self.action_bar.history_button.clicked.connect(self.open_history)
        self.action_bar.watch_button.clicked.connect(self._watch_pressed)
        self.event_form.phones_button.clicked.connect(self.open_attendee_test)
        self.watcher.stateChanged.connect(self._state_changed)
        self.sign_in_button.clicked.connect(self.open_sign_in)
        self.event_form.changed.connect(self._event_edited)
        self.language_combo.currentIndexChanged.connect(self._language_picked)
        self.runs.stateChanged.connect(self._state_changed)
        self.runs.runDone.connect(self._run_done)
        self.runs.sink.runStarted.connect(lambda _infos: self.quality_panel.clear())
        self.runs.sink.checkFinished.connect(self.quality_panel.add_record)
        self.profiles.profileChanged.connect(self._profile_changed)
        self.proxy.choiceChanged.connect(self._retranslate)
        self.proxy.signedIn.connect(lambda: self._start(long_hold=self.runs.last_long_hold))
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.start_check)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_json_dialog)
        QShortcut(QKeySequence.StandardKey.Print, self, self.export_pdf_dialog)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_for_it)

    # Warm-up: the engine is imported after the first paint ------------------------------------------------

    @property
    def ready(self) -> bool:
        """Whether a check can start: the engine is imported and the network settings are known."""
        return self._engine_ready and self.network is not None

    def warm_up(self) -> None:
        """Import the engine (aiohttp, dnspython) and show the planned checks, waiting. Idempotent."""
        if self._engine_ready:
            return
        import sparkgui.app.session  # noqa: F401 - the import is the warm-up
        from sparkgui.app.network import network_settings

        self._engine_ready = True
        if self.network is None:
            try:
                self.network = network_settings(self._resolvers)
            except ValueError as exc:
                self.boxes.show(QMessageBox.Icon.Critical, tr("DNS server option"), reason_of(exc))
                self._update_buttons()
                return
        self._show_plan()
        self._update_buttons()
        self.engineReady.emit()

    def _show_plan(self) -> None:
        if self._engine_ready and not self.running:
            from sparkgui.core.plan import plan_checks

            self.checks.show_plan([check.info for check in plan_checks(self.profile)])

    # Running ---------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """Whether a run is under way."""
        return self.runs.running

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The run under way (or the last one), for callers that wait for it."""
        return self.runs.task

    @property
    def session_outcome(self) -> SessionOutcome | None:
        """Everything about the last run (None during a run)."""
        return self.runs.session_outcome

    @property
    def outcome(self) -> RunOutcome | None:
        """The last run's records and verdict."""
        shown = self.runs.session_outcome
        return shown.outcome if shown is not None else None

    def _idle_outcome(self) -> SessionOutcome | None:
        return None if self.running else self.runs.session_outcome

    def start_check(self) -> None:
        """Check this network now."""
        self._start(long_hold=False)

    def start_long_test(self) -> None:
        """Check, holding the WebSockets for the profile's long hold (the 10-minute test)."""
        if self.profile.websocket is not None:
            self._start(long_hold=True)

    def _start(self, long_hold: bool) -> None:
        request = self._request(long_hold)
        if request is not None:
            self.runs.start(request)

    def _request(self, long_hold: bool) -> RunRequest | None:
        """What a run (or a watch) would check now; None while busy or before the engine is ready.

        Also None when the remembered proxy no longer parses (a message box says so).
        """
        if self.busy:
            return None
        network = self._network_now()
        if network is None:
            return None
        from sparkgui.app.session import RunRequest

        self.proxy.after_run(None)
        self.export_bar.set_status(None)
        attendees = self.event_form.attendees
        return RunRequest(self.profile, network, demo=self.demo, long_hold=long_hold, attendees=attendees)

    def _network_now(self) -> NetworkSettings | None:
        """The network settings with the proxy chosen now; None before the engine is ready, or for a bad proxy."""
        self.warm_up()
        if not self.ready or self.network is None:
            return None
        from sparkgui.app.network import network_for

        try:
            return network_for(self.network, self.proxy.choice, self.proxy.credentials)
        except ValueError as exc:  # a remembered proxy address that no longer parses
            self.boxes.show(QMessageBox.Icon.Warning, tr("Proxy settings"), reason_of(exc))
            return None

    # Attendees' phones ------------------------------------------------------------------------------------

    def open_attendee_test(self) -> None:
        """The QR code of the platform's test link, and the phones' results as they come."""
        network = self._network_now()
        if network is None:
            return
        from sparkgui.app.attendee_test import attendee_test_for

        profile, demo = self.profile, self.demo is not None
        self.attendee.open(lambda: attendee_test_for(profile, network, demo))

    def _laptop_address(self) -> str:
        """This laptop's public address as the probe saw it in the last run (the demo's own in demo mode)."""
        if self.demo is not None:
            from sparkgui.app.session import DEMO_NETWORK

            return DEMO_NETWORK.public_address
        shown = self.runs.session_outcome
        identity = shown.environment.network if shown is not None else None
        return identity.public_address if identity is not None else ""

    # The event-day watch -----------------------------------------------------------------------------------

    @property
    def watching(self) -> bool:
        """Whether the event-day watch is under way."""
        return self.watcher.active

    @property
    def busy(self) -> bool:
        """A run or a watch is under way: the profile, the proxy and the check buttons wait."""
        return self.running or self.watching

    def start_watch(self, minutes: float) -> None:
        """Watch during the event: the quick checks every `minutes`, one live connection held all along."""
        request = self._request(long_hold=False)
        if request is not None:
            self.watcher.start(request, minutes, self.exports.current_event(), self.keep_history)

    def stop_watch(self) -> None:
        """End the watch; the round under way stops, the held connection is judged."""
        self.watcher.stop()

    def _watch_pressed(self) -> None:
        if self.watching:
            self.stop_watch()
            return
        from PySide6.QtWidgets import QInputDialog

        minutes, chosen = QInputDialog.getInt(
            self,
            tr("Watch during the event").render(self.lang),
            tr(
                "Every few minutes, check again (every check but the long hold), and keep one live connection "
                "open all along. You are warned here, and by a notification, as soon as something gets worse.\n\n"
                "Check again every (minutes):"
            ).render(self.lang),
            self.settings.watch_minutes,
            1,
            120,
        )
        if chosen:
            self.settings.watch_minutes = minutes
            self.start_watch(minutes)

    def cancel(self) -> None:
        """Stop every check at once; the results so far stay on screen and the verdict says incomplete."""
        self.runs.cancel()

    def _run_done(self, outcome: RunOutcome) -> None:
        self.proxy.after_run(self.runs.session_outcome)
        if self.keep_history:
            self._remember()
        notes = self.runs.session.profile_notes if self.runs.session is not None else ()
        if notes:  # the platform's published profile was refused or out of reach: said, not hidden
            self.export_bar.set_status(notes[0])
        self.runDone.emit(outcome)

    def _remember(self) -> None:
        """Keep the finished run in the history; a history that cannot be used says so on the status line."""
        from sparkgui.core.history.store import keep_run

        shown = self.runs.session_outcome  # the run is still winding down: exports are not offered yet
        if shown is None:
            return
        if self.watching:  # a watch's round: the watch keeps it, with its place in the watch
            return
        kept = keep_run(shown.report(self.lang, self.exports.current_event()))
        self.last_run_id = kept.run_id
        if kept.problem is not None:
            self.export_bar.set_status(tr("This run was not kept in the history: {problem}", problem=kept.problem))
        elif kept.notes:
            self.export_bar.set_status(joined(kept.notes))

    def _state_changed(self) -> None:
        self._update_buttons()
        if self._closing and not self.busy:
            self.close()

    # Exports, profile and proxy: the controllers' entry points, by the names people and tests use ----------

    def copy_for_it(self) -> None:
        """Put the plain-text summary for IT on the clipboard."""
        self.exports.copy_for_it()

    def build_report(self) -> dict[str, Any] | None:
        """The last run's report, as both exports write it."""
        return self.exports.build_report()

    def suggested_path(self, ext: str) -> str:
        """The file name an export proposes."""
        return self.exports.suggested_path(ext)

    def save_json_dialog(self) -> None:
        """Ask where, then save the JSON report."""
        self.exports.save_json_dialog()

    def save_json(self, path: str) -> bool:
        """Save the JSON report to `path`."""
        return self.exports.save_json(path)

    def export_pdf_dialog(self) -> None:
        """Ask where, then save the PDF."""
        self.exports.export_pdf_dialog()

    def export_pdf(self, path: str) -> bool:
        """Save the PDF to `path`."""
        return self.exports.export_pdf(path)

    @property
    def profile(self) -> Profile:
        """The profile in use."""
        return self.profiles.profile

    @property
    def demo(self) -> str | None:
        """The demo scenario's name while demo mode is on."""
        return self.profiles.demo

    def set_demo(self, scenario: str | None) -> None:
        """Demo mode on (a scenario's name) or off."""
        self.profiles.set_demo(scenario)

    def use_profile(self, profile: Profile) -> None:
        """Check with `profile` from now on."""
        self.profiles.use(profile)

    def load_profile_file(self, path: str) -> bool:
        """Load a profile file; a bad one gives a dialog and changes nothing."""
        return self.profiles.load_file(path)

    def _profile_changed(self) -> None:
        self.runs.session_outcome = None
        self.attendee.forget()
        self._retranslate()
        self.runs.show_idle(self.profile.name)
        self._show_plan()
        self._update_buttons()

    def _event_edited(self) -> None:
        self.settings.event_fields = self.event_form.fields
        self.settings.attendees = self.event_form.attendees

    @property
    def sign_in_needed(self) -> tuple[str, str] | None:
        """(cause, proxy address) when the last run's proxy wants credentials or refused them."""
        return self.proxy.sign_in_needed

    @property
    def proxy_dialog(self) -> Any:
        """The open "Proxy…" dialog, if any."""
        return self.proxy.settings_dialog

    @property
    def sign_in_dialog(self) -> Any:
        """The open sign-in dialog, if any."""
        return self.proxy.sign_in_dialog

    @property
    def message_box(self) -> QMessageBox | None:
        """The open message box, if any."""
        return self.boxes.current

    @property
    def engine_thread(self) -> Any:
        """The engine's own thread and loop."""
        return self.runs.engine_thread

    def open_proxy_settings(self) -> None:
        """The "Proxy…" dialog."""
        self.proxy.open_settings()

    def open_history(self) -> None:
        """The History window: every kept run, its exports, a comparison."""
        from sparkgui.ui.history_dialog import HistoryDialog

        self.history_dialog = HistoryDialog(self.lang, self)
        self.history_dialog.open()

    def open_sign_in(self) -> None:
        """Ask for the proxy's credentials, then check again."""
        self.proxy.open_sign_in(self.profile.name)

    # Language ----------------------------------------------------------------------------------------------

    def _language_picked(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if isinstance(code, str):
            self.set_language(code)

    def set_language(self, lang: str) -> None:
        """Switch language live: every text, results included, is re-rendered from its template."""
        self.lang = lang
        self.settings.language = lang
        use_qt_language(lang)
        index = self.language_combo.findData(lang)
        if index != self.language_combo.currentIndex():
            self.language_combo.setCurrentIndex(index)
        self.profiles.fill()
        self._retranslate()
        self.checks.set_language(lang)
        self.runs.render_banner()

    def _retranslate(self) -> None:
        lang = self.lang
        self.setWindowTitle(self.profiles.window_title().render(lang))
        strip = self.profiles.demo_strip()
        proxy = describe_choice(self.proxy.choice)
        self.header.retranslate(
            lang, self.profile.name, strip.render(lang) if strip else None, proxy, self.profile.ports
        )
        self.action_bar.retranslate(lang, self.profile.websocket is not None, self.watching)
        self.watcher.render()
        self.export_bar.retranslate(lang)
        self.event_form.retranslate(lang)
        self.quality_panel.retranslate(lang)
        self.checks.setAccessibleName(tr("Checks and their results").render(lang))

    def _update_buttons(self) -> None:
        running, ready, busy = self.running, self.ready, self.busy
        has_outcome = self.runs.session_outcome is not None and not running
        self.check_button.setEnabled(ready and not busy)
        self.long_button.setEnabled(ready and not busy and self.profile.websocket is not None)
        self.action_bar.watch_button.setEnabled(ready and (self.watching or not running))
        self.cancel_button.setEnabled(running)
        for button in (self.copy_button, self.save_button, self.pdf_button):
            button.setEnabled(has_outcome)
        self.export_bar.rules_button.setEnabled(not running)  # the rules come from the profile: no run needed
        self.sign_in_button.setVisible(self.sign_in_needed is not None and not running)
        self.profile_combo.setEnabled(not busy)
        self.proxy_button.setEnabled(not busy)
        if not running and self.check_button.isEnabled() and self.cancel_button.hasFocus():
            self.check_button.setFocus()
        elif running and not self.cancel_button.hasFocus():
            self.cancel_button.setFocus()
        self._retranslate()

    # Closing -----------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing during a run cancels it first and closes once every check has stopped."""
        if self.busy and not self._closing:
            self._closing = True
            self.stop_watch()
            self.cancel()
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self.attendee.forget()
        self.runs.stop()
        event.accept()
