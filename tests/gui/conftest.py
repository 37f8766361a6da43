"""GUI tests: the real window, offscreen, over a qasync loop that shares Qt's event loop with pytest-qt.

Servers run on that same loop, so `qtbot.waitUntil` drives the window, the engine and the servers at once.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # before any QApplication exists: CI has no display

import qasync
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sparkgui.core.context import NetworkSettings
from sparkgui.core.model import RunOutcome
from sparkgui.core.profile import Profile
from sparkgui.ui.main_window import MainWindow
from sparkgui.ui.settings import UiSettings

T = TypeVar("T")


def click(widget: QWidget) -> None:
    """A real left click in the middle of the widget, as a person would."""
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    """A qasync loop marked as running inside Qt's own loop (pytest-qt spins it); closed after the test."""
    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [task for task in asyncio.all_tasks(loop) if not task.done()]
    for task in pending:
        task.cancel()
    # Leave Qt's loop running for the next test: mark this one stopped instead of calling loop.stop().
    loop._QEventLoop__is_running = False
    asyncio.events._set_running_loop(None)
    qapp.aboutToQuit.disconnect(loop._after_run_forever)
    loop.close()
    asyncio.set_event_loop(None)
    assert not pending, f"tasks left running after the test: {pending}"


def press_check(qtbot: QtBot, window: MainWindow) -> RunOutcome:
    """Click "Check this network" and wait until the run is over; return its outcome.

    The button is enabled again a turn of the event loop after the run ends: wait for it, or a click on a
    still-disabled button (a busy machine) would be lost.
    """
    qtbot.waitUntil(window.check_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(window.runDone, timeout=30_000) as blocker:
        click(window.check_button)
    outcome = blocker.args[0]
    assert isinstance(outcome, RunOutcome)
    qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    return outcome


def wait_for(qtbot: QtBot, awaitable: Awaitable[T], timeout_ms: int = 15_000) -> T:
    """Run a coroutine on the qasync loop while Qt's loop spins, and return its result."""
    future = asyncio.ensure_future(awaitable)
    qtbot.waitUntil(future.done, timeout=timeout_ms)
    return future.result()


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    """Settings in an INI file of the test's own, never the user's."""
    return UiSettings(QSettings(str(tmp_path / "sparkgui.ini"), QSettings.Format.IniFormat))


WindowFactory = Callable[..., MainWindow]


@pytest.fixture
def open_window(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, ui_settings: UiSettings) -> Iterator[WindowFactory]:
    """Open the real window on a profile and network of the test's choosing; wait until it can run."""
    windows: list[MainWindow] = []

    def factory(profile: Profile | None = None, network: NetworkSettings | None = None, **kwargs: Any) -> MainWindow:
        kwargs.setdefault("settings", ui_settings)
        kwargs.setdefault("lang", "en")
        window = MainWindow(profile=profile, network=network, **kwargs)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: window.ready, timeout=10_000)
        return window

    yield factory
    for window in windows:
        if window.watching:
            window.stop_watch()
            qtbot.waitUntil(lambda w=window: not w.watching, timeout=15_000)  # type: ignore[misc]
        if window.running:
            window.cancel()
            qtbot.waitUntil(lambda w=window: not w.running, timeout=5_000)  # type: ignore[misc]
        if window.message_box is not None:
            window.message_box.close()
        if window.errors.dialog is not None:
            window.errors.dialog.close()
