"""The verdict at a glance: a traffic light (icon with a symbol, not colour alone) and one sentence."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from sparkgui.core.i18n import Text
from sparkgui.core.model import Verdict
from sparkgui.ui.icons import icon_path
from sparkgui.ui.status_style import RUNNING_TINT, VERDICT_ICONS, VERDICT_TINTS, tint_css


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
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        texts = QVBoxLayout()
        texts.setSpacing(4)
        texts.addStretch(1)
        texts.addWidget(self.headline)
        texts.addWidget(self.detail)
        texts.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 8, 12, 8)
        row.setSpacing(14)
        row.addWidget(self.light, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addLayout(texts, 1)
        self.setMinimumHeight(90)
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
        self.detail.setVisible(bool(detail))
        self.setAccessibleName(headline)
        self.setAccessibleDescription(detail)

    def show_verdict(self, verdict: Verdict) -> None:
        """Show the light and tint of a finished run's verdict."""
        self.show_state(VERDICT_ICONS[verdict], verdict)
