"""A stop signal that any thread may raise and any loop may wait on.

An event-day watch runs its rounds on one loop and, in the window, its held connection on the engine's; an
`asyncio.Event` belongs to one loop and must not be set from another thread, so the watch stops the hold
with this instead.
"""

from __future__ import annotations

import asyncio
import threading


class StopFlag:
    """Raised once with `set()`, from any thread; `await wait()` returns on any loop once it is raised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._raised = False
        self._waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = []

    def set(self) -> None:
        """Raise the flag and wake every waiter, on its own loop."""
        with self._lock:
            self._raised = True
            waiters, self._waiters = self._waiters, []
        for loop, event in waiters:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

    def is_set(self) -> bool:
        """Whether the flag was raised."""
        return self._raised

    async def wait(self) -> None:
        """Return once the flag is raised."""
        event = asyncio.Event()
        entry = (asyncio.get_running_loop(), event)
        with self._lock:
            if self._raised:
                return
            self._waiters.append(entry)
        try:
            await event.wait()
        finally:
            with self._lock:
                if entry in self._waiters:
                    self._waiters.remove(entry)
