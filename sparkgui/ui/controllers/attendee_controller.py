"""The attendee test in the window: opens a session on the engine's thread, polls it, shows the phones live.

Thin: the session itself is `sparkgui.app.attendee_test`, shared with the CLI. The exports read `results`,
so the PDF and JSON of the run carry them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from sparkgui.app.attendee_test import POLL_SECONDS, AttendeeSource, AttendeeTestError
from sparkgui.core.attendees import AttendeeResults

SourceFactory = Callable[[], AttendeeSource]
"""Makes the session for the profile and proxy in use now (AttendeeTestError when it cannot)."""


class AttendeeController(QObject):
    """One attendee session at a time; closing the window stops polling but keeps the results."""

    def __init__(
        self,
        parent: QWidget,
        engine: Any,
        lang: Callable[[], str],
        laptop_address: Callable[[], str],
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._engine = engine
        self._lang = lang
        self._laptop_address = laptop_address
        self.dialog: Any = None
        self.source: AttendeeSource | None = None
        self.results: AttendeeResults | None = None
        self._task: asyncio.Task[None] | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(int(POLL_SECONDS * 1000))
        self._timer.timeout.connect(self._poll_soon)

    def open(self, factory: SourceFactory) -> None:
        """Show the window, opening a session unless one is open."""
        from sparkgui.ui.views.attendee_dialog import AttendeeDialog

        if self.dialog is None:
            self.dialog = AttendeeDialog(self._lang(), self._parent)
            self.dialog.finished.connect(lambda _code: self._timer.stop())
        self.dialog.show()
        self.dialog.raise_()
        if self.source is None:
            try:
                self.source = factory()
            except AttendeeTestError as exc:
                self.dialog.show_problem(exc.text)
                return
            self._task = asyncio.ensure_future(self._open(self.source))
        else:
            self._timer.start()

    async def _open(self, source: AttendeeSource) -> None:
        try:
            url = await self._engine.run(source.open)
        except AttendeeTestError as exc:
            self.source = None  # the next "Test attendees' phones" tries again
            if self.dialog is not None:
                self.dialog.show_problem(exc.text)
            return
        if self.dialog is not None:
            self.dialog.show_link(url)
            self._show(source)
        self._timer.start()

    def _poll_soon(self) -> None:
        if self.source is not None and (self._task is None or self._task.done()):
            self._task = asyncio.ensure_future(self._poll(self.source))

    async def _poll(self, source: AttendeeSource) -> None:
        try:
            await self._engine.run(source.poll)
        except AttendeeTestError as exc:
            if self.dialog is not None:
                self.dialog.show_problem(exc.text)
            return
        self._show(source)

    def _show(self, source: AttendeeSource) -> None:
        self.results = source.results(self._laptop_address())
        if self.dialog is not None:
            self.dialog.show_results(self.results)

    def forget(self) -> None:
        """A new profile or demo, or the window closing: the session belonged to the old one."""
        self._timer.stop()
        if self._task is not None and not self._task.done():
            self._task.cancel()
        self.source, self.results = None, None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
