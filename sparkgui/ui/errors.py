"""One dialog for the unexpected: a bug shows up as a readable message with "Copy details".

Never a silent death: Python's excepthook (Qt slots) and the asyncio loop's exception handler both lead here.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from sparkgui.app.logs import LogFiles, current_log
from sparkgui.core.i18n import tr

log = logging.getLogger("sparkgui.errors")


class ErrorDialog(QDialog):
    """The message that sparkgui itself failed, with the details to copy for the platform's support."""

    def __init__(self, lang: str, parent: QWidget | None = None, log_files: LogFiles | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.log_files = log_files
        self.setWindowTitle(tr("sparkgui: unexpected problem").render(lang))
        self.message = QLabel(
            tr(
                "Something went wrong inside sparkgui. This is a bug, not a network fault. "
                "Please copy the details and send them to the platform's support."
            ).render(lang),
            self,
        )
        self.message.setWordWrap(True)
        self.log_label = QLabel(self)
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self)
        self.details.setReadOnly(True)
        self.details.setAccessibleName(tr("Error details").render(lang))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(tr("Copy details").render(lang), self)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        self.log_button = QPushButton(tr("Open the log folder").render(lang), self)
        buttons.addButton(self.log_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.log_button.clicked.connect(self.open_log_folder)
        if log_files is not None:
            where = tr("sparkgui also wrote this to its log: {path}", path=str(log_files.log))
            self.log_label.setText(where.render(lang))
        else:
            self.log_label.setText(tr("sparkgui could not write a log on this computer.").render(lang))
            self.log_button.hide()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.log_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 360)
        self.setWindowModality(Qt.WindowModality.WindowModal)

    def add(self, text: str) -> None:
        """Append one error's details below those already shown."""
        current = self.details.toPlainText()
        self.details.setPlainText(f"{current}\n\n{text}" if current else text)

    def copy_details(self) -> None:
        """Put the details on the clipboard, ready to paste into a message to support, with the log's place."""
        text = self.details.toPlainText()
        if self.log_files is not None:
            text += f"\n\nLog: {self.log_files.log}\nCrash trace: {self.log_files.crash}"
        QGuiApplication.clipboard().setText(text)

    def open_log_folder(self) -> None:
        """Show the log folder in the file manager, to attach the files to a message."""
        if self.log_files is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_files.folder)))


class ErrorReporter:
    """Collects unexpected exceptions into one dialog (one at a time, later errors appended)."""

    def __init__(self, parent: Callable[[], QWidget | None], lang: Callable[[], str]) -> None:
        self._parent, self._lang = parent, lang
        self.dialog: ErrorDialog | None = None
        self._previous_hook = sys.excepthook

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Send uncaught exceptions, from Qt slots and from `loop`, to the dialog."""
        sys.excepthook = self.excepthook
        loop.set_exception_handler(self.loop_exception)

    def uninstall(self, loop: asyncio.AbstractEventLoop) -> None:
        """Restore the previous excepthook (if ours is still set) and the loop's default handler."""
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_hook
        loop.set_exception_handler(None)

    def excepthook(self, kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        """Show an uncaught exception in the dialog; leave Ctrl+C to the previous hook."""
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, value, tb)
            return
        self.report("".join(traceback.format_exception(kind, value, tb)))

    def loop_exception(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """Show an error the asyncio loop caught, with its traceback when there is one."""
        exc = context.get("exception")
        text = str(context.get("message", ""))
        if isinstance(exc, BaseException):
            text += "\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        self.report(text.strip())

    def report(self, details: str) -> None:
        """Print `details` on stderr and show them, appended if the dialog is already open."""
        if sys.stderr is not None:  # a windowed program on Windows has none
            print(details, file=sys.stderr)  # also on the terminal, for whoever started sparkgui from one
        log.error("unexpected problem shown to the user:\n%s", details)
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = ErrorDialog(self._lang(), self._parent(), current_log())
            self.dialog.finished.connect(self._forget)
            self.dialog.add(details)
            self.dialog.open()
        else:
            self.dialog.add(details)

    def _forget(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
