"""Two small charts drawn with QPainter: each speed test's rate over time, and the latency check's round trips.

QtCharts is not in PySide6-Essentials. The window paints them in widgets, the PDF into images.

Colour is never the only signal: the two rate lines differ in dash too, and each chart is labelled in words.
QtGui only (no widgets), so the headless CLI's PDF can draw them offscreen.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen

from sparkgui.core.i18n import number, tr
from sparkgui.core.quality_figures import Point, QualityFigures
from sparkgui.report.style import FONT_FAMILIES, INK, RULE_LINE

DOWNLOAD_COLOUR = "#1d5fa8"
UPLOAD_COLOUR = "#b3541e"
RTT_COLOUR = "#1d5fa8"
MEDIAN_COLOUR = "#1e7b34"
P95_COLOUR = "#8a5a00"
# The axis runs this far above the highest value: the legend, top right, sits over empty plot, not the lines.
LEGEND_HEADROOM = 1.45


@dataclass(frozen=True)
class ChartStyle:
    """What a chart is drawn with: ink for text and axes, grid lines, the font, and the line width."""

    ink: QColor
    grid: QColor
    font: QFont
    line_width: float = 2.0


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2 or 5 × a power of ten) that cuts `span` into about `ticks` parts."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return float(next(step * power for step in (1, 2, 5, 10) if step * power >= raw))


def paint_rates(painter: QPainter, area: QRectF, figures: QualityFigures, style: ChartStyle, lang: str) -> None:
    """Mbit/s over the seconds of each transfer: download solid, upload dashed, with a legend in words."""
    series = [
        (tr("Download").render(lang), figures.download_samples, DOWNLOAD_COLOUR, Qt.PenStyle.SolidLine),
        (tr("Upload").render(lang), figures.upload_samples, UPLOAD_COLOUR, Qt.PenStyle.DashLine),
    ]
    drawn = [(label, points, colour, dash) for label, points, colour, dash in series if points]
    top = max((rate for _, points, _, _ in drawn for _, rate in points), default=1e6) / 1e6
    seconds = max((at for _, points, _, _ in drawn for at, _ in points), default=1.0)
    title = tr("Speed over time (Mbit/s)").render(lang)
    plot, axis_top = _frame(painter, area, style, title, top * LEGEND_HEADROOM, seconds, tr("s").render(lang), lang)
    for label_index, (label, points, colour, dash) in enumerate(drawn):
        _polyline(painter, plot, points, axis_top, seconds, QColor(colour), dash, style.line_width)
        _legend(painter, plot, label_index, label, QColor(colour), dash, style)


def paint_round_trips(painter: QPainter, area: QRectF, figures: QualityFigures, style: ChartStyle, lang: str) -> None:
    """Each round trip in ms, in the order sent, with the median (solid) and the 95th percentile (dotted)."""
    samples = figures.rtt_samples_ms
    top = max(max(samples, default=1.0), figures.p95_ms or 0.0) * LEGEND_HEADROOM
    count = max(1, len(samples))
    title = tr("Round trips (ms)").render(lang)
    plot, top = _frame(painter, area, style, title, top, float(count), tr("samples").render(lang), lang)
    points = [(index + 0.5, value) for index, value in enumerate(samples)]
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(RTT_COLOUR))
    radius = max(1.5, style.line_width * 1.2)
    for at, value in points:
        painter.drawEllipse(_at(plot, at, value, top, float(count)), radius, radius)
    painter.restore()
    marks = [
        (tr("median").render(lang), figures.latency_ms, MEDIAN_COLOUR, Qt.PenStyle.SolidLine),
        (tr("95th percentile").render(lang), figures.p95_ms, P95_COLOUR, Qt.PenStyle.DotLine),
    ]
    shown = [(label, value, colour, dash) for label, value, colour, dash in marks if value is not None]
    for index, (label, level, colour, dash) in enumerate(shown):
        y = _at(plot, 0, level, top, float(count)).y()
        painter.setPen(QPen(QColor(colour), style.line_width * 0.75, dash))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        _legend(painter, plot, index, label, QColor(colour), dash, style)


def chart_image(kind: str, figures: QualityFigures, width: int, height: int, lang: str, scale: float) -> QImage:
    """A chart as an image for the PDF: `kind` is "rates" or "round_trips", `scale` the pixels per point."""
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    font = QFont(FONT_FAMILIES)
    font.setPixelSize(max(8, round(9 * scale)))
    style = ChartStyle(QColor(INK), QColor(RULE_LINE), font, line_width=1.4 * scale)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(0, 0, width, height)
        (paint_rates if kind == "rates" else paint_round_trips)(painter, area, figures, style, lang)
    finally:
        painter.end()
    return image


def _frame(
    painter: QPainter,
    area: QRectF,
    style: ChartStyle,
    title: str,
    top: float,
    right: float,
    unit: str,
    lang: str,
) -> tuple[QRectF, float]:
    """Title, axes and grid up to a round value above `top`; returns the plot's rectangle and that value."""
    painter.save()
    painter.setFont(style.font)
    metrics = QFontMetricsF(style.font)
    line = metrics.height()
    step = nice_step(top)
    axis_top = step * max(1, math.ceil(top / step - 1e-9))
    labels = [number(step * i, 0 if step >= 1 else 1).render(lang) for i in range(round(axis_top / step) + 1)]
    left_room = max(metrics.horizontalAdvance(label) for label in labels) + line * 0.5
    plot = QRectF(area.left() + left_room, area.top() + line * 1.4, 0, 0)
    plot.setRight(area.right() - line * 0.5)
    plot.setBottom(area.bottom() - line * 1.4)
    painter.setPen(style.ink)
    bold = QFont(style.font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.drawText(QRectF(area.left(), area.top(), area.width(), line * 1.2), Qt.AlignmentFlag.AlignLeft, title)
    painter.setFont(style.font)
    for index, label in enumerate(labels):
        y = _at(plot, 0, step * index, axis_top, right).y()
        painter.setPen(QPen(style.grid, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(style.ink)
        painter.drawText(
            QRectF(area.left(), y - line / 2, left_room - line * 0.3, line),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
    painter.setPen(QPen(style.ink, 1))
    painter.drawLine(plot.bottomLeft(), plot.bottomRight())
    painter.drawLine(plot.bottomLeft(), plot.topLeft())
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + line * 0.2, plot.width(), line),
        Qt.AlignmentFlag.AlignRight,
        f"{number(right, 0 if right >= 10 or right == int(right) else 1).render(lang)} {unit}",
    )
    painter.drawText(
        QRectF(plot.left(), plot.bottom() + line * 0.2, plot.width(), line), Qt.AlignmentFlag.AlignLeft, "0"
    )
    painter.restore()
    return plot, axis_top


def _at(plot: QRectF, x: float, value: float, top: float, right: float) -> QPointF:
    """Where a value lands in the plot; `value` in the chart's unit (bit/s charts pass Mbit/s)."""
    fx = x / right if right > 0 else 0.0
    fy = value / top if top > 0 else 0.0
    return QPointF(plot.left() + fx * plot.width(), plot.bottom() - min(1.0, fy) * plot.height())


def _polyline(
    painter: QPainter,
    plot: QRectF,
    points: Sequence[Point],
    top_mbit: float,
    seconds: float,
    colour: QColor,
    dash: Qt.PenStyle,
    width: float,
) -> None:
    path = QPainterPath()
    for index, (at, bps) in enumerate(points):
        spot = _at(plot, at, bps / 1e6, top_mbit, seconds)
        if index:
            path.lineTo(spot)
        else:
            path.moveTo(spot)
    painter.save()
    painter.setPen(QPen(colour, width, dash, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    painter.restore()


def _legend(
    painter: QPainter, plot: QRectF, index: int, label: str, colour: QColor, dash: Qt.PenStyle, style: ChartStyle
) -> None:
    """A legend line, top right, one per series: a short line in the series' dash, then its name."""
    painter.save()
    painter.setFont(style.font)
    metrics = QFontMetricsF(style.font)
    line = metrics.height()
    text_width = metrics.horizontalAdvance(label)
    right = plot.right() - line * 0.3
    y = plot.top() + line * (0.7 + 1.1 * index)
    swatch = line * 1.6
    painter.setPen(QPen(colour, style.line_width, dash))
    painter.drawLine(QPointF(right - text_width - swatch - line * 0.3, y), QPointF(right - text_width - line * 0.3, y))
    painter.setPen(style.ink)
    painter.drawText(
        QRectF(right - text_width, y - line / 2, text_width + 1, line), Qt.AlignmentFlag.AlignVCenter, label
    )
    painter.restore()
