"""The verdict at a glance: a traffic light (icon with a symbol, not colour alone) and one sentence."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from sparkgui.core.i18n import Text
from sparkgui.core.model import Verdict
from sparkgui.ui.icons import icon_path
from sparkgui.ui.status_style import RUNNING_TINT, VERDICT_ICONS, VERDICT_TINTS, tint_css

MIN_HEIGHT = 90  # the traffic light and a one-line sentence
DETAIL_MIN_LINES = 3  # of the detail, always in sight; the rest scrolls when the window is short
TEXT_INDENT = 12 + 28 + 14 + 12  # margins, the light and the spacing beside the texts


class VerdictBanner(QFrame):
    """The verdict's traffic light and sentence, on a background tinted by the verdict."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("verdictBanner")
        self.verdict: Verdict | None = None
        self.light = QSvgWidget(self)  # vector: sharp on any screen
        self.light.setFixedSize(28, 72)
        self.headline = QLabel(self)
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.headline.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        # The detail (counts, requirements, what to do) scrolls inside the banner when the window is short, so
        # a long French detail at the smallest size neither covers the headline nor pushes the window taller
        # than a laptop's screen.
        self.detail_area = QScrollArea(self)
        self.detail_area.setWidget(self.detail)
        self.detail_area.setWidgetResizable(True)
        self.detail_area.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail_area.setStyleSheet("QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }")
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addStretch(1)
        texts.addWidget(self.headline)
        texts.addWidget(self.detail_area)
        texts.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(14)
        row.addWidget(self.light, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        self.setMinimumHeight(MIN_HEIGHT)
        self._wanted = MIN_HEIGHT
        self._icon = ""
        self.show_state("verdict-idle", None)

    def show_state(self, icon: str, verdict: Verdict | None, running: bool = False) -> None:
        """The light and tint for a verdict, for the idle state (None) or while a run is under way."""
        self.verdict = verdict
        if icon != self._icon:
            self._icon = icon
            self.light.load(icon_path(icon))
        tint = RUNNING_TINT if running else VERDICT_TINTS.get(verdict) if verdict is not None else None
        border = tint_css(tint, 0.6) if tint is not None else "palette(mid)"
        background = tint_css(tint, 0.14) if tint is not None else "transparent"
        self.setStyleSheet(
            f"#verdictBanner {{ background-color: {background}; border: 1px solid {border}; border-radius: 8px; }}"
        )

    def set_texts(self, headline: str, detail: str, accessible: Text | None = None) -> None:
        """Show the headline and its detail (hidden when empty), and give both to screen readers."""
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail_area.setVisible(bool(detail))
        self.setAccessibleName(headline)
        self.setAccessibleDescription(detail)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Grow or shrink with the wrapped text at the new width."""
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Size the banner to its wrapped lines at its width.

        It wants the whole headline and the whole detail, and needs at least DETAIL_MIN_LINES of the detail
        (the rest scrolled) when the window is short. A main window's layout does not ask word-wrapped labels
        for their height at a width, so without this a two-line French headline at the smallest size is drawn
        over the line below it.
        """
        width = self.width() - TEXT_INDENT
        if width <= 0 or not self.isVisible():  # not laid out yet: its width says nothing
            return
        detail = self.detail.heightForWidth(width - self.detail_area.verticalScrollBar().sizeHint().width())
        detail = max(detail, 0) if self.detail.text() else 0
        least = min(detail, DETAIL_MIN_LINES * self.detail.fontMetrics().lineSpacing() + 4)
        self.detail_area.setMinimumHeight(least)
        self.detail_area.setMaximumHeight(max(detail, least))
        headline = max(self.headline.heightForWidth(width), 0)
        needed = max(MIN_HEIGHT, headline + least + 4 + 16)
        wanted = max(MIN_HEIGHT, headline + detail + 4 + 16)
        if wanted != self._wanted:
            self._wanted = wanted
            self.updateGeometry()
        if needed != self.minimumHeight():
            self.setMinimumHeight(needed)

    def sizeHint(self) -> QSize:
        """As tall as the whole headline and detail at the current width."""
        hint = super().sizeHint()
        return QSize(hint.width(), max(hint.height(), self._wanted))

    def show_verdict(self, verdict: Verdict) -> None:
        """Show the light and tint of a finished run's verdict."""
        self.show_state(VERDICT_ICONS[verdict], verdict)
