"""Keeping each table row on one page: Qt's text layout splits a row between its lines at a page break.

A row that a page break would split gets just enough top padding that Qt moves it whole to the next page
(Qt moves a row whose first line no longer fits), found by bisection so the gap it leaves is small. A row
taller than a page is left to Qt. Every loop is bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from PySide6.QtCore import QSizeF
from PySide6.QtGui import QAbstractTextDocumentLayout, QTextDocument, QTextFrame, QTextTable

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
