"""Window-modal message boxes opened without blocking the event loop (tests close them by code)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from sparkgui.core.i18n import Text


class MessageBoxes:
    """At most one box at a time, over `parent`, in the window's current language."""

    def __init__(self, parent: QWidget, lang: Callable[[], str]) -> None:
        self._parent = parent
        self._lang = lang
        self.current: QMessageBox | None = None

    def show(self, kind: QMessageBox.Icon, title: Text, text: Text) -> None:
        """Open a box saying `text`; a box already open is closed first."""
        if self.current is not None:
            self.current.close()
        lang = self._lang()
        box = QMessageBox(kind, title.render(lang), text.render(lang), QMessageBox.StandardButton.Ok)
        box.setParent(self._parent, box.windowFlags())
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.finished.connect(self._closed)
        self.current = box
        box.open()

    def _closed(self) -> None:
        if self.current is not None:
            self.current.deleteLater()
        self.current = None
