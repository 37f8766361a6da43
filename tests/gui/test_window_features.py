"""The window's other promises: language switching, profiles, remembered settings, the WebSocket hold's
countdown, the error dialog, keyboard use and a light start-up.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sparkgui.app.logs import start_logging, stop_logging
from sparkgui.app.session import make_run
from sparkgui.core.checks.base import Check, passed
from sparkgui.core.checks.ws_hold import WsHoldCheck
from sparkgui.core.context import CheckScope, NetworkSettings, RunContext
from sparkgui.core.events import NullSink, ProgressSink
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckResult, Countdown
from sparkgui.core.profile import Profile
from sparkgui.core.runner import Run
from sparkgui.ui.settings import UiSettings
from tests.gui.conftest import WindowFactory, click, wait_for
from tests.gui.labs import broken_lab
from tests.servers.tls_servers import LoopbackPki
from tests.support import Ep, make_profile, profile_toml

WS_PROFILE_EXTRA = '\n[websocket]\nurl = "wss://app.test/ws"\n'


def test_switching_to_french_rerenders_everything_including_results(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, ui_settings: UiSettings
) -> None:
    lab = wait_for(qtbot, broken_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        with qtbot.waitSignal(window.runDone, timeout=30_000):
            click(window.check_button)
    finally:
        wait_for(qtbot, lab.stop())
    card = window.checks.card("dns:gone.test")
    click(card.toggle)
    combo = window.language_combo
    combo.setCurrentIndex(combo.findData("fr"))  # as picking "Français" in the list does
    assert window.lang == "fr" and ui_settings.language == "fr"
    assert window.check_button.text() == "Vérifier ce réseau"
    assert window.banner.headline.text() == (
        "Pas prêt\u00a0: le DNS du lieu ne trouve pas Test platform, et 1 autre problème à régler."
    )
    assert card.title.text() == "Résolution DNS de gone.test"
    assert card.state.text() == "Échec"
    assert card.summary.text() == "Le DNS du lieu affirme que gone.test n'existe pas."
    assert "Demandez à l'équipe informatique du lieu" in card.details_text()
    assert next(iter(window.checks.headers.values())).text().startswith("Internet et DNS")
    QGuiApplication.clipboard().clear()
    click(window.copy_button)
    assert QGuiApplication.clipboard().text().startswith("Vérification du réseau pour Test platform (sparkgui)")
    window.set_language("en")
    assert card.summary.text() == "The venue's DNS says gone.test does not exist."


def test_language_follows_the_system_by_default(
    qtbot: QtBot, open_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "fr_CA.UTF-8")
    window = open_window(make_profile([Ep("app.test", 443)]), NetworkSettings(), lang=None)
    assert window.lang == "fr" and window.language_combo.currentData() == "fr"
    assert window.banner.headline.text() == "Prêt à vérifier ce réseau pour Test platform."


def test_a_bad_profile_file_gives_a_dialog_and_changes_nothing(
    qtbot: QtBot, open_window: WindowFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(make_profile([Ep("app.test", 443)]), NetworkSettings())
    bad = tmp_path / "venue.toml"
    bad.write_text(profile_toml([Ep("app.test", 443)]) + "\nbogus = 1\n", encoding="utf-8")
    # Through the picker, as a person does: "Load a file…", then the file chosen in the dialog.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(bad), ""))
    combo = window.profile_combo
    combo.activated.emit(combo.findData("load-file"))
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "This profile cannot be used"
    assert "venue.toml" in box.text() and "unknown key" in box.text() and "current profile stays" in box.text()
    box.close()
    qtbot.waitUntil(lambda: window.message_box is None)
    assert window.profile.name == "Test platform" and window.profile.source == "test.toml"
    assert combo.currentText() != "Load a file…"


def test_window_remembers_size_profile_and_language(
    qtbot: QtBot, open_window: WindowFactory, tmp_path: Path, ui_settings: UiSettings
) -> None:
    venue = tmp_path / "venue.toml"
    venue.write_text(profile_toml([Ep("app.test", 443)]).replace("Test platform", "Venue platform"), "utf-8")
    first = open_window(None, NetworkSettings())
    assert first.profile.source == "bundled:sparkup" and first.platform_label.text() == "Sparkup"
    assert first.load_profile_file(str(venue))
    assert first.platform_label.text() == "Venue platform"
    assert first.profile_combo.currentData() == str(venue)
    first.set_language("fr")
    first.resize(790, 570)  # within the offscreen screen (800 × 600), above the French minimum width
    first.close()
    assert not first.isVisible()

    second = open_window(None, NetworkSettings(), lang=None)
    assert second.profile.source == str(venue) and second.platform_label.text() == "Venue platform"
    assert second.lang == "fr"
    assert (second.width(), second.height()) == (790, 570)
    # The bundled profile is one pick away.
    combo = second.profile_combo
    combo.activated.emit(combo.findData("bundled:sparkup"))
    assert second.profile.name == "Sparkup" and ui_settings.profile_source == "bundled:sparkup"


@dataclass
class HoldGate:
    """Lets the test step a hold check forward, so the countdown is read at known moments."""

    step: asyncio.Event


class CountdownCheck(Check):
    """Test-only: reports progress the way the WebSocket hold does (integer elapsed_s / remaining_s)."""

    def __init__(self, gate: HoldGate, total_s: int) -> None:
        super().__init__(CheckInfo(CheckId.ws_hold("wss://app.test/ws"), (), tr("Live connection held open")))
        self.gate, self.total_s = gate, total_s

    async def run(self, scope: CheckScope) -> CheckResult:
        for elapsed in (0, self.total_s // 2 - 30):
            remaining = self.total_s - elapsed
            scope.progress(elapsed / self.total_s, tr("Holding"), Countdown(elapsed, remaining))
            await self.gate.step.wait()
            self.gate.step.clear()
        return passed(tr("The live connection stayed open."))


def test_long_hold_shows_a_countdown(qtbot: QtBot, open_window: WindowFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    gate = HoldGate(asyncio.Event())
    asked: list[bool] = []

    def hold_run(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
        asked.append(long_hold)
        return Run([CountdownCheck(gate, 600 if long_hold else 60)], RunContext(profile, network), sink)

    profile = make_profile([Ep("app.test", 443)], extra=WS_PROFILE_EXTRA)
    window = open_window(profile, NetworkSettings(), run_factory=hold_run)
    assert window.long_button.isEnabled() and window.long_button.text() == "Run the 10-minute test"
    click(window.long_button)
    hold_id = "ws-hold:wss://app.test/ws"
    # The planned card is replaced by the run's own when the run starts: always look the card up afresh.
    qtbot.waitUntil(lambda: window.checks.card(hold_id).state.text() == "10:00 left", timeout=5_000)
    card = window.checks.card(hold_id)
    assert asked == [True]
    assert card.hold_bar.isVisible() and card.hold_bar.value() == 0
    assert next(iter(window.checks.headers.values())).text() == "Live connection (WebSocket)"
    window.engine_thread.call_soon(gate.step.set)  # the check runs on the engine's thread and loop
    qtbot.waitUntil(lambda: card.state.text() == "5:30 left", timeout=5_000)
    assert card.hold_bar.value() == 450
    window.set_language("fr")
    assert card.state.text() == "encore 5:30"
    window.set_language("en")
    with qtbot.waitSignal(window.runDone, timeout=5_000):
        window.engine_thread.call_soon(gate.step.set)
    assert card.state.text() == "Passed" and not card.hold_bar.isVisible()


def test_long_hold_is_offered_only_when_the_profile_has_a_websocket(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(make_profile([Ep("app.test", 443)]), NetworkSettings())
    assert not window.long_button.isEnabled()
    assert "no WebSocket" in window.long_button.toolTip()


def test_the_long_test_plans_the_profiles_long_hold() -> None:
    profile = make_profile([Ep("app.test", 443)], extra=WS_PROFILE_EXTRA)
    run_ = make_run(profile, NetworkSettings(), NullSink(), long_hold=True)
    holds = [check for check in run_.checks if isinstance(check, WsHoldCheck)]
    assert profile.websocket is not None
    assert len(holds) == 1 and holds[0].hold_seconds == profile.websocket.long_hold_seconds


def test_unexpected_errors_reach_one_dialog_with_copy_details(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, open_window: WindowFactory, tmp_path: Path
) -> None:
    def broken_factory(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
        raise ZeroDivisionError("a bug while preparing the run")

    window = open_window(make_profile([Ep("app.test", 443)]), NetworkSettings(), run_factory=broken_factory)
    window.errors.install(qloop)
    log_files = start_logging("window", folder=tmp_path / "logs")
    assert log_files is not None
    try:
        click(window.check_button)
        qtbot.waitUntil(lambda: window.errors.dialog is not None and window.errors.dialog.isVisible())
        dialog = window.errors.dialog
        assert dialog is not None
        assert "ZeroDivisionError: a bug while preparing the run" in dialog.details.toPlainText()
        assert str(log_files.log) in dialog.log_label.text() and dialog.log_button.isVisibleTo(dialog)
        assert "ZeroDivisionError: a bug while preparing the run" in log_files.log.read_text(encoding="utf-8")
        qtbot.waitUntil(lambda: window.check_button.isEnabled())  # the window is usable again

        def failing_callback() -> None:
            raise ValueError("a bug in a callback")

        qloop.call_soon(failing_callback)  # the loop's exception handler leads to the same dialog
        qtbot.waitUntil(lambda: "ValueError: a bug in a callback" in dialog.details.toPlainText())
        try:
            raise KeyError("a bug in a slot")
        except KeyError:
            sys.excepthook(*sys.exc_info())  # what PySide6 calls for an exception escaping a slot
        assert window.errors.dialog is dialog and "KeyError: 'a bug in a slot'" in dialog.details.toPlainText()
        QGuiApplication.clipboard().clear()
        click(dialog.copy_button)
        assert "ZeroDivisionError" in QGuiApplication.clipboard().text()
        assert f"Log: {log_files.log}" in QGuiApplication.clipboard().text()
        dialog.reject()
        qtbot.waitUntil(lambda: window.errors.dialog is None)
    finally:
        stop_logging()
        window.errors.uninstall(qloop)


def test_keyboard_alone_runs_a_check_and_opens_details(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory
) -> None:
    lab = wait_for(qtbot, broken_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        with qtbot.waitSignal(window.runDone, timeout=30_000):
            QTest.keyClick(window, Qt.Key.Key_F5)
    finally:
        wait_for(qtbot, lab.stop())
    qtbot.waitUntil(lambda: not window.running)
    # Tab walks through every control, the cards' detail buttons included.
    window.check_button.setFocus()
    reached: list[QWidget] = []
    for _ in range(60):
        focused = QApplication.focusWidget()
        if focused is not None and focused not in reached:
            reached.append(focused)
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    for control in (window.check_button, window.profile_combo, window.language_combo, window.copy_button):
        assert control in reached, control
    card = window.checks.card("dns:gone.test")
    assert card.toggle in reached
    card.toggle.setFocus()
    QTest.keyClick(card.toggle, Qt.Key.Key_Space)
    assert card.details.isVisible()
    # Every control a person can reach says what it is.
    controls = [w for w in window.findChildren(QWidget) if isinstance(w, QAbstractButton | QComboBox)]
    unnamed = [w for w in controls if w.isVisible() and not w.accessibleName()]
    assert not unnamed, unnamed


def test_heavy_modules_load_only_after_the_window_is_shown() -> None:
    code = (
        "import sys\n"
        "from sparkgui.ui.main_window import MainWindow\n"
        "import sparkgui.ui.app\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('aiohttp', 'dns', 'truststore', 'cryptography')"
        " or m == 'sparkgui.core.engine')\n"
        "print(','.join(heavy))\n"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert found.stdout.strip() == ""


def test_a_bad_resolver_option_is_explained_and_nothing_runs(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, ui_settings: UiSettings
) -> None:
    from sparkgui.ui.main_window import MainWindow

    window = MainWindow(profile=make_profile([Ep("app.test", 443)]), resolvers=["not-an-ip"], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.message_box is not None and window.message_box.isVisible(), timeout=5_000)
    assert window.message_box is not None and "not-an-ip" in window.message_box.text()
    assert not window.ready and not window.check_button.isEnabled()
    window.message_box.close()
