"""The exports for the venue's IT (PDF, JSON, clipboard, rules) and the line that says what just happened.

After a file is saved, it also offers what to do with it next: show its folder, or mail it to IT.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sparkgui.core.i18n import Text, tr
from sparkgui.ui.views.buttons import label_buttons


class ExportBar(QWidget):
    """Layout, and the status line's current text kept as a `Text` so it follows a language switch."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        self.pdf_button = QPushButton(self)
        strong = self.pdf_button.font()
        strong.setBold(True)  # the organiser's deliverable
        self.pdf_button.setFont(strong)
        self.save_button = QPushButton(self)
        self.copy_button = QPushButton(self)
        self.rules_button = QPushButton(self)
        for widget in (self.pdf_button, self.save_button, self.copy_button, self.rules_button):
            row.addWidget(widget)
        row.addStretch(1)
        follow_up = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_button = QPushButton(self)
        self.mail_button = QPushButton(self)
        follow_up.addWidget(self.status_label, 1)
        follow_up.addWidget(self.folder_button)
        follow_up.addWidget(self.mail_button)
        height = max(button.sizeHint().height() for button in (self.pdf_button, self.folder_button))
        for button in (self.pdf_button, self.save_button, self.copy_button, self.rules_button):
            button.setMinimumHeight(height)  # one height for the row (the bold one is not taller)
        column.addLayout(row)
        column.addLayout(follow_up)
        self.status: Text | None = None
        self.lang = "en"
        self.offer_follow_up(False)

    def set_status(self, text: Text | None) -> None:
        """Say what just happened (or clear it, with the follow-up buttons)."""
        self.status = text
        self.status_label.setText(text.render(self.lang) if text is not None else "")
        self.status_label.setVisible(text is not None)
        if text is None:
            self.offer_follow_up(False)

    def offer_follow_up(self, offered: bool) -> None:
        """Show "Show in folder" and "Email to IT" after a file was saved (only then do they mean anything)."""
        self.folder_button.setVisible(offered)
        self.mail_button.setVisible(offered)

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
                    self.rules_button,
                    tr("Export rules…"),
                    tr("Save the allow-list rules as CSV or JSON, to import into a firewall console."),
                ),
                (self.folder_button, tr("Show in folder"), tr("Open the folder that holds the saved file.")),
                (
                    self.mail_button,
                    tr("Email to IT"),
                    tr("Open your mail program with a message to the venue's IT; attach the saved file to it."),
                ),
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
