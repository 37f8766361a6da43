"""The window behind a real squid with Basic auth on loopback: the proxy given in "Proxy…", a run that fails
with proxy.auth_required, the sign-in dialog that re-runs and passes, a wrong password that is refused, and
the password found nowhere afterwards: not in the window's texts, the clipboard, the settings file, the saved
JSON or the PDF.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from sparkgui.app.proxy_choice import ProxyChoice
from sparkgui.core.model import RunOutcome, Verdict
from sparkgui.core.net.routes import RouteConfig
from sparkgui.ui.main_window import MainWindow
from sparkgui.ui.proxy_dialogs import ProxySettingsDialog, ProxySignInDialog
from sparkgui.ui.settings import UiSettings
from tests.gui.conftest import WindowFactory, click, wait_for
from tests.servers.dns_server import DnsServer
from tests.servers.squid import Squid, squid_available
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, loopback_network, make_profile

pytestmark = pytest.mark.skipif(not squid_available(), reason="squid is not installed (build/setup-dev.sh)")

USER, PASSWORD = "alice", "correct horse battery"


@pytest.fixture(scope="module")
def basic_squid() -> Iterator[Squid]:
    with Squid(hosts={"app.test": "127.0.0.1"}, auth="basic", users={USER: PASSWORD}) as squid:
        yield squid


def every_text(window: MainWindow) -> str:
    """All the text the window and its children show or hold (labels, buttons, fields, tooltips, details)."""
    parts: list[str] = [window.windowTitle()]
    for widget in window.findChildren(QWidget):
        parts.append(widget.toolTip())
        parts.append(widget.accessibleName())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            parts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            parts.append(widget.toPlainText())
    parts += [card.details_text() for card in window.checks.cards.values()]
    return "\n".join(parts)


def _choose_proxy(qtbot: QtBot, window: MainWindow, address: str) -> ProxySettingsDialog:
    click(window.proxy_button)
    dialog = window.proxy_dialog
    assert isinstance(dialog, ProxySettingsDialog) and dialog.isVisible()
    assert dialog.auto_radio.isChecked()  # automatic unless told otherwise
    dialog.manual_edit.clear()
    qtbot.keyClicks(dialog.manual_edit, address)  # type: ignore[no-untyped-call]
    assert dialog.manual_radio.isChecked()  # typing an address picks "Proxy address"
    dialog.accept()
    return dialog


def _sign_in(qtbot: QtBot, window: MainWindow, user: str, password: str) -> RunOutcome:
    qtbot.waitUntil(window.sign_in_button.isVisible, timeout=2_000)  # shown once the session has ended
    click(window.sign_in_button)
    dialog = window.sign_in_dialog
    assert isinstance(dialog, ProxySignInDialog) and dialog.isVisible()
    assert dialog.password_edit.echoMode() is QLineEdit.EchoMode.Password
    dialog.user_edit.setText(user)
    qtbot.keyClicks(dialog.password_edit, password)  # type: ignore[no-untyped-call]
    with qtbot.waitSignal(window.runDone, timeout=30_000) as blocker:
        click(dialog.sign_in_button)
        assert dialog.password_edit.text() == ""  # taken once, not kept in the dialog
    qtbot.waitUntil(lambda: not window.running and window.sign_in_dialog is None, timeout=5_000)
    outcome = blocker.args[0]
    assert isinstance(outcome, RunOutcome)
    return outcome


def test_sign_in_to_a_basic_auth_proxy_reruns_and_passes(
    qtbot: QtBot,
    pki: LoopbackPki,
    basic_squid: Squid,
    open_window: WindowFactory,
    ui_settings: UiSettings,
    tmp_path: Path,
) -> None:
    async def start() -> tuple[object, int, DnsServer]:
        runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        return runner, port, dns

    runner, port, dns = wait_for(qtbot, start())
    try:
        # environ={} and no WPAD: only the window's own proxy setting decides the route.
        network = loopback_network(dns.port, route=RouteConfig(environ={}, wpad=False))
        window = open_window(make_profile([Ep("app.test", port)]), network)
        assert window.proxy_button.text() == "Automatic" and not window.sign_in_button.isVisible()

        # A proxy address with a password in it is refused, saying why; the dialog stays open to fix it.
        dialog = _choose_proxy(qtbot, window, f"http://{USER}:{PASSWORD}@{basic_squid.address}")
        assert dialog.isVisible() and dialog.problem.isVisible()
        assert "Leave the user name and password out" in dialog.problem.text()
        dialog.manual_edit.setText(basic_squid.address)
        dialog.accept()
        qtbot.waitUntil(lambda: window.proxy_dialog is None)
        assert ui_settings.proxy == ProxyChoice("manual", basic_squid.url)
        assert window.proxy_button.text() == f"Manual: {basic_squid.address}"

        # First run: the proxy wants credentials, and the window offers the sign-in.
        with qtbot.waitSignal(window.runDone, timeout=30_000) as blocker:
            click(window.check_button)
        qtbot.waitUntil(lambda: not window.running, timeout=5_000)
        first = blocker.args[0]
        tcp = window.checks.card(f"tcp:app.test:{port}")
        assert first.verdict is Verdict.NOT_READY
        assert tcp.record is not None and tcp.record.result.cause == "proxy.auth_required"
        assert window.sign_in_needed == ("proxy.auth_required", basic_squid.address)
        assert "asks for a user name and password. Press “Sign in to the proxy…”" in window.banner.detail.text()

        # A wrong password: refused, and the sign-in is offered again, saying so.
        wrong = _sign_in(qtbot, window, USER, "wrong horse")
        assert wrong.verdict is Verdict.NOT_READY
        assert window.sign_in_needed == ("proxy.auth_failed", basic_squid.address)
        qtbot.waitUntil(window.sign_in_button.isVisible, timeout=2_000)
        click(window.sign_in_button)
        assert window.sign_in_dialog is not None
        assert "refused this user name or password" in window.sign_in_dialog.message.text()
        assert window.sign_in_dialog.user_edit.text() == USER  # the user name is kept, the password is not
        assert window.sign_in_dialog.password_edit.text() == ""
        window.sign_in_dialog.reject()
        qtbot.waitUntil(lambda: window.sign_in_dialog is None)

        # The right password: the same check passes through squid.
        second = _sign_in(qtbot, window, USER, PASSWORD)
        assert second.verdict is Verdict.READY, [r.result.cause for r in second.records]
        qtbot.waitUntil(window.check_button.isEnabled, timeout=2_000)
        assert not window.sign_in_button.isVisible()
        assert window.checks.card(f"tcp:app.test:{port}").state.text() == "Passed"
        assert f"CONNECT app.test:{port}" in basic_squid.access_log()

        # "Check this network" again keeps the sign-in for this session (in memory).
        with qtbot.waitSignal(window.runDone, timeout=30_000) as blocker:
            click(window.check_button)
        qtbot.waitUntil(lambda: not window.running, timeout=5_000)
        assert blocker.args[0].verdict is Verdict.READY
    finally:
        wait_for(qtbot, runner.cleanup())  # type: ignore[attr-defined]
        wait_for(qtbot, dns.stop())

    # The password is nowhere: window texts, clipboard, settings file, JSON, PDF.
    for card in window.checks.cards.values():
        card.set_expanded(True)
    QGuiApplication.clipboard().clear()
    click(window.copy_button)
    json_path, pdf_path = tmp_path / "report.json", tmp_path / "report.pdf"
    assert window.save_json(str(json_path)) and window.export_pdf(str(pdf_path))
    window.settings.sync()
    assert isinstance(ui_settings.store, QSettings)
    settings_file = Path(ui_settings.store.fileName()).read_text("utf-8")
    pdf = subprocess.run(["pdftotext", str(pdf_path), "-"], check=True, capture_output=True, text=True).stdout
    places = {
        "window": every_text(window),
        "clipboard": QGuiApplication.clipboard().text(),
        "settings": settings_file,
        "json": json_path.read_text("utf-8"),
        "pdf": pdf,
    }
    assert basic_squid.address in places["json"] and "127.0.0.1" in places["settings"]  # the places are real
    for place, text in places.items():
        for secret in (PASSWORD, "wrong horse"):
            assert secret not in text, f"the password shows in the {place}"
    for place in ("json", "pdf", "clipboard"):
        assert USER not in places[place], f"the proxy user name shows in the {place}"
