"""The PDF summary for the venue's IT: the report dict rendered with QtGui (QTextDocument + QPdfWriter), A4.

Works without a display: when no Qt application exists (the headless CLI), an offscreen QGuiApplication is
created. The PDF is rendered in memory and written atomically, so a failed write leaves no half file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QPointF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPainterPath,
    QPdfWriter,
    QPen,
    QTextDocument,
)

from sparkgui import __version__
from sparkgui.core.atomic import write_atomically
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import LANGUAGES
from sparkgui.core.report import dumps, sha256_of, with_event
from sparkgui.report.charts import chart_image
from sparkgui.report.content import Document, build_document
from sparkgui.report.pagination import (
    break_only_after_the_first_page,
    keep_headings_with_what_follows,
    keep_rows_together,
)
from sparkgui.report.speed_section import CHART_HEIGHT_PX, CHART_WIDTH_PX, chart_kinds
from sparkgui.report.style import ACCENT, FONT_FAMILIES, MONO_FAMILIES, MUTED, RULE_LINE

RESOLUTION_DPI = 300
PAGE_EDGE_PX = 1.0  # at 300 dpi, a twelfth of a millimetre
PAGINATION_PASSES = 4  # rows, then headings, again: a report settles in one or two
CSS_DPI = 96  # what rich text's pixel sizes are counted in
MARGIN_MM = 16.0
TOP_MM = 14.0
FOOTER_MM = 14.0  # room below the text for the footer line
RUNNING_HEAD_MM = 7.0  # room above the text on pages after the first
BODY_POINT_SIZE = 9.5

_app: QGuiApplication | None = None  # kept alive for the process when we had to create it


def write_pdf(report: Mapping[str, Any], path: str | Path, *, lang: str, event: EventInfo | None = None) -> None:
    """Render `report` in `lang` and write it to `path` atomically (raises WriteError, with a reason for people).

    With `event`, it replaces the report's `event` first; the footer quotes the SHA-256 of the JSON report as
    `write_report(with_event(report, event), …)` writes it, so the PDF and the saved JSON can be matched.
    """
    if event is not None:
        report = with_event(report, event)
    digest = sha256_of(dumps(report))
    write_atomically(path, render_pdf(report, lang=lang, digest=digest))


def render_pdf(report: Mapping[str, Any], *, lang: str, digest: str) -> bytes:
    """The PDF's bytes for `report` in `lang`, `digest` being the SHA-256 quoted in every page's footer."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    ensure_gui_application()
    document = build_document(report, lang=lang, digest=digest)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = pdf_writer(buffer, document.title)
    try:
        _paint(writer, document)
    finally:
        buffer.close()
    data: QByteArray = buffer.data()
    return bytes(data.data())


def ensure_gui_application() -> QGuiApplication:
    """The running Qt application (the window's), or an offscreen one made for the headless CLI."""
    global _app
    existing = QGuiApplication.instance()
    if existing is None:
        _app = QGuiApplication(["sparkgui", "-platform", "offscreen"])
        return _app
    if not isinstance(existing, QGuiApplication):
        raise RuntimeError("rendering a PDF needs a QGuiApplication, and a non-GUI Qt application is running")
    return existing


def pdf_writer(buffer: QBuffer, title: str) -> QPdfWriter:
    """An A4 portrait writer at the report's resolution, writing into `buffer`."""
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(0, 0, 0, 0),
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(title)
    writer.setCreator(f"sparkgui {__version__}")
    return writer


def _mm(value: float) -> float:
    return value * RESOLUTION_DPI / 25.4


def _font(families: list[str], points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(families)
    font.setPointSizeF(points)
    font.setBold(bold)
    # No "fi"/"ff" ligatures: IT copies host names and rules out of the PDF, and searches it.
    for tag in ("liga", "clig", "dlig"):
        font.setFeature(QFont.Tag(tag), 0)
    return font


def laid_out(writer: QPdfWriter, document: Document, *, keep_rows: bool = True) -> QTextDocument:
    """The flowing content laid out in pages of the PDF's body, each table row kept on one page."""
    page = writer.pageLayout().fullRectPixels(RESOLUTION_DPI)
    left, top = _mm(MARGIN_MM), _mm(TOP_MM)
    body_width = float(page.width()) - 2 * left
    body_height = float(page.height()) - top - _mm(FOOTER_MM) - _mm(RUNNING_HEAD_MM)
    text = QTextDocument()
    text.documentLayout().setPaintDevice(writer)  # lay out in the PDF's own units, so point sizes are true
    text.setDefaultFont(_font(FONT_FAMILIES, BODY_POINT_SIZE))
    text.setDocumentMargin(0)
    if document.figures is not None:
        for kind in chart_kinds(document.figures):
            scale = RESOLUTION_DPI / CSS_DPI
            width, height = round(CHART_WIDTH_PX * scale), round(CHART_HEIGHT_PX * scale)
            image = chart_image(kind, document.figures, width, height, document.chrome.lang, scale)
            text.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{kind}"), image)
    text.setHtml(document.html)
    text.setPageSize(QSizeF(body_width, body_height))
    if document.first_page_break:
        break_only_after_the_first_page(text, body_height, document.first_page_break)
    if keep_rows:
        for _ in range(PAGINATION_PASSES):  # a heading moved may push a row onto a page break: again, bounded
            keep_rows_together(text, body_height)
            if not keep_headings_with_what_follows(text, body_height, document.headings):
                break
    return text


def _paint(writer: QPdfWriter, document: Document) -> None:
    page = writer.pageLayout().fullRectPixels(RESOLUTION_DPI)
    width, height = float(page.width()), float(page.height())
    left, top = _mm(MARGIN_MM), _mm(TOP_MM)
    text = laid_out(writer, document)
    body_width, body_height = text.pageSize().width(), text.pageSize().height()
    pages = text.pageCount()

    painter = QPainter(writer)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for index in range(pages):
            if index:
                writer.newPage()
            body_top = top + _mm(RUNNING_HEAD_MM) if index else top
            if document.chrome.demo_mark:
                _demo_mark(painter, document.chrome.demo_mark, width, height)
            if index:
                _running_head(painter, document, left, top, body_width)
            painter.save()
            painter.translate(left, body_top - index * body_height)
            # A hair short of the next page: a block that starts exactly there (a heading after a page break)
            # is drawn on its own page only, not also clipped, invisible but copyable, at the foot of this one.
            text.drawContents(painter, QRectF(0, index * body_height, body_width, body_height - PAGE_EDGE_PX))
            painter.restore()
            _footer(painter, document, index + 1, pages, left, height - _mm(FOOTER_MM), body_width)
    finally:
        painter.end()


def _running_head(painter: QPainter, document: Document, left: float, top: float, width: float) -> None:
    painter.save()
    painter.setFont(_font(FONT_FAMILIES, 7.5))
    painter.setPen(QColor(MUTED))
    painter.drawText(
        QRectF(left, top - _mm(2), width, _mm(5)),
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
        document.chrome.title,
    )
    painter.setPen(QPen(QColor(RULE_LINE), _mm(0.2)))
    painter.drawLine(QPointF(left, top + _mm(3.5)), QPointF(left + width, top + _mm(3.5)))
    painter.restore()


def _footer(painter: QPainter, document: Document, page: int, pages: int, left: float, y: float, width: float) -> None:
    chrome = document.chrome
    painter.save()
    painter.setPen(QPen(QColor(RULE_LINE), _mm(0.2)))
    painter.drawLine(QPointF(left, y + _mm(3)), QPointF(left + width, y + _mm(3)))
    line = QRectF(left, y + _mm(4), width, _mm(5))
    painter.setPen(QColor(MUTED))
    painter.setFont(_font(MONO_FAMILIES, 6.5))
    painter.drawText(line, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), chrome.digest_label)
    painter.setFont(_font(FONT_FAMILIES, 7.5, bold=True))
    painter.setPen(QColor(ACCENT))
    label = chrome.page_text(page, pages)
    if chrome.demo_mark:
        label = f"{chrome.demo_mark} · {label}"
    painter.drawText(line, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
    painter.restore()


def _demo_mark(painter: QPainter, mark: str, width: float, height: float) -> None:
    """A large diagonal DEMO across the page, under the text, light enough to read through."""
    painter.save()
    painter.setOpacity(0.13)
    painter.translate(width / 2, height / 2)
    painter.rotate(-35)
    # Drawn as a shape, not as text: copying the rules out of the PDF must not pick up stray D, E, M, O.
    font = _font(FONT_FAMILIES, 120, bold=True)
    font.setPixelSize(round(120 * RESOLUTION_DPI / 72))
    shape = QPainterPath()
    shape.addText(0, 0, font, mark)
    box = shape.boundingRect()
    shape.translate(-box.center())
    painter.fillPath(shape, QColor("#b3261e"))
    painter.restore()
