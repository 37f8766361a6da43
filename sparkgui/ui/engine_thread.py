"""The engine's own thread and asyncio loop, so its work never takes the GUI thread's time.

TLS handshakes, DNS parsing and the demo's loopback servers all cost CPU; on the GUI thread (qasync's
loop) dozens of handshakes finishing together froze the window past 50 ms. The window still awaits a
plain coroutine (`await engine.run(factory)`), and progress reaches it as queued Qt signals.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


class EngineThread:
    """The engine's thread and loop, started on first use and ended by `stop()`."""

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def _ensure_started(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            from sparkgui.ui.gui_gc import collect_on_gui_thread

            collect_on_gui_thread()  # before the engine thread allocates: no Qt object freed over there
            ready = threading.Event()
            loop = asyncio.new_event_loop()

            def serve() -> None:
                asyncio.set_event_loop(loop)
                ready.set()
                loop.run_forever()
                loop.close()

            self._thread = threading.Thread(target=serve, name="sparkgui-engine", daemon=True)
            self._thread.start()
            ready.wait()
            self._loop = loop
        return self._loop

    async def run(self, factory: Callable[[], Awaitable[T]]) -> T:
        """Run `factory()` on the engine loop and await its result here; cancelling this cancels it there."""
        loop = self._ensure_started()

        async def call() -> T:
            return await factory()

        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(call(), loop))

    def call_soon(self, callback: Callable[[], object]) -> None:
        """Run `callback` on the engine loop (e.g. `run.cancel`), from any thread."""
        self._ensure_started().call_soon_threadsafe(callback)

    def stop(self, timeout: float = 5.0) -> None:
        """Wind the loop down: cancel what still runs, let transports finish closing, then stop the thread.

        Stopping the loop abruptly would leave sockets whose close was still pending.
        """
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return

        async def shutdown() -> None:
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for _ in range(3):  # connection_lost callbacks run a turn or two after close()
                await asyncio.sleep(0)
            await loop.shutdown_asyncgens()

        with contextlib.suppress(TimeoutError, RuntimeError, concurrent.futures.CancelledError):
            asyncio.run_coroutine_threadsafe(shutdown(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._loop, self._thread = None, None
