"""The attendee test in the window: a QR code of the probe's test link, and a phone's result shown live.

The probe is the real one, over HTTPS on loopback; the phone is played by a request like the test page's.
"""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from sparkgui.core.profile import load_bundled_profile
from tests.gui.conftest import WindowFactory, click, wait_for
from tests.integration.test_attendee_test import PHONE, https_probe, phone_posts, probe_profile
from tests.servers.tls_servers import LoopbackPki


def test_the_qr_code_opens_a_session_and_a_phone_result_shows_live(
    qtbot: QtBot, open_window: WindowFactory, pki: LoopbackPki
) -> None:
    probe = https_probe(pki)
    port, network = wait_for(qtbot, probe.__aenter__())
    try:
        window = open_window(probe_profile(port), network)
        click(window.event_form.phones_button)
        dialog = window.attendee.dialog
        qtbot.waitUntil(lambda: dialog.link.text().startswith(f"https://probe.test:{port}/test?s="), timeout=10_000)
        assert not dialog.qr.pixmap().isNull() and dialog.qr.pixmap().width() >= 200
        url = dialog.link.text()
        assert wait_for(qtbot, phone_posts(pki, port, url, PHONE)) == 204
        expected = "1 phone tested: 0 passed, 1 failed (live connection cut after 42 s)."
        qtbot.waitUntil(lambda: dialog.summary.text() == expected, timeout=10_000)
        assert dialog.phones.count() == 1 and "Chrome" not in dialog.phones.item(0).text()
        assert window.exports.attendees is not None and window.exports.attendees.failed == 1
        shots = os.environ.get("SPARKGUI_SHOTS")
        if shots:
            dialog.grab().save(str(Path(shots) / "attendee-dialog.png"))
        dialog.close()
        window.use_profile(load_bundled_profile())  # another profile: the session was the old one's
        assert window.attendee.dialog is None and window.exports.attendees is None
    finally:
        wait_for(qtbot, probe.__aexit__(None, None, None))


def test_the_demo_shows_simulated_phones_marked_as_demo(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(load_bundled_profile(), demo="ready")
    click(window.event_form.phones_button)
    dialog = window.attendee.dialog
    qtbot.waitUntil(lambda: dialog.phones.count() >= 1, timeout=10_000)
    assert dialog.link.text().startswith("https://probe.sparkup.app/test?s=DEMO")
    assert window.exports.attendees is not None and window.exports.attendees.demo
    window.set_language("fr")
    dialog.close()
