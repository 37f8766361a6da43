"""The main window: the platform's name, one button, a verdict banner and the checks grouped for a person;
below them the event details and the exports for the venue's IT (PDF, JSON, clipboard).

Slots stay thin: they toggle the UI and await `_session`, which prepares an engine run and executes it.
The engine is imported only after the first paint (see `warm_up`), so the window appears at once; the
PDF renderer and the proxy dialogs are imported when first used.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QPaintEvent, QShortcut, QShowEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckInfo, CheckRecord, Status, Verdict
from sparkgui.core.profile import Profile, ProfileError, bundled_profile_names, load_bundled_profile, load_profile
from sparkgui.core.verdict_text import verdict_sentence
from sparkgui.ui.check_list import CheckList
from sparkgui.ui.engine_thread import EngineThread, RunSlot
from sparkgui.ui.errors import ErrorReporter
from sparkgui.ui.event_form import EventForm
from sparkgui.ui.icons import icon, icon_path
from sparkgui.ui.proxy_choice import ProxyChoice, describe_choice
from sparkgui.ui.settings import BUNDLED_PREFIX, UiSettings
from sparkgui.ui.sink import QtProgressSink

if TYPE_CHECKING:
    from sparkgui.core.context import NetworkSettings
    from sparkgui.core.events import ProgressSink
    from sparkgui.core.net.proxy_spec import ProxyCredentials
    from sparkgui.core.net.routes import RouteTable
    from sparkgui.core.runner import Run, RunOutcome
    from sparkgui.ui.proxy_dialogs import ProxySettingsDialog, ProxySignInDialog

RunFactory = Callable[[Profile, "NetworkSettings", "ProgressSink", bool], "Run"]

LANGUAGE_NAMES = {"en": "English", "fr": "Français"}  # each in its own language, so anyone finds theirs
LOAD_FILE = "load-file"
DEMO_PREFIX = "demo:"
# The proxy answers that the sign-in can fix: the window then offers "Sign in to the proxy…".
SIGN_IN_CAUSES = ("proxy.auth_required", "proxy.auth_failed")


class MainWindow(QMainWindow):
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
    ) -> None:
        super().__init__()
        from sparkgui.core.i18n import system_language

        self.settings = settings or UiSettings()
        self.lang = lang or self.settings.language or system_language()
        self.network = network
        self._resolvers = list(resolvers)
        self._run_factory = run_factory
        self._engine: ModuleType | None = None
        self.task: asyncio.Task[None] | None = None
        self.engine_thread = EngineThread()  # runs execute there: the GUI thread only draws
        self._slot = RunSlot()
        self.outcome: RunOutcome | None = None
        self._outcome_profile: Profile | None = None
        self._outcome_network: NetworkSettings | None = None
        self._outcome_routes: RouteTable | None = None
        self._last_long_hold = False
        self.demo: str | None = None  # the demo scenario's name while demo mode is on
        self._outcome_demo: str | None = None
        self.proxy_choice: ProxyChoice = self.settings.proxy
        self._credentials: ProxyCredentials | None = None  # the proxy sign-in: in memory only, never saved
        self.sign_in_needed: tuple[str, str] | None = None  # (cause, proxy address) of the last run
        self.proxy_dialog: ProxySettingsDialog | None = None
        self.sign_in_dialog: ProxySignInDialog | None = None
        self._closing = False
        self._painted = False
        self._total = 0
        self._finished = 0
        self._fractions: dict[str, float] = {}
        self._banner_texts: tuple[Text, Text] = (Text(""), Text(""))
        self._status_text: Text | None = None
        self.message_box: QMessageBox | None = None
        self.errors = ErrorReporter(lambda: self, lambda: self.lang)
        self.sink = QtProgressSink(self)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(50)
        self._refresh_timer.timeout.connect(self._refresh_overview)
        self.profile, profile_note = self._initial_profile(profile, profile_path)

        self._build()
        self._connect()
        self._fill_profiles()
        self._retranslate()
        self._show_idle()
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(900, 780)
        if profile_note is not None:
            self._set_status(profile_note)

    # Construction ----------------------------------------------------------------------------------------

    def _initial_profile(self, given: Profile | None, path: str | None) -> tuple[Profile, Text | None]:
        """The profile from the caller, then --profile, then the last one used, then the bundled default."""
        if given is not None:
            return given, None
        if path:
            return load_profile(path), None  # a bad --profile is reported by run_app before the window opens
        remembered = self.settings.profile_source
        if remembered:
            from sparkgui.ui.settings import load_by_source

            try:
                return load_by_source(remembered), None
            except ProfileError as exc:
                note = tr("The last profile could not be loaded ({problem}); using the built-in one.", problem=str(exc))
                return load_bundled_profile(), note
        return load_bundled_profile(), None

    def _build(self) -> None:
        self.setWindowIcon(icon("app"))
        central = QWidget(self)
        root = QVBoxLayout(central)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)

        header = QHBoxLayout()
        logo = QSvgWidget(icon_path("app"), central)
        logo.setFixedSize(40, 40)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.platform_label = QLabel(central)
        self.platform_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.platform_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.9)
        font.setBold(True)
        self.platform_label.setFont(font)
        self.subtitle = QLabel(central)
        self.subtitle.setWordWrap(True)
        titles.addWidget(self.platform_label)
        titles.addWidget(self.subtitle)
        self.profile_caption = QLabel(central)
        self.profile_combo = QComboBox(central)
        self.profile_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.profile_caption.setBuddy(self.profile_combo)
        self.language_caption = QLabel(central)
        self.language_combo = QComboBox(central)
        for code, name in LANGUAGE_NAMES.items():
            self.language_combo.addItem(name, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self.lang)))
        self.language_caption.setBuddy(self.language_combo)
        self.proxy_caption = QLabel(central)
        self.proxy_button = QPushButton(central)
        self.proxy_caption.setBuddy(self.proxy_button)
        pickers = QVBoxLayout()
        for caption, combo in (
            (self.profile_caption, self.profile_combo),
            (self.language_caption, self.language_combo),
            (self.proxy_caption, self.proxy_button),
        ):
            line = QHBoxLayout()
            line.addStretch(1)
            line.addWidget(caption)
            line.addWidget(combo)
            pickers.addLayout(line)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        header.addLayout(pickers)
        root.addLayout(header)
        self.demo_strip = QLabel(central)  # demo mode is never mistaken for a real result
        self.demo_strip.setObjectName("demoStrip")
        self.demo_strip.setWordWrap(True)
        self.demo_strip.setStyleSheet(
            "#demoStrip { background-color: #b45309; color: white; font-weight: bold; padding: 6px 10px;"
            " border-radius: 4px; }"
        )
        self.demo_strip.hide()
        root.addWidget(self.demo_strip)

        actions = QHBoxLayout()
        self.check_button = QPushButton(central)
        self.check_button.setObjectName("primaryButton")
        self.check_button.setDefault(True)
        self.check_button.setAutoDefault(True)
        self.check_button.setMinimumHeight(40)
        bold = self.check_button.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.check_button.setFont(bold)
        self.check_button.setStyleSheet(
            "#primaryButton { background-color: palette(highlight); color: palette(highlighted-text);"
            " border-radius: 6px; padding: 6px 22px; }"
            "#primaryButton:disabled { background-color: palette(mid); color: palette(window); }"
            "#primaryButton:focus { border: 2px solid palette(text); }"
        )
        self.long_button = QPushButton(central)
        self.sign_in_button = QPushButton(icon("status-warn"), "", central)
        self.sign_in_button.setMinimumHeight(40)
        self.sign_in_button.hide()  # offered only when the proxy asks for credentials
        self.cancel_button = QPushButton(central)
        self.progress = QProgressBar(central)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        actions.addWidget(self.check_button)
        actions.addWidget(self.sign_in_button)
        actions.addWidget(self.long_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 1)
        root.addLayout(actions)

        from sparkgui.ui.verdict_banner import VerdictBanner

        self.banner = VerdictBanner(central)
        root.addWidget(self.banner)
        self.checks = CheckList(self.lang, central)
        root.addWidget(self.checks, 1)

        self.event_form = EventForm(self.settings.event_fields, central)
        root.addWidget(self.event_form)
        footer = QHBoxLayout()
        self.pdf_button = QPushButton(central)
        strong = self.pdf_button.font()
        strong.setBold(True)  # the organiser's deliverable
        self.pdf_button.setFont(strong)
        self.save_button = QPushButton(central)
        self.copy_button = QPushButton(central)
        self.status_label = QLabel(central)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        footer.addWidget(self.pdf_button)
        footer.addWidget(self.save_button)
        footer.addWidget(self.copy_button)
        footer.addWidget(self.status_label, 1)
        root.addLayout(footer)
        self.setCentralWidget(central)
        self.setMinimumSize(640, 520)
        self.check_button.setFocus()

    def _connect(self) -> None:
        self.check_button.clicked.connect(self.start_check)
        self.long_button.clicked.connect(self.start_long_test)
        self.cancel_button.clicked.connect(self.cancel)
        self.copy_button.clicked.connect(self.copy_for_it)
        self.save_button.clicked.connect(self.save_json_dialog)
        self.pdf_button.clicked.connect(self.export_pdf_dialog)
        self.proxy_button.clicked.connect(self.open_proxy_settings)
        self.sign_in_button.clicked.connect(self.open_sign_in)
        self.event_form.changed.connect(self._event_edited)
        self.language_combo.currentIndexChanged.connect(self._language_picked)
        self.profile_combo.activated.connect(self._profile_picked)
        self.sink.runStarted.connect(self._run_started)
        self.sink.checkStarted.connect(self._check_started)
        self.sink.checkProgress.connect(self._check_progress)
        self.sink.checkFinished.connect(self._check_finished)
        self.sink.runFinished.connect(self._run_finished)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.start_check)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_json_dialog)
        QShortcut(QKeySequence.StandardKey.Print, self, self.export_pdf_dialog)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy_for_it)

    # Warm-up: the engine is imported after the first paint ------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(300, self, self.warm_up)  # in case no paint event reaches us (some platforms)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.warm_up)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest and not self._painted:
            self._painted = True
            QTimer.singleShot(0, self, self.warm_up)
        return super().event(event)

    @property
    def ready(self) -> bool:
        return self._engine is not None and self.network is not None

    def warm_up(self) -> None:
        """Import the engine (aiohttp, dnspython) and show the planned checks, waiting. Idempotent."""
        if self._engine is not None:
            return
        from sparkgui.ui import engine_bridge

        self._engine = engine_bridge
        if self.network is None:
            try:
                self.network = engine_bridge.network_settings(self._resolvers)
            except ValueError as exc:
                self._show_box(QMessageBox.Icon.Critical, tr("DNS server option"), Text(str(exc)))
                self._update_buttons()
                return
        self._show_plan()
        self._update_buttons()
        self.engineReady.emit()

    def _show_plan(self) -> None:
        if self._engine is not None and not self.running:
            self.checks.show_plan(self._engine.planned_checks(self.profile))

    # Running ---------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done()

    def start_check(self) -> None:
        self._start(long_hold=False)

    def start_long_test(self) -> None:
        if self.profile.websocket is not None:
            self._start(long_hold=True)

    def _start(self, long_hold: bool) -> None:
        if self.running:
            return
        self.warm_up()
        if not self.ready or self._engine is None or self.network is None:
            return
        try:
            network = self._engine.network_for(self.network, self.proxy_choice, self._credentials)
        except ValueError as exc:  # a remembered proxy address that no longer parses
            self._show_box(QMessageBox.Icon.Warning, tr("Proxy settings"), Text(str(exc)))
            return
        self.outcome = None
        self.sign_in_needed = None
        self._status_text = None
        self._last_long_hold = long_hold
        self.task = asyncio.ensure_future(self._session(network, long_hold))
        self._update_buttons()

    async def _session(self, network: NetworkSettings, long_hold: bool) -> None:
        assert self._engine is not None
        engine = self._engine
        factory = self._run_factory or engine.make_run
        profile, demo = self.profile, self.demo
        self._outcome_demo = demo
        sink = self.sink.bind(asyncio.get_running_loop())
        slot = self._slot = RunSlot()

        async def execute() -> None:  # on the engine thread: it must hold no Qt object, not even `self`
            if demo is not None:
                async with engine.demo_run(profile, demo, sink, long_hold) as (run, demo_network):
                    slot.fill(run, demo_network)
                    await run.execute()
                return
            run = factory(profile, network, sink, long_hold)
            slot.fill(run, network)
            await run.execute()

        try:
            await self.engine_thread.run(execute)
        except Exception as exc:
            if not shiboken6.isValid(self):
                return  # the window is already gone (its owner deleted it): nobody left to tell
            self.errors.report("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
            self._show_idle()
        finally:
            self._slot.run = None
            if shiboken6.isValid(self):
                QTimer.singleShot(0, self, self._after_session)  # not called once the window is gone

    def _after_session(self) -> None:
        self._update_buttons()
        if self._closing:
            self.close()

    def cancel(self) -> None:
        """Stop every check at once; the results so far stay on screen and the verdict says incomplete."""
        run = self._slot.run
        if run is not None:
            self.engine_thread.call_soon(run.cancel)
        elif self.task is not None and not self.task.done():
            self.task.cancel()

    def _run_started(self, infos: list[CheckInfo]) -> None:
        self._total, self._finished, self._fractions = len(infos), 0, {}
        self.checks.show_plan(infos)
        self.banner.show_state("verdict-running", None, running=True)
        self._update_progress()

    def _check_started(self, info: CheckInfo) -> None:
        card = self.checks.cards.get(info.id)
        if card is not None:
            card.mark_running()

    def _check_progress(self, info: CheckInfo, fraction: float, message: Text) -> None:
        card = self.checks.cards.get(info.id)
        if card is not None:
            card.show_progress(message)
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
        self.outcome = outcome
        self._outcome_profile = self.profile
        context = self._slot.context
        self._outcome_routes = context.route_table if context is not None else None
        self._outcome_network = self._slot.network
        self.sign_in_needed = proxy_sign_in_needed(outcome)
        self._refresh_timer.stop()
        self.checks.render_headers()
        self.progress.setValue(1000)
        self.progress.setFormat(f"{self._finished}/{self._total}")
        self.banner.show_verdict(outcome.verdict)
        if outcome.cancelled:
            headline = tr("Check cancelled: the result is not known.")
        else:
            headline = verdict_sentence(outcome.verdict, outcome.records, self.profile.name)
        if self._outcome_demo is not None:
            headline = tr("DEMO (simulated venue): {verdict}", verdict=headline)
        hint = None
        if self.sign_in_needed is not None:  # the fix is in the organiser's hands: say so where they look
            cause, proxy = self.sign_in_needed
            if cause == "proxy.auth_failed":
                note = tr("The proxy {proxy} refused the user name or password.", proxy=proxy)
            else:
                note = tr("The proxy {proxy} asks for a user name and password.", proxy=proxy)
            hint = tr("{note} Press “Sign in to the proxy…” to give them.", note=note)
        self._banner_texts = (headline, self._counts_text(outcome, hint))
        self._render_banner()
        self._reveal_first_problem()
        self.runDone.emit(outcome)

    def _reveal_first_problem(self) -> None:
        """Scroll to the first failure (else warning), so what to fix is on screen without searching."""
        cards = list(self.checks.cards.values())
        for wanted in ((Status.FAIL, Status.ERROR), (Status.WARN,)):
            first = next((card for card in cards if card.status in wanted), None)
            if first is not None:
                self.checks.ensureWidgetVisible(first, 0, 40)
                return

    def _counts_text(self, outcome: RunOutcome, hint: Text | None = None) -> Text:
        records = outcome.records
        counts = {status: sum(1 for r in records if r.result.status is status) for status in Status}
        line = tr(
            "Passed: {passed} · Warnings: {warned} · Failed: {failed} · Not run: {skipped} · {seconds} s",
            passed=counts[Status.PASS],
            warned=counts[Status.WARN],
            failed=counts[Status.FAIL] + counts[Status.ERROR],
            skipped=counts[Status.SKIPPED],
            seconds=f"{outcome.duration_ms / 1000:.1f}",
        )
        if hint is None and outcome.verdict in (Verdict.NOT_READY, Verdict.READY_WITH_WARNINGS):
            hint = tr("Open a check marked Failed or Warning to see what to ask the venue's IT.")
        return line if hint is None else tr("{counts}\n{hint}", counts=line, hint=hint)

    def _schedule_refresh(self) -> None:
        """Overall progress, banner and group notes are redrawn at most every 50 ms, however many checks
        report at once: 150 checks finishing together must not make 150 repaints."""
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    def _refresh_overview(self) -> None:
        if self.running and self.outcome is None:
            self._update_progress()
            self.checks.render_headers()

    def _update_progress(self) -> None:
        if self._total:
            done = sum(self._fractions.values())
            self.progress.setValue(round(1000 * done / self._total))
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
            self._render_banner()
            self.progress.setFormat(f"{self._finished}/{self._total}")

    def _show_idle(self) -> None:
        self.banner.show_state("verdict-idle", None)
        self.progress.setValue(0)
        self.progress.setFormat("")
        self._banner_texts = (
            tr("Ready to check this network for {platform}.", platform=self.profile.name),
            tr(
                "Connect this computer to the venue's network (the same Wi-Fi as the audience), "
                "then press “Check this network”."
            ),
        )
        self._render_banner()

    def _render_banner(self) -> None:
        headline, detail = self._banner_texts
        self.banner.set_texts(headline.render(self.lang), detail.render(self.lang))

    # Results for IT ----------------------------------------------------------------------------------------

    def copy_for_it(self) -> None:
        if self.outcome is None or self._outcome_profile is None or self.running:
            return
        from sparkgui.core.environment import describe_environment
        from sparkgui.core.it_summary import it_summary

        resolvers = tuple(describe_environment(self.network).resolvers) if self.network else ()
        text = it_summary(self.outcome, self._outcome_profile, self.lang, resolvers)
        if self._outcome_demo is not None:
            marker = tr("DEMO (simulated venue): nothing below describes a real network.").render(self.lang)
            text = f"{marker}\n\n{text}"
        QGuiApplication.clipboard().setText(text)
        self._set_status(tr("Copied: paste it into a message to the venue's IT."))

    def current_event(self) -> EventInfo | None:
        return self.event_form.event_info()

    def build_report(self) -> dict[str, Any] | None:
        """The report of the last run, in the window's language, with the event as typed now.

        Both exports are made from this, so the SHA-256 in the PDF footer is the saved JSON's.
        """
        if self.outcome is None or self._outcome_profile is None or self._outcome_network is None:
            return None
        from sparkgui.core.environment import describe_environment
        from sparkgui.core.report import build_report

        environment = describe_environment(self._outcome_network, self._outcome_routes)
        return build_report(
            self.outcome,
            self._outcome_profile,
            environment,
            lang=self.lang,
            event=self.current_event(),
            demo=self._outcome_demo is not None,
            demo_scenario=self._outcome_demo,
        )

    def suggested_path(self, ext: str) -> str:
        """Platform, venue and date as the file name, in the folder used last (else the home folder)."""
        from sparkgui.report.naming import default_file_name

        assert self.outcome is not None
        platform = self._outcome_profile.name if self._outcome_profile else self.profile.name
        event = self.current_event()
        name = default_file_name(platform, event.venue if event else None, self.outcome.started_at.astimezone(), ext)
        folder = Path(self.settings.export_folder or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        return str(folder / name)

    def save_json_dialog(self) -> None:
        if self.outcome is None or self.running:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save the JSON report").render(self.lang), self.suggested_path("json"), "JSON (*.json)"
        )
        if path:
            self.save_json(path)

    def save_json(self, path: str) -> bool:
        """Write the report atomically; a failure is a dialog that says what to do, never a half file."""
        report = self.build_report()
        if report is None:
            return False
        from sparkgui.core.atomic import WriteError
        from sparkgui.core.report import write_report

        try:
            write_report(report, path)
        except WriteError as exc:
            self._show_box(QMessageBox.Icon.Warning, tr("The report was not saved"), Text(str(exc)))
            return False
        self._remember_folder(path)
        self._set_status(tr("Saved the JSON report to {path}.", path=path))
        return True

    def export_pdf_dialog(self) -> None:
        if self.outcome is None or self.running:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export the PDF for the venue's IT").render(self.lang), self.suggested_path("pdf"), "PDF (*.pdf)"
        )
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> bool:
        """Render the PDF in the window's language and write it atomically; a failure is a dialog, no half file."""
        report = self.build_report()
        if report is None:
            return False
        from sparkgui.core.atomic import WriteError
        from sparkgui.report.pdf import write_pdf

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_pdf(report, path, lang=self.lang, event=self.current_event())
        except WriteError as exc:
            self._show_box(QMessageBox.Icon.Warning, tr("The PDF was not saved"), Text(str(exc)))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._remember_folder(path)
        self._set_status(tr("Saved the PDF to {path}: send it to the venue's IT.", path=path))
        return True

    def _remember_folder(self, path: str) -> None:
        self.settings.export_folder = str(Path(path).resolve().parent)

    def _event_edited(self) -> None:
        self.settings.event_fields = self.event_form.fields

    # Proxy ---------------------------------------------------------------------------------------------------

    def open_proxy_settings(self) -> None:
        """The "Proxy…" dialog (window-modal, not blocking the loop: tests drive it by code)."""
        if self.running or self.proxy_dialog is not None:
            return
        from sparkgui.ui.proxy_dialogs import ProxySettingsDialog

        dialog = ProxySettingsDialog(self.proxy_choice, self.lang, self)
        dialog.accepted.connect(self._proxy_chosen)
        dialog.finished.connect(self._proxy_dialog_closed)
        self.proxy_dialog = dialog
        dialog.open()

    def _proxy_chosen(self) -> None:
        if self.proxy_dialog is not None and self.proxy_dialog.chosen is not None:
            self.set_proxy_choice(self.proxy_dialog.chosen)

    def _proxy_dialog_closed(self) -> None:
        if self.proxy_dialog is not None:
            self.proxy_dialog.deleteLater()
        self.proxy_dialog = None

    def set_proxy_choice(self, choice: ProxyChoice) -> None:
        """Use and remember the proxy setting (never a password); a sign-in for another proxy is forgotten."""
        if choice != self.proxy_choice:
            self._credentials = None
        self.proxy_choice = choice
        self.settings.proxy = choice
        self._retranslate()

    def open_sign_in(self) -> None:
        """Ask for the proxy's user name and password, then check again with them."""
        if self.running or self.sign_in_dialog is not None:
            return
        from sparkgui.ui.proxy_dialogs import ProxySignInDialog

        cause, proxy = self.sign_in_needed or ("proxy.auth_required", "?")
        user = self._credentials.username if self._credentials is not None else ""
        platform = self._outcome_profile.name if self._outcome_profile else self.profile.name
        dialog = ProxySignInDialog(proxy, platform, cause == "proxy.auth_failed", self.lang, user, self)
        dialog.accepted.connect(self._signed_in)
        dialog.finished.connect(self._sign_in_closed)
        self.sign_in_dialog = dialog
        dialog.open()

    def _signed_in(self) -> None:
        if self.sign_in_dialog is None:
            return
        self._credentials = self.sign_in_dialog.take_credentials()
        if self._credentials is not None:
            self._start(long_hold=self._last_long_hold)

    def _sign_in_closed(self) -> None:
        if self.sign_in_dialog is not None:
            self.sign_in_dialog.deleteLater()
        self.sign_in_dialog = None

    # Profile and language ----------------------------------------------------------------------------------

    def _fill_profiles(self) -> None:
        combo = self.profile_combo
        combo.blockSignals(True)
        combo.clear()
        for name in bundled_profile_names():
            source = f"{BUNDLED_PREFIX}{name}"
            try:
                label = load_bundled_profile(name).name
            except ProfileError:
                continue
            combo.addItem(label, source)
        if not self.profile.source.startswith(BUNDLED_PREFIX):
            combo.addItem(Path(self.profile.source).name or self.profile.name, self.profile.source)
        from sparkgui.core.demo.scenarios import SCENARIOS

        for name, scenario in SCENARIOS.items():  # demo mode: the current profile, on a simulated venue
            combo.addItem(tr("Demo: {scenario}", scenario=scenario.title).render(self.lang), f"{DEMO_PREFIX}{name}")
        combo.addItem("", LOAD_FILE)
        current = f"{DEMO_PREFIX}{self.demo}" if self.demo is not None else self.profile.source
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def _profile_picked(self, index: int) -> None:
        source = self.profile_combo.itemData(index)
        if isinstance(source, str) and source.startswith(DEMO_PREFIX):
            self.set_demo(source.removeprefix(DEMO_PREFIX))
            return
        if self.demo is not None and source != LOAD_FILE:
            self.set_demo(None)
        if source == LOAD_FILE:
            path, _ = QFileDialog.getOpenFileName(
                self, tr("Load a profile").render(self.lang), str(Path.home()), "TOML (*.toml);;* (*)"
            )
            if path:
                self.load_profile_file(path)
            else:
                self._fill_profiles()  # put the current profile back in the picker
            return
        if isinstance(source, str) and source != self.profile.source:
            from sparkgui.ui.settings import load_by_source

            try:
                self.use_profile(load_by_source(source))
            except ProfileError as exc:
                self._profile_error(exc)

    def set_demo(self, scenario: str | None) -> None:
        """Demo mode on (a scenario's name) or off: the next runs check a simulated venue, marked DEMO."""
        if self.running:
            return
        self.demo = scenario
        self.outcome = None
        self._fill_profiles()
        self._retranslate()
        self._show_idle()
        self._update_buttons()

    def load_profile_file(self, path: str) -> bool:
        """Load a profile from a file; a bad file gives a dialog saying what is wrong, and changes nothing."""
        try:
            profile = load_profile(path)
        except ProfileError as exc:
            self._profile_error(exc)
            return False
        self.use_profile(profile)
        return True

    def _profile_error(self, exc: ProfileError) -> None:
        self._fill_profiles()
        self._show_box(
            QMessageBox.Icon.Warning,
            tr("This profile cannot be used"),
            tr("{problem}\n\nThe current profile stays in use.", problem=str(exc)),
        )

    def use_profile(self, profile: Profile) -> None:
        if self.running:
            return
        self.profile = profile
        self.settings.profile_source = profile.source
        self.outcome = None
        self._fill_profiles()
        self._retranslate()
        self._show_idle()
        self._show_plan()
        self._update_buttons()

    def _language_picked(self, index: int) -> None:
        code = self.language_combo.itemData(index)
        if isinstance(code, str):
            self.set_language(code)

    def set_language(self, lang: str) -> None:
        """Switch language live: every text, results included, is re-rendered from its template."""
        self.lang = lang
        self.settings.language = lang
        index = self.language_combo.findData(lang)
        if index != self.language_combo.currentIndex():
            self.language_combo.setCurrentIndex(index)
        self._retranslate()
        self.checks.set_language(lang)
        self._render_banner()

    def _retranslate(self) -> None:
        lang = self.lang
        name = self.profile.name
        title = tr("{platform} network check — sparkgui", platform=name)
        if self.demo is not None:
            title = tr("DEMO — {title}", title=title)
        self.setWindowTitle(title.render(lang))
        self.demo_strip.setVisible(self.demo is not None)
        if self.demo is not None:
            from sparkgui.core.demo.scenarios import scenario_named

            strip = tr(
                "DEMO — a simulated venue ({scenario}). Nothing shown here describes this network.",
                scenario=scenario_named(self.demo).title,
            )
            self.demo_strip.setText(strip.render(lang))
            self.demo_strip.setAccessibleName(strip.render(lang))
        self.platform_label.setText(name)
        self.platform_label.setAccessibleName(tr("Platform: {platform}", platform=name).render(lang))
        self.subtitle.setText(
            tr(
                "Checks that this network lets {platform} work: DNS, HTTPS on port 443, live connections "
                "(WebSocket), through the venue's proxy if there is one.",
                platform=name,
            ).render(lang)
        )
        self.profile_caption.setText(tr("Profile:").render(lang))
        self.language_caption.setText(tr("Language:").render(lang))
        self.profile_combo.setAccessibleName(tr("Profile to check").render(lang))
        self.language_combo.setAccessibleName(tr("Language").render(lang))
        load_index = self.profile_combo.findData(LOAD_FILE)
        if load_index >= 0:
            self.profile_combo.setItemText(load_index, tr("Load a file…").render(lang))
        buttons = (
            (self.check_button, tr("Check this network"), tr("Run every check now (F5).")),
            (
                self.long_button,
                tr("Run the 10-minute test"),
                tr("Also hold a live connection open for 10 minutes, as a real session does."),
            ),
            (self.cancel_button, tr("Cancel"), tr("Stop every check now (Esc).")),
            (
                self.copy_button,
                tr("Copy for IT"),
                tr("Copy a plain-text summary with the allow-list rules, to paste into a message (Ctrl+Shift+C)."),
            ),
            (self.save_button, tr("Save JSON…"), tr("Save the full report as a JSON file (Ctrl+S).")),
            (
                self.pdf_button,
                tr("Export PDF for IT…"),
                tr("Save a PDF summary to send to the venue's IT: what to change, and every result (Ctrl+P)."),
            ),
            (
                self.sign_in_button,
                tr("Sign in to the proxy…"),
                tr("Give the proxy's user name and password, then check again. The password is never saved."),
            ),
        )
        for button, label, tip in buttons:
            button.setText(label.render(lang))
            button.setAccessibleName(label.render(lang))
            button.setToolTip(tip.render(lang))
        if self.profile.websocket is None:
            self.long_button.setToolTip(tr("This profile has no WebSocket to hold open.").render(lang))
        self.proxy_caption.setText(tr("Proxy:").render(lang))
        proxy_label = describe_choice(self.proxy_choice).render(lang)
        self.proxy_button.setText(proxy_label)
        self.proxy_button.setAccessibleName(tr("Proxy: {setting}", setting=proxy_label).render(lang))
        self.proxy_button.setToolTip(
            tr("How this computer reaches the Internet: automatic, none, or a given proxy.").render(lang)
        )
        self.event_form.retranslate(lang)
        self.progress.setAccessibleName(tr("Overall progress").render(lang))
        self.checks.setAccessibleName(tr("Checks and their results").render(lang))
        if self._status_text is not None:
            self.status_label.setText(self._status_text.render(lang))

    def _update_buttons(self) -> None:
        running = self.running
        ready = self.ready
        has_outcome = self.outcome is not None and not running
        long_hold = self._engine is not None and self.profile.websocket is not None
        self.check_button.setEnabled(ready and not running)
        self.long_button.setEnabled(ready and not running and long_hold)
        self.cancel_button.setEnabled(running)
        self.copy_button.setEnabled(has_outcome)
        self.save_button.setEnabled(has_outcome)
        self.pdf_button.setEnabled(has_outcome)
        self.sign_in_button.setVisible(self.sign_in_needed is not None and not running)
        self.profile_combo.setEnabled(not running)
        self.proxy_button.setEnabled(not running)
        if not running and self.check_button.isEnabled() and self.cancel_button.hasFocus():
            self.check_button.setFocus()
        elif running and not self.cancel_button.hasFocus():
            self.cancel_button.setFocus()
        self._retranslate()

    def _set_status(self, text: Text) -> None:
        self._status_text = text
        self.status_label.setText(text.render(self.lang))

    def _show_box(self, icon_kind: QMessageBox.Icon, title: Text, text: Text) -> None:
        """A window-modal message box, opened without blocking the event loop (tests close it by code)."""
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(icon_kind, title.render(self.lang), text.render(self.lang), QMessageBox.StandardButton.Ok)
        box.setParent(self, box.windowFlags())
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(self._box_closed)
        self.message_box = box
        box.open()

    def _box_closed(self) -> None:
        if self.message_box is not None:
            self.message_box.deleteLater()
        self.message_box = None

    # Closing -----------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing during a run cancels it first and closes once every check has stopped."""
        if self.running and not self._closing:
            self._closing = True
            self.cancel()
            event.ignore()
            return
        self.settings.geometry = self.saveGeometry()
        self.settings.language = self.lang
        self.settings.sync()
        self.engine_thread.stop()
        event.accept()


def proxy_sign_in_needed(outcome: RunOutcome) -> tuple[str, str] | None:
    """(cause, proxy address) when a check ended because the proxy wants credentials or refused them."""
    for record in outcome.records:
        if record.result.cause in SIGN_IN_CAUSES:
            return record.result.cause, str(record.result.evidence.get("proxy") or "?")
    return None
