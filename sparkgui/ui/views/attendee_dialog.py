"""The "Test attendees' phones" window: the QR code of the platform's test link, and the phones' results live.

Layout only: the attendee controller opens the session and fills it in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sparkgui.core.attendees import AttendeeResults
from sparkgui.core.i18n import Text, tr
from sparkgui.ui.icons import icon

QR_PIXELS = 260  # big enough to scan from a few metres on a projector, small enough for a laptop screen


def qr_pixmap(url: str) -> QPixmap:
    """The link as a QR code, drawn by segno (PNG in memory, no Pillow), at about QR_PIXELS wide."""
    import io

    import segno

    code = segno.make(url, error="m")
    width = code.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    code.save(buffer, kind="png", scale=max(2, QR_PIXELS // width), border=4)
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue(), "PNG")
    return pixmap


class AttendeeDialog(QDialog):
    """The QR code, the link as text, one line of summary, then one row per phone."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setMinimumWidth(460)
        column = QVBoxLayout(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.qr = QLabel(self)
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr.setMinimumHeight(QR_PIXELS)
        self.link = QLabel(self)
        self.link.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.link.setWordWrap(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.phones = QListWidget(self)
        self.phones.setWordWrap(True)  # a failed phone's reason is the row that matters: never cut off
        self.phones.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.phones.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.phones.setMinimumHeight(110)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(placeholder-text);")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        for widget in (self.intro, self.qr, self.link, self.summary, self.where, self.phones, self.note, buttons):
            column.addWidget(widget)
        self.setWindowTitle(tr("Test attendees' phones").render(lang))
        self.intro.setText(
            tr(
                "Ask a few attendees to scan this code with their phone, on the Wi-Fi they will use at the event. "
                "The test takes a minute; their results appear below."
            ).render(lang)
        )
        self.note.setText(tr("The results also go into this run's PDF and JSON reports.").render(lang))
        self.show_opening()

    def show_opening(self) -> None:
        """While the session opens on the platform's probe."""
        self.qr.setText(tr("Opening a session on the platform's probe…").render(self.lang))
        self.summary.setText("")
        self.where.setText("")

    def show_link(self, url: str) -> None:
        """The session is open: its QR code and link."""
        pixmap = qr_pixmap(url)
        self.qr.setPixmap(pixmap)
        self.qr.setMinimumSize(pixmap.size())  # never squeezed: a clipped quiet zone stops phones reading it
        self.adjustSize()
        self.link.setText(url)

    def show_problem(self, text: Text) -> None:
        """The session could not be opened or read."""
        if self.qr.pixmap() is None or self.qr.pixmap().isNull():
            self.qr.setText("")
        self.summary.setText(text.render(self.lang))

    def show_results(self, results: AttendeeResults) -> None:
        """The phones so far."""
        self.summary.setText(results.summary().render(self.lang))
        where = results.network_line()
        self.where.setText(where.render(self.lang) if where is not None else "")
        if self.phones.count() == len(results.phones):
            return
        self.phones.clear()
        for phone in results.phones:
            if phone.passed:
                line = tr("Passed ({browser})", browser=phone.browser)
            else:
                line = tr("Failed ({browser}): {reason}", browser=phone.browser, reason=phone.reason_text())
            QListWidgetItem(icon("status-pass" if phone.passed else "status-fail"), line.render(self.lang), self.phones)
