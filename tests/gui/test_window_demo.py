"""Demo mode in the window: picked like a profile, runs the real engine on a simulated venue, and is marked
DEMO in the title, a strip, the verdict, the clipboard and the reports."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from sparkgui.core.model import Verdict
from sparkgui.core.profile import load_bundled_profile
from sparkgui.ui.controllers.profile_controller import DEMO_PREFIX
from tests.gui.conftest import WindowFactory, click


def test_demo_scenario_runs_and_is_marked_everywhere(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(load_bundled_profile())
    assert window.demo_strip.isHidden()
    index = window.profile_combo.findData(f"{DEMO_PREFIX}not-ready")
    assert index >= 0 and window.profile_combo.itemText(index).startswith("Demo: ")
    window.profile_combo.activated.emit(index)  # as the organiser picks it
    assert window.demo == "not-ready"
    assert window.windowTitle().startswith("DEMO — ") and not window.demo_strip.isHidden()
    assert "simulated venue" in window.demo_strip.text()
    with qtbot.waitSignal(window.runDone, timeout=60_000) as blocker:
        click(window.check_button)
    outcome = blocker.args[0]
    qtbot.waitUntil(lambda: not window.running, timeout=10_000)
    assert outcome.verdict is Verdict.NOT_READY
    assert window.banner.headline.text().startswith("DEMO (simulated venue): Not ready")
    assert window.checks.card("tcp:app.sparkup.app:443").state.text() == "Failed"
    report = window.build_report()
    assert report is not None and report["demo"] is True and report["demo_scenario"] == "not-ready"
    window.copy_for_it()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("DEMO (simulated venue)")
    # It names the simulated venue's DNS servers, as the JSON does: never this laptop's.
    demo_resolvers = report["environment"]["resolvers"]
    assert demo_resolvers and all(r.startswith("127.0.0.1:") for r in demo_resolvers)
    assert f"DNS servers used: {', '.join(demo_resolvers)}." in copied
    window.set_language("fr")
    assert window.windowTitle().startswith("DÉMO — ") and "lieu simulé" in window.demo_strip.text()
    window.profile_combo.activated.emit(window.profile_combo.findData("bundled:sparkup"))
    assert window.demo is None and window.demo_strip.isHidden()


def test_the_runs_own_titles_replace_the_planned_ones(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(load_bundled_profile())
    hold_id = "ws-hold:wss://probe.sparkup.app/ws"
    assert "60 s" in window.checks.card(hold_id).title.text()  # as planned from the profile
    window.set_demo("ready")
    with qtbot.waitSignal(window.runDone, timeout=60_000):
        click(window.check_button)
    qtbot.waitUntil(lambda: not window.running, timeout=10_000)
    assert "8 s" in window.checks.card(hold_id).title.text()  # the demo's short hold, as it ran
