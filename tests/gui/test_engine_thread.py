"""The engine's own thread: coroutines run there and cancel from here, and cycles are collected on the GUI
thread only (a collection on the engine thread could destroy Qt objects there)."""

from __future__ import annotations

import asyncio
import gc
import threading

from pytestqt.qtbot import QtBot

from sparkgui.ui.engine_thread import EngineThread
from tests.gui.conftest import wait_for


def test_runs_on_its_own_thread_and_cancels_from_here(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    engine = EngineThread()
    seen: dict[str, object] = {}

    async def where() -> int:
        return threading.get_ident()

    async def forever() -> None:
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            seen["cancelled_on"] = threading.get_ident()
            raise

    async def scenario() -> None:
        seen["ran_on"] = await engine.run(where)
        task = asyncio.ensure_future(engine.run(forever))
        await asyncio.sleep(0.1)
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            seen["gui_saw_cancel"] = True

    try:
        wait_for(qtbot, scenario())
    finally:
        engine.stop()
    assert seen["ran_on"] != threading.get_ident()
    assert seen["cancelled_on"] == seen["ran_on"] and seen["gui_saw_cancel"] is True


def test_cycles_are_collected_by_the_gui_thread(qtbot: QtBot, qloop: asyncio.AbstractEventLoop) -> None:
    engine = EngineThread()

    async def nothing() -> None:
        return None

    try:
        wait_for(qtbot, engine.run(nothing))
    finally:
        engine.stop()
    assert not gc.isenabled()  # automatic collection (in any thread) is off…

    class Node:
        def __init__(self) -> None:
            self.me = self

    for _ in range(5000):
        Node()  # cycles only a collector can free
    before = gc.get_count()[0]
    qtbot.waitUntil(lambda: gc.get_count()[0] < before, timeout=3000)  # …and the GUI thread's timer collects
