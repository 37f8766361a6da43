"""The row of actions above the results: check, sign in to the proxy, the 10-minute test, cancel, progress."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QPushButton, QVBoxLayout, QWidget

from sparkgui.core.i18n import tr
from sparkgui.ui.icons import icon
from sparkgui.ui.views.buttons import label_buttons

BUTTON_HEIGHT = 40


class ActionBar(QWidget):
    """Layout only: the run controller enables the buttons and moves the progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        column.addLayout(row)
        self.check_button = QPushButton(self)
        self.check_button.setObjectName("primaryButton")
        self.check_button.setDefault(True)
        self.check_button.setAutoDefault(True)
        bold = self.check_button.font()
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.check_button.setFont(bold)
        self.check_button.setStyleSheet(
            "#primaryButton { background-color: palette(highlight); color: palette(highlighted-text);"
            " border-radius: 6px; padding: 6px 22px; }"
            "#primaryButton:disabled { background-color: palette(mid); color: palette(window); }"
            "#primaryButton:focus { border: 2px solid palette(text); }"
        )
        self.long_button = QPushButton(self)
        self.sign_in_button = QPushButton(icon("status-warn"), "", self)
        self.sign_in_button.hide()  # offered only when the proxy asks for credentials
        self.cancel_button = QPushButton(self)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(True)
        self.progress.hide()  # shown only while a run is under way, on its own line: the buttons keep their room
        for widget in (self.check_button, self.sign_in_button, self.long_button, self.cancel_button):
            widget.setMinimumHeight(BUTTON_HEIGHT)  # one height for the row, the primary button's
            row.addWidget(widget)
        row.addStretch(1)
        column.addWidget(self.progress)
        # Not steps of the check, so at the row's end: the event-day watch and every run kept.
        self.watch_button = QPushButton(self)
        self.history_button = QPushButton(self)
        for widget in (self.watch_button, self.history_button):
            widget.setMinimumHeight(BUTTON_HEIGHT)
            row.addWidget(widget)

    def retranslate(self, lang: str, has_websocket: bool, watching: bool = False) -> None:
        """Button texts and tooltips in `lang`; the watch button says how to stop a watch under way."""
        watch = (
            (self.watch_button, tr("Stop watching"), tr("End the event-day watch; every round stays in the history."))
            if watching
            else (
                self.watch_button,
                tr("Watch during the event…"),
                tr("Check again every few minutes during the event, and warn as soon as something gets worse."),
            )
        )
        label_buttons(
            (
                watch,
                (self.check_button, tr("Check this network"), tr("Run every check now (F5).")),
                (
                    self.long_button,
                    tr("Run the 10-minute test"),
                    tr("Also hold a live connection open for 10 minutes, as a real session does."),
                ),
                (self.cancel_button, tr("Cancel"), tr("Stop every check now (Esc).")),
                (
                    self.history_button,
                    tr("History…"),
                    tr("Every run kept: its PDF and JSON, what changed since the previous run at the venue."),
                ),
                (
                    self.sign_in_button,
                    tr("Sign in to the proxy…"),
                    tr("Give the proxy's user name and password, then check again. The password is never saved."),
                ),
            ),
            lang,
        )
        if not has_websocket:
            self.long_button.setToolTip(tr("This profile has no WebSocket to hold open.").render(lang))
        self.progress.setAccessibleName(tr("Overall progress").render(lang))
