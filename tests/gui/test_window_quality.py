"""The speed and latency in the window: the attendees field decides the capacity verdict, and the quality
panel shows it in words beside the rate and round-trip charts, live as the checks finish."""

from __future__ import annotations

import os

from pytestqt.qtbot import QtBot

from sparkgui.core.profile import load_bundled_profile
from sparkgui.ui.controllers.profile_controller import DEMO_PREFIX
from tests.gui.conftest import WindowFactory, click


def test_the_slow_link_demo_says_the_audience_is_not_carried_and_draws_the_charts(
    qtbot: QtBot, open_window: WindowFactory
) -> None:
    window = open_window(load_bundled_profile())
    window.profile_combo.activated.emit(window.profile_combo.findData(f"{DEMO_PREFIX}slow-link"))
    window.event_form.attendees_spin.setValue(250)
    assert window.settings.attendees == 250  # remembered with the other event fields
    assert window.quality_panel.isHidden()  # nothing measured yet
    with qtbot.waitSignal(window.runDone, timeout=90_000):
        click(window.check_button)
    qtbot.waitUntil(lambda: not window.running, timeout=10_000)
    panel = window.quality_panel
    assert panel.isVisible() and panel.rates_chart.isVisible() and panel.round_trips_chart.isVisible()
    assert panel.verdict_label.text().startswith("Not enough for 250 attendees: this link carries about")
    assert "Download 3.0 Mbit/s" in panel.figures_label.text() and "Round trips" in panel.figures_label.text()
    report = window.build_report()
    assert report is not None and report["event"]["attendees"] == 250
    capacity = next(check for check in report["checks"] if check["id"] == "quality:capacity")
    assert capacity["cause"] == "net.low_bandwidth" and capacity["evidence"]["attendees_expected"] == 250
    window.set_language("fr")
    assert panel.verdict_label.text().startswith("Pas assez pour 250 participants")
    shots = os.environ.get("SPARKGUI_SCREENSHOTS")
    if shots:  # for people to look at: SPARKGUI_SCREENSHOTS=/tmp/shots pytest tests/gui/test_window_quality.py
        window.set_language("en")
        window.grab().save(os.path.join(shots, "window-slow-link.png"))
    # A new run starts from an empty panel: no stale figures while it measures again.
    window.quality_panel.clear()
    assert panel.isHidden()
