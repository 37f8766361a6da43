"""Page breaks a CIO would not notice: no table row cut across two pages, no heading left at a page's foot,
no word cut inside a cell, and nothing lost at the end of the document. Real reports from a loopback venue,
grown one check at a time so that every row meets a page break somewhere; the text is read back with
poppler's pdftotext.
"""

from __future__ import annotations

import copy
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import trustme
from PySide6.QtCore import QBuffer, QIODevice

from sparkgui.core.i18n import tr
from sparkgui.report.content import build_document
from sparkgui.report.pagination import _first_orphan_heading, _first_split_row
from sparkgui.report.pdf import laid_out, pdf_writer, write_pdf
from tests.integration.test_pdf import BROKEN, inspection_ca, venue_report
from tests.servers.tls_servers import LoopbackPki
from tests.support import run

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
__all__ = ["inspection_ca"]  # the fixture, shared with test_pdf

LAST_WORDS = tr("Changes made to the network after this test ran.")  # the document's last sentence
GROWTH = range(0, 24)  # extra rows: shifts every row of the table past a page edge at least once


def _grown(report: dict[str, Any], extra: int) -> dict[str, Any]:
    grown = copy.deepcopy(report)
    grown["checks"] = grown["checks"] + grown["checks"][:extra]
    return grown


def _split_rows(report: dict[str, Any], lang: str, keep_rows: bool) -> bool:
    return _page_faults(report, lang, keep_rows)[0]


def _page_faults(report: dict[str, Any], lang: str, keep_rows: bool) -> tuple[bool, bool]:
    """(a row is cut by a page break, a heading is left at a page's foot with its content on the next)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    try:
        document = build_document(report, lang=lang, digest="0" * 64)
        text = laid_out(pdf_writer(buffer, document.title), document, keep_rows=keep_rows)
        height = text.pageSize().height()
        split = _first_split_row(text, height) is not None
        return split, _first_orphan_heading(text, height, set(document.headings)) is not None
    finally:
        buffer.close()


@pytest.mark.usefixtures("qapp")  # the one Qt application of the test session, as the window's
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_no_row_is_cut_by_a_page_break(pki: LoopbackPki, inspection_ca: trustme.CA) -> None:
    cut_without: list[tuple[str, int]] = []
    still_cut: list[tuple[str, int]] = []
    for lang in ("en", "fr"):
        report = run(venue_report(pki, BROKEN, lang=lang, inspection=inspection_ca))
        for extra in GROWTH:
            grown = _grown(report, extra)
            if _split_rows(grown, lang, keep_rows=False):
                cut_without.append((lang, extra))
                if _split_rows(grown, lang, keep_rows=True):
                    still_cut.append((lang, extra))
    assert cut_without, "no report of the sweep meets a page break mid-row: the test would prove nothing"
    assert still_cut == []


@pytest.mark.usefixtures("qapp")
@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_no_heading_is_left_at_the_foot_of_a_page(pki: LoopbackPki, inspection_ca: trustme.CA) -> None:
    orphans_without, still_orphaned = [], []
    for lang in ("en", "fr"):
        report = run(venue_report(pki, BROKEN, lang=lang, inspection=inspection_ca))
        for extra in GROWTH:
            grown = _grown(report, extra)
            if _page_faults(grown, lang, keep_rows=False)[1]:
                orphans_without.append((lang, extra))
                if any(_page_faults(grown, lang, keep_rows=True)):
                    still_orphaned.append((lang, extra))
    assert orphans_without, "no report of the sweep leaves a heading at a page's foot: the test would prove nothing"
    assert still_orphaned == []


@pytest.mark.usefixtures("qapp")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_word_is_cut_and_the_last_page_is_complete(
    pki: LoopbackPki, inspection_ca: trustme.CA, tmp_path: Path, lang: str
) -> None:
    report = run(venue_report(pki, BROKEN, lang=lang, inspection=inspection_ca))
    for extra in (0, 7, 15):
        path = tmp_path / f"report-{extra}.pdf"
        write_pdf(_grown(report, extra), path, lang=lang)
        text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
        words = text.split()
        for word in ("Warning", "Failed", "Passed") if lang == "en" else ("Avertissement", "Échec", "Réussie"):
            assert word in words, f"{word!r} is cut or missing in the PDF"
        assert " ".join(LAST_WORDS.render(lang).split()) in " ".join(words)  # nothing lost at the end
        heading = tr("All checks").render(lang)  # it starts a page: drawn there only, never also at the last foot
        pages = text.split("\f")
        assert sum(heading in page for page in pages) == 1, [i for i, page in enumerate(pages) if heading in page]
        # Page 1 is the page to act on; the proof follows on page 2 at once, even when page 1 ran over.
        assert [i for i, page in enumerate(pages) if heading in page] == [1]
