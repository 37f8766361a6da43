"""One meaning per result in the window: group headers never count a check that did not run as done, a
cause is counted once and where it belongs, the countdown is typed, and the demo's hold policy is the CLI's."""

from __future__ import annotations

import concurrent.futures
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, Countdown, Verdict
from sparkgui.core.profile import load_bundled_profile
from sparkgui.ui.check_card import CheckCard
from tests.gui.conftest import WindowFactory, click
from tests.support import Ep, loopback_network, make_profile


@pytest.fixture
def silent_dns_port() -> Iterator[int]:
    """A resolver on loopback that never answers."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])


def test_with_dns_down_no_header_calls_checks_that_did_not_run_done(
    qtbot: QtBot, open_window: WindowFactory, silent_dns_port: int
) -> None:
    window = open_window(make_profile([Ep("app.test", 443), Ep("studio.test", 443)]), loopback_network(silent_dns_port))
    with qtbot.waitSignal(window.runDone, timeout=30_000) as blocker:
        click(window.check_button)
    assert blocker.args[0].verdict is Verdict.NOT_READY
    qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    headers = {key: header.text() for key, header in window.checks.headers.items()}
    assert headers["internet"] == "Internet & DNS — 1 problem to look at"  # one dead resolver: one problem
    assert headers["firewall"] == "Firewall (HTTPS 443) — 4 of 4 not run: see the problem under “Internet & DNS”"
    assert "no problem" not in headers["proxy"] and "not run" in headers["proxy"]
    assert window.banner.headline.text() == "Not ready: the venue's DNS does not find Test platform."


def test_a_typed_countdown_drives_the_card_whatever_the_message_says() -> None:
    card = CheckCard(CheckInfo(CheckId.ws_hold("wss://app.test/ws"), (), tr("Live connection")), "fr")
    card.show_progress(tr("Checking…"), Countdown(135, 465))  # no elapsed_s / remaining_s in the sentence
    assert card.state.text() == "encore 7:45" and card.countdown == Countdown(135, 465)
    card.show_progress(tr("Checking…"))  # a later message without one keeps the last countdown
    assert card.countdown == Countdown(135, 465)
    card.deleteLater()


def test_the_demo_holds_as_long_in_the_window_as_in_the_cli(
    qtbot: QtBot, open_window: WindowFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sparkgui.app.session as session_module
    from sparkgui.cli.args import parse
    from sparkgui.cli.headless import run_headless

    asked: list[Any] = []

    class CapturingSession:
        def __init__(self, request: Any, sink: Any, **_: Any) -> None:
            asked.append(request)

        async def execute(self) -> None:
            if len(asked) == 1:
                raise KeyboardInterrupt  # the CLI: stop right after the request was made

        def cancel(self) -> None:
            pass

    monkeypatch.setattr("sparkgui.cli.headless.Session", CapturingSession)
    args = parse(["--headless", "--demo", "ready", "--long-hold", "--lang", "en"])
    with concurrent.futures.ThreadPoolExecutor(1) as pool:  # its own thread: the CLI runs its own event loop
        assert pool.submit(run_headless, args).result(timeout=30) == 130  # stopped right after it asked

    monkeypatch.setattr(session_module, "Session", CapturingSession)
    window = open_window(load_bundled_profile())
    window.set_demo("ready")
    click(window.long_button)
    qtbot.waitUntil(lambda: len(asked) == 2 and not window.running, timeout=5_000)
    cli, gui = asked
    assert cli.plan_options() == gui.plan_options()
    assert gui.plan_options().hold_seconds == session_module.DEMO_LONG_HOLD_SECONDS == 60


def test_the_banner_lists_the_requirements_and_what_completes_them(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(load_bundled_profile())
    window.set_demo("ready")
    with qtbot.waitSignal(window.runDone, timeout=60_000):
        click(window.check_button)
    qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    headline, detail = window.banner.headline.text(), window.banner.detail.text()
    assert "Proven: 3 of 4 requirements" in headline
    assert "Requirements: ✓ DNS resolves the platform's domains" in detail
    assert "? WebSockets stay open at least 10 minutes" in detail and "To complete: Run the 10-minute test." in detail
    assert "Not applicable:" in detail  # no IPv6 address on a demo host: not counted as not run
