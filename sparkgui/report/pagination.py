"""Keeping each table row on one page, and each heading with what follows it.

Qt's text layout splits a row between its lines at a page break. A row that a page break would split gets
just enough top padding that Qt moves it whole to the next page (Qt moves a row whose first line no longer
fits), found by bisection so the gap it leaves is small. A row taller than a page is left to Qt. A section
heading (a one-cell table) left at the foot of a page, its content on the next, gets a page break before it,
as CSS page-break-before does. Every loop is bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

from PySide6.QtCore import QSizeF
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
    QTextTable,
)

EDGE_TOLERANCE = 0.5  # device pixels: a row ending exactly on the page's edge is not split
BISECTION_STEPS = 10  # the padding is found to within push / 2**10: well under a pixel at 300 dpi
MAX_MOVES = 500  # far above the rows of any report, so a runaway layout still ends


def keep_rows_together(document: QTextDocument, page_height: float) -> int:
    """Move every row that a page break would split to the next page; return how many rows moved."""
    moved = 0
    for _ in range(MAX_MOVES):
        found = _first_split_row(document, page_height)
        if found is None:
            break
        table, index, push = found
        low, high = 0.0, push  # `high` always moves the row (it pushes its top to the next page)
        for _ in range(BISECTION_STEPS):
            middle = (low + high) / 2
            _pad_row(table, index, middle)
            if _split_push(table, index, document.documentLayout(), page_height) is None:
                high = middle
            else:
                low = middle
        _pad_row(table, index, high)
        _relayout(document)
        moved += 1
    return moved


def _relayout(document: QTextDocument) -> None:
    """Lay the whole document out again.

    After a format change Qt re-lays only up to the change, lazily; without an event loop the blocks after it
    would keep a stale (empty) layout.
    """
    size = document.pageSize()
    document.setPageSize(QSizeF(size.width(), size.height() + 1))
    document.setPageSize(size)


def _pad_row(table: QTextTable, index: int, padding: float) -> None:
    """Set the extra top padding of the row's cells (kept in a property, so it replaces, never adds up)."""
    for column in range(table.columns()):
        cell = table.cellAt(index, column)
        if cell.row() != index:
            continue  # a cell spanning from a row above: it already started
        cell_format = cell.format().toTableCellFormat()
        base = cell_format.property(_BASE_PADDING)
        if base is None:
            base = cell_format.topPadding()
            cell_format.setProperty(_BASE_PADDING, base)
        cell_format.setTopPadding(float(base) + padding)
        cell.setFormat(cell_format)


_BASE_PADDING = 0x100100  # a user property id (QTextFormat.UserProperty and up): the cell's own top padding


def _first_split_row(document: QTextDocument, page_height: float) -> tuple[QTextTable, int, float] | None:
    layout = document.documentLayout()
    for table in _tables(document.rootFrame()):
        for index in range(table.rows()):
            push = _split_push(table, index, layout, page_height)
            if push is not None:
                return table, index, push
    return None


def _split_push(table: QTextTable, index: int, layout: QAbstractTextDocumentLayout, page_height: float) -> float | None:
    """How far the row's top is from the next page when a page break splits the row, else None."""
    top, bottom = math.inf, -math.inf
    for column in range(table.columns()):
        cell = table.cellAt(index, column)
        block, end = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
        while block.isValid():
            rect = layout.blockBoundingRect(block)
            top, bottom = min(top, rect.top()), max(bottom, rect.bottom())
            if block == end:
                break
            block = block.next()
    if bottom <= top or bottom - top >= page_height:
        return None
    page = math.floor((top + EDGE_TOLERANCE) / page_height)
    if math.floor((bottom - EDGE_TOLERANCE) / page_height) == page:
        return None
    return (page + 1) * page_height - top


def _tables(frame: QTextFrame) -> Iterator[QTextTable]:
    """Every table in the document, outer before inner, in reading order."""
    for child in frame.childFrames():
        if isinstance(child, QTextTable):
            yield child
        yield from _tables(child)


def break_only_after_the_first_page(document: QTextDocument, page_height: float, heading: str) -> bool:
    """Drop the page break before `heading` when what comes before it already ran past page 1.

    The break exists so that page 1 is the page to act on; once page 1 overflows, a forced break would only
    leave the tail of the previous section alone on a mostly empty page. True when a break was dropped.
    """
    layout = document.documentLayout()
    for table, first, breaks in _headings(document):
        if first.text().strip() != heading or not breaks:
            continue
        before = document.findBlock(max(0, table.firstPosition() - 2))
        if not before.isValid() or layout.blockBoundingRect(before).bottom() <= page_height + EDGE_TOLERANCE:
            return False  # page 1 holds all that comes before: the proof starts on its own page, as meant
        heading_format = table.format()
        heading_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_Auto)
        heading_format.setTopMargin(16)
        table.setFormat(heading_format)
        _relayout(document)
        return True
    return False


def keep_headings_with_what_follows(document: QTextDocument, page_height: float, headings: Sequence[str]) -> int:
    """Move every heading whose content starts on a later page to that page; return how many moved."""
    wanted = set(headings)
    moved = 0
    for _ in range(MAX_MOVES):
        found = _first_orphan_heading(document, page_height, wanted)
        if found is None:
            break
        table, following = found
        heading = table.format()
        heading.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)  # as CSS page-break-before
        heading.setTopMargin(0)
        table.setFormat(heading)
        cursor = QTextCursor(following)
        below = cursor.currentTable()
        if below is not None:  # the row that was pushed down to this page follows its heading now: unpad it
            _pad_row(below, below.cellAt(cursor).row(), 0.0)
        _relayout(document)
        moved += 1
    return moved


def _first_orphan_heading(
    document: QTextDocument, page_height: float, wanted: set[str]
) -> tuple[QTextTable, QTextBlock] | None:
    layout = document.documentLayout()
    for table, first, breaks in _headings(document):
        if first.text().strip() not in wanted or breaks:
            continue  # not a heading, or one that starts a page already
        top = layout.blockBoundingRect(first).top()
        following = _content_after(document.findBlock(table.lastPosition() + 1))
        if not following.isValid():
            continue
        page = math.floor((top + EDGE_TOLERANCE) / page_height)
        if top - page * page_height <= EDGE_TOLERANCE:
            continue  # already at the top of its page
        # The heading goes with its first two blocks: a one-line introduction alone under it is an orphan too.
        second = _content_after(following.next())
        for block in (following, second):
            if block.isValid() and math.floor((_first_line_top(layout, block) + EDGE_TOLERANCE) / page_height) > page:
                return table, following
    return None


def _headings(document: QTextDocument) -> Iterator[tuple[QTextTable, QTextBlock, bool]]:
    """Every one-cell table, as a section heading is: the table, its first block, whether a page starts before."""
    for table in _tables(document.rootFrame()):
        if table.rows() == 1 and table.columns() == 1:
            breaks = table.format().pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore
            yield table, table.cellAt(0, 0).firstCursorPosition().block(), bool(breaks)


def _content_after(block: QTextBlock) -> QTextBlock:
    """`block`, or the first block after it with text: an empty block between is no content."""
    while block.isValid() and not block.text().strip():
        block = block.next()
    return block


def _first_line_top(layout: QAbstractTextDocumentLayout, block: QTextBlock) -> float:
    """Where the block's first line is drawn: a block that met the page's foot has its lines pushed down."""
    top = layout.blockBoundingRect(block).top()
    lines = block.layout()
    return top + lines.lineAt(0).y() if lines is not None and lines.lineCount() else top
