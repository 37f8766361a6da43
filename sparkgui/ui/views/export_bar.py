"""The exports for the venue's IT (PDF, JSON, clipboard) and the line that says what just happened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from sparkgui.core.i18n import Text, tr
from sparkgui.ui.views.buttons import label_buttons


class ExportBar(QWidget):
    """Layout, and the status line's current text kept as a `Text` so it follows a language switch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.pdf_button = QPushButton(self)
        strong = self.pdf_button.font()
        strong.setBold(True)  # the organiser's deliverable
        self.pdf_button.setFont(strong)
        self.save_button = QPushButton(self)
        self.copy_button = QPushButton(self)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for widget in (self.pdf_button, self.save_button, self.copy_button):
            row.addWidget(widget)
        row.addWidget(self.status_label, 1)
        self.status: Text | None = None
        self.lang = "en"

    def set_status(self, text: Text | None) -> None:
        """Say what just happened (or clear it)."""
        self.status = text
        self.status_label.setText(text.render(self.lang) if text is not None else "")

    def retranslate(self, lang: str) -> None:
        """Button texts, tooltips and the status line in `lang`."""
        self.lang = lang
        label_buttons(
            (
                (
                    self.copy_button,
                    tr("Copy for IT"),
                    tr("Copy a plain-text summary with the allow-list rules, to paste into a message (Ctrl+Shift+C)."),
                ),
                (self.save_button, tr("Save JSON…"), tr("Save the full report as a JSON file (Ctrl+S).")),
                (
                    self.pdf_button,
                    tr("Export PDF for IT…"),
                    tr("Save a PDF summary to send to the venue's IT: what to change, and every result (Ctrl+P)."),
                ),
            ),
            lang,
        )
        if self.status is not None:
            self.status_label.setText(self.status.render(lang))
