"""The speed and latency of the run on screen: the capacity verdict in words, beside two small charts.

Filled as the quality checks finish (`quality:latency`, then the speed tests), hidden while there is nothing to
show. The charts are the PDF's, painted by `sparkgui.report.charts` in the window's own palette.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from sparkgui.core.model import CheckRecord
from sparkgui.core.quality_figures import QualityFigures, capacity_words, figures_of, latency_words, rate_words
from sparkgui.report.charts import ChartStyle, paint_rates, paint_round_trips

Painter = Callable[[QPainter, QRectF, QualityFigures, ChartStyle, str], None]


class ChartView(QWidget):
    """One chart, repainted from the figures it was last given."""

    def __init__(self, paint: Painter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paint, self.lang = paint, "en"
        self.figures: QualityFigures | None = None
        self.setMinimumWidth(220)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(130)

    def show_figures(self, figures: QualityFigures, lang: str) -> None:
        """Draw these figures in `lang`."""
        self.figures, self.lang = figures, lang
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Paint the chart in the window's colours."""
        del event
        if self.figures is None:
            return
        palette = self.palette()
        style = ChartStyle(
            palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Mid), self.font()
        )
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.paint(painter, QRectF(self.rect()).adjusted(2, 2, -2, -2), self.figures, style, self.lang)
        finally:
            painter.end()


class QualityPanel(QFrame):
    """The verdict in words on the left, the rate and round-trip charts on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quality-panel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.evidence: dict[str, Mapping[str, Any]] = {}
        self.figures: QualityFigures | None = None
        self.lang = "en"
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        words = QVBoxLayout()
        self.verdict_label = QLabel(self)
        self.verdict_label.setWordWrap(True)
        bold = self.verdict_label.font()
        bold.setBold(True)
        self.verdict_label.setFont(bold)
        self.figures_label = QLabel(self)
        self.figures_label.setWordWrap(True)
        words.addWidget(self.verdict_label)
        words.addWidget(self.figures_label)
        words.addStretch(1)
        layout.addLayout(words, 2)
        self.rates_chart = ChartView(paint_rates, self)
        self.round_trips_chart = ChartView(paint_round_trips, self)
        layout.addWidget(self.rates_chart, 3)
        layout.addWidget(self.round_trips_chart, 3)
        self.hide()

    def clear(self) -> None:
        """A new run: nothing measured yet."""
        self.evidence.clear()
        self.figures = None
        self.hide()

    def add_record(self, record: CheckRecord) -> None:
        """Take a finished check; only the quality checks change what is shown."""
        if not str(record.id).startswith("quality:"):
            return
        self.evidence[str(record.id)] = record.result.evidence
        self.figures = figures_of(self.evidence)
        self.refresh()

    def retranslate(self, lang: str) -> None:
        """Show the words and the charts' labels in `lang`."""
        self.lang = lang
        self.refresh()

    def refresh(self) -> None:
        """Show the figures as they are now (or hide the panel when there are none)."""
        figures = self.figures
        if figures is None:
            self.hide()
            return
        verdict = capacity_words(figures)
        self.verdict_label.setText(verdict.render(self.lang) if verdict is not None else "")
        self.verdict_label.setVisible(verdict is not None)
        lines = [line.render(self.lang) for line in (rate_words(figures), latency_words(figures)) if line is not None]
        self.figures_label.setText("\n".join(lines))
        self.rates_chart.setVisible(figures.has_rates)
        self.round_trips_chart.setVisible(figures.has_round_trips)
        for chart in (self.rates_chart, self.round_trips_chart):
            chart.show_figures(figures, self.lang)
        self.show()
