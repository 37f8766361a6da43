"""The window driven as an organiser would: press the button, read the verdict, open a failed check, copy for
IT, save the report, cancel, close. The real engine runs against real servers on loopback.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sparkgui.core.model import Status, Verdict
from tests.gui.conftest import WindowFactory, click, press_check, wait_for
from tests.gui.labs import broken_lab, hanging_lab, ready_lab
from tests.servers.tls_servers import LoopbackPki
from tests.support import validate_report


def test_ready_network_says_ready(qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        assert window.platform_label.text() == "Test platform"
        assert window.check_button.text() == "Check this network" and window.check_button.isEnabled()
        assert not window.copy_button.isEnabled()  # nothing to copy before a run
        waiting = {card.state.text() for card in window.checks.cards.values()}
        assert waiting == {"Waiting"}  # the plan is shown before the first run
        outcome = press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert outcome.verdict is Verdict.READY
    assert window.banner.headline.text() == "This network is ready for Test platform."
    assert window.banner.verdict is Verdict.READY
    assert window.progress.value() == 1000
    headers = [header.text() for header in window.checks.headers.values()]
    port = lab.profile.endpoints[0].port  # the header names the ports the profile's checks test
    assert headers[0].startswith("Internet & DNS") and headers[1].startswith(f"Firewall (HTTPS {port})")
    assert headers[2].startswith("Secure connection")
    states = {card.info.kind: card.state.text() for card in window.checks.cards.values() if card.info.kind != "proxy"}
    assert states == {"dns": "Passed", "tcp": "Passed", "ipv6": "Not applicable", "tls": "Passed", "https": "Passed"}
    assert window.checks.card("proxy:discovery").state.text() == "Passed"
    assert window.checks.card("proxy:direct").state.text() == "Not applicable"  # no proxy in use: nothing to bypass
    assert window.checks.card("proxy:direct")._icon_name == "status-not-applicable"  # not the "not run" icon
    dns_card = window.checks.card("dns:app.test")
    assert "resolves to 1 address" in dns_card.summary.text()
    assert dns_card.icon.accessibleName() == "Passed"  # the icon says it in words too
    assert window.copy_button.isEnabled() and window.save_button.isEnabled()
    assert window.check_button.isEnabled() and not window.cancel_button.isEnabled()


def test_broken_network_explains_what_to_fix(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, broken_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        outcome = press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert outcome.verdict is Verdict.NOT_READY
    assert window.banner.headline.text() == (
        "Not ready: the venue's DNS does not find Test platform, and 1 more problem to fix."
    )
    assert "Open a check marked Failed" in window.banner.detail.text()

    # Expanding the failed DNS check shows the remedy and the evidence.
    card = window.checks.card("dns:gone.test")
    assert card.state.text() == "Failed" and not card.details.isVisible()
    click(card.toggle)
    assert card.details.isVisible()
    assert card.remedy is not None and card.technical is not None and card.technical_toggle is not None
    assert card.remedy.isVisible() and "cause code" not in card.remedy.text()  # the organiser's part
    assert card.technical_toggle.text() == "Technical details" and not card.technical.isVisible()
    click(card.technical_toggle)
    assert card.technical.isVisible() and "dns.nxdomain" in card.technical.text()
    details = card.details_text()
    assert "What to do: Ask the venue's IT to make the DNS servers handed out by DHCP" in details
    assert "cause code: dns.nxdomain" in details
    assert f"resolvers: 127.0.0.1:{lab.dns.port}" in details
    assert "queries 1: type: A, rcode: nxdomain" in details
    refused = next(c for c in window.checks.cards.values() if c.info.id.startswith("tcp:closed.test"))
    assert refused.state.text() == "Failed" and "actively rejected" in refused.summary.text()
    skipped = window.checks.card("tls:gone.test")
    assert skipped.state.text() == "Not run" and "DNS lookup of gone.test" in skipped.summary.text()

    # Copy for IT: a plain-text summary with the remedies and the allow-list rules.
    QGuiApplication.clipboard().clear()
    click(window.copy_button)
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Network check for Test platform (sparkgui)\nNot ready: the venue's DNS")
    assert "What to change:" in copied and "(dns:gone.test, dns.nxdomain)" in copied and "tcp.refused" in copied
    assert "→ Ask the venue's IT to allow outgoing TCP port" in copied
    assert "Allow-list rules for Test platform:\n- *.test — TCP 443 (HTTPS and WebSocket)" in copied
    assert "Copied" in window.status_label.text()

    # Save JSON: the schema's report, atomically; a bad folder gives a dialog and no file.
    target = tmp_path / "report.json"
    assert window.save_json(str(target))
    report = json.loads(target.read_text("utf-8"))
    validate_report(report)
    assert report["verdict"] == "not_ready" and report["language"] == "en"
    assert window.message_box is None
    assert not window.save_json(str(tmp_path / "no-such-folder" / "report.json"))
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "no-such-folder" in box.text()
    box.close()
    qtbot.waitUntil(lambda: window.message_box is None)
    assert not (tmp_path / "no-such-folder").exists()


def test_ready_with_a_warning(qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory) -> None:
    lab = wait_for(qtbot, ready_lab(pki, expected_issuers=["Amazon"]))  # our CA is not the platform's issuer
    try:
        window = open_window(lab.profile, lab.network)
        outcome = press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert outcome.verdict is Verdict.READY_WITH_WARNINGS
    assert window.banner.headline.text() == (
        "Ready for Test platform, with 1 problem to look at: the network inspects secure connections (TLS inspection)."
    )
    tls = next(c for c in window.checks.cards.values() if c.info.kind == "tls")
    assert tls.state.text() == "Warning" and tls.status is Status.WARN


def test_cancel_stops_everything_at_once(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, open_window: WindowFactory
) -> None:
    lab = wait_for(qtbot, hanging_lab())
    try:
        window = open_window(lab.profile, lab.network)
        tasks_before = asyncio.all_tasks(qloop)
        click(window.check_button)
        qtbot.waitUntil(lambda: any(card.running for card in window.checks.cards.values()), timeout=5_000)
        assert window.cancel_button.isEnabled() and not window.check_button.isEnabled()
        running = [card for card in window.checks.cards.values() if card.running]
        assert {card.state.text() for card in running} == {"Checking…"}
        began = time.perf_counter()
        with qtbot.waitSignal(window.runDone, timeout=5_000) as blocker:
            click(window.cancel_button)
        stopped_in = time.perf_counter() - began
        qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    finally:
        wait_for(qtbot, lab.stop())
    outcome = blocker.args[0]
    assert outcome.cancelled and outcome.verdict is Verdict.INCOMPLETE
    assert stopped_in < 2.0  # not the 20 s the checks would have waited
    assert window.banner.headline.text() == "Check cancelled: the result is not known."
    assert {r.result.cause for r in outcome.records} <= {"skipped.cancelled", "skipped.prerequisite", "ok"}
    assert all(card.status is not None and not card.running for card in window.checks.cards.values())
    assert window.check_button.isEnabled() and not window.cancel_button.isEnabled()
    assert asyncio.all_tasks(qloop) - tasks_before == set()


def test_closing_during_a_run_cancels_it_cleanly(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, open_window: WindowFactory
) -> None:
    lab = wait_for(qtbot, hanging_lab())
    try:
        window = open_window(lab.profile, lab.network)
        tasks_before = asyncio.all_tasks(qloop)
        click(window.check_button)
        qtbot.waitUntil(lambda: any(card.running for card in window.checks.cards.values()), timeout=5_000)
        began = time.perf_counter()
        window.close()
        assert window.isVisible()  # it waits for the checks to stop…
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)  # …then closes by itself
        closed_in = time.perf_counter() - began
    finally:
        wait_for(qtbot, lab.stop())
    assert closed_in < 2.0
    assert window.outcome is not None and window.outcome.cancelled
    assert not window.running
    assert asyncio.all_tasks(qloop) - tasks_before == set()
