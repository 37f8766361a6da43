"""The event-day watch on screen: a warning banner that stays until dismissed, a status line, a timeline.

Layout and drawing only; the watch controller fills it. The timeline draws one square per round, coloured
by its verdict and marked with a symbol too (colour is never the only signal): ✓ ready, ! warnings,
✗ not ready, ? could not run; a round that regressed has a red bar under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolTip, QVBoxLayout, QWidget

from sparkgui.core.model import Status, Verdict
from sparkgui.ui.status_style import STATUS_TINTS, VERDICT_TINTS, tint_css

if TYPE_CHECKING:
    from sparkgui.app.watch import WatchRound

CELL = 18  # a round's square, in pixels
GAP = 4
SYMBOLS = {Verdict.READY: "✓", Verdict.READY_WITH_WARNINGS: "!", Verdict.NOT_READY: "✗", Verdict.INCOMPLETE: "–"}
MAX_SHOWN = 120  # the newest rounds shown (10 hours of 5-minute rounds); older ones stay in the history


class Timeline(QWidget):
    """The rounds of a watch, oldest on the left; hovering a square says what it was."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rounds: list[WatchRound] = []
        self.tips: list[str] = []
        self.setMinimumHeight(CELL + 8)

    def set_rounds(self, rounds: Sequence[WatchRound], tips: Sequence[str]) -> None:
        """Show these rounds (the newest MAX_SHOWN), with one tooltip per round."""
        self.rounds, self.tips = list(rounds)[-MAX_SHOWN:], list(tips)[-MAX_SHOWN:]
        self.setAccessibleDescription("; ".join(self.tips[-5:]))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        """As wide as the rounds drawn."""
        return QSize(max(1, len(self.rounds)) * (CELL + GAP), CELL + 8)

    def cell(self, index: int) -> QRect:
        """Where round `index` (0 = the oldest shown) is drawn."""
        return QRect(index * (CELL + GAP), 1, CELL, CELL)

    def paintEvent(self, event: QPaintEvent) -> None:
        """One square per round, with its symbol; a red bar under a round that regressed."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        text = self.palette().color(QPalette.ColorRole.Base)
        for index, watch_round in enumerate(self.rounds):
            box = self.cell(index)
            colour = VERDICT_TINTS.get(watch_round.verdict) if watch_round.verdict else None
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour or STATUS_TINTS[Status.SKIPPED])
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QPen(text))
            symbol = SYMBOLS.get(watch_round.verdict, "?") if watch_round.verdict else "?"
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, symbol)
            if watch_round.regressed:
                painter.fillRect(QRect(box.left(), box.bottom() + 3, CELL, 3), STATUS_TINTS[Status.FAIL])
        painter.end()

    def event(self, event: QEvent) -> bool:
        """The tooltip of the round under the pointer."""
        if event.type() is QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = event.pos().x() // (CELL + GAP)
            if 0 <= index < len(self.tips):
                QToolTip.showText(event.globalPos(), self.tips[index], self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def round_at(self, point: QPoint) -> int | None:
        """The index of the round drawn at `point`, if any."""
        index = point.x() // (CELL + GAP)
        return index if 0 <= index < len(self.rounds) else None


class WatchPanel(QFrame):
    """Hidden until a watch starts; the alert stays on screen until dismissed, so a glance later still sees it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("watchPanel")
        self.alert_frame = QFrame(self)
        self.alert_frame.setObjectName("watchAlert")
        tint = STATUS_TINTS[Status.FAIL]
        self.alert_frame.setStyleSheet(
            f"#watchAlert {{ background-color: {tint_css(tint, 0.18)}; border: 2px solid {tint_css(tint, 0.8)};"
            " border-radius: 6px; }"
        )
        self.alert_label = QLabel(self.alert_frame)
        self.alert_label.setWordWrap(True)
        self.alert_label.setTextFormat(Qt.TextFormat.PlainText)
        self.alert_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.alert_label.font()
        bold.setBold(True)
        self.alert_label.setFont(bold)
        self.dismiss_button = QPushButton(self.alert_frame)
        alert_row = QHBoxLayout(self.alert_frame)
        alert_row.setContentsMargins(10, 6, 10, 6)
        alert_row.addWidget(self.alert_label, 1)
        alert_row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        self.alert_frame.hide()
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.timeline = Timeline(self)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.alert_frame)
        column.addWidget(self.status_label)
        column.addWidget(self.timeline)
        self.dismiss_button.clicked.connect(self.alert_frame.hide)
        self.hide()

    def show_alert(self, text: str) -> None:
        """Show the warning (replacing an older one) until the person dismisses it."""
        self.alert_label.setText(text)
        self.alert_label.setAccessibleName(text)
        self.alert_frame.show()

    @property
    def alert_shown(self) -> bool:
        """Whether a warning is on screen."""
        return not self.alert_frame.isHidden()
