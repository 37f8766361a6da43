"""The event-day watch in the real window, against loopback servers: rounds run through the cards, the
timeline grows, a fault between rounds raises the banner (and a notification), and the next round shows
the recovery. Stopping the watch ends the held connection and gives the buttons back."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from sparkgui.core.history.store import History
from sparkgui.core.model import Verdict
from sparkgui.probe import start_probe
from tests.gui.conftest import WindowFactory, click, wait_for
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.support import loopback_network
from tests.ws_support import WS_HOST, ws_profile


def test_a_watch_warns_on_a_regression_and_shows_the_recovery(
    qtbot: QtBot, open_window: WindowFactory, pki: LoopbackPki, data_folder: Path
) -> None:
    runner, port = wait_for(qtbot, start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5))
    dns = wait_for(qtbot, DnsServer({WS_HOST: ["127.0.0.1"]}).start())
    try:
        profile = ws_profile(port, hold=2, long_hold=2, heartbeat=0.5)
        window = open_window(profile, loopback_network(dns.port))
        assert window.watch_panel.isHidden() and window.action_bar.watch_button.text() == "Watch during the event…"
        window.start_watch(0.03)  # a round every 1.8 s
        assert window.watching and not window.watch_panel.isHidden()
        assert not window.check_button.isEnabled() and window.action_bar.watch_button.text() == "Stop watching"
        watcher = window.watcher
        qtbot.waitUntil(lambda: len(watcher.rounds) >= 1, timeout=30_000)
        assert watcher.rounds[0].verdict is Verdict.READY and not window.watch_panel.alert_shown
        dns.zone[WS_HOST] = ["127.0.0.2"]  # venue IT changes a rule: the name now points where nothing listens
        qtbot.waitUntil(lambda: window.watch_panel.alert_shown, timeout=30_000)
        assert f"New problem: Connections to {WS_HOST}" in window.watch_panel.alert_label.text()
        assert watcher.notified and "something regressed" in watcher.notified[0]
        dns.zone[WS_HOST] = ["127.0.0.1"]
        broke = len(watcher.rounds)
        qtbot.waitUntil(lambda: len(watcher.rounds) > broke and bool(watcher.rounds[-1].recoveries), timeout=30_000)
        assert watcher.rounds[-1].verdict is Verdict.READY
        assert window.watch_panel.alert_shown  # the warning stays until dismissed: a glance later still sees it
        click(window.watch_panel.dismiss_button)
        assert not window.watch_panel.alert_shown
        timeline = window.watch_panel.timeline
        assert len(timeline.rounds) == len(watcher.rounds) and any(r.regressed for r in timeline.rounds)
        assert "Round 1" in timeline.tips[0]
        status = window.watch_panel.status_label.text()
        assert "Watching every 0.03 min" in status and "live connection" in status
        click(window.action_bar.watch_button)  # Stop watching
        qtbot.waitUntil(lambda: not window.watching and window.check_button.isEnabled(), timeout=15_000)
        assert window.action_bar.watch_button.text() == "Watch during the event…"
        assert "Watch ended after" in window.watch_panel.status_label.text()
        kept = History().runs()
        assert len(kept) == len(watcher.rounds)  # each round once: the window does not keep them twice
        assert {History().report(run.id)["watch"]["round"] for run in kept} == {r.number for r in watcher.rounds}
        window.set_language("fr")
        assert window.watch_panel.status_label.text().startswith("Surveillance terminée après")
        assert window.action_bar.watch_button.text() == "Surveiller l'événement…"
    finally:
        wait_for(qtbot, dns.stop())
        wait_for(qtbot, runner.cleanup())
