"""The exports for the venue's IT from the window: the event typed once, the PDF and the JSON made from the same
report (the PDF footer quotes the saved JSON's SHA-256), file names with platform, venue and date, and a
failed write explained in a dialog with no half file. Real runs against loopback servers; PDFs read back with
poppler's pdftotext.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sparkgui.ui.main_window import MainWindow
from sparkgui.ui.settings import UiSettings
from tests.gui.conftest import WindowFactory, press_check, wait_for
from tests.gui.labs import broken_lab, ready_lab
from tests.servers.tls_servers import LoopbackPki
from tests.support import validate_report


def pdf_text(path: Path) -> str:
    return " ".join(
        subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout.split()
    )


def _type_event(qtbot: QtBot, window: MainWindow, name: str, venue: str, contact: str) -> None:
    """Typed as a person does (QTest types ASCII only: accents are inserted as a paste would)."""
    for edit, text in zip(window.event_form.edits, (name, venue, contact), strict=True):
        edit.clear()
        if text.isascii():
            QTest.keyClicks(edit, text)
        else:
            edit.insert(text)


def test_pdf_export_carries_the_event_and_the_saved_jsons_digest(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, ui_settings: UiSettings, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, broken_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        assert not window.pdf_button.isEnabled() and window.pdf_button.text() == "Export PDF for IT…"
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert window.pdf_button.isEnabled() and window.save_button.isEnabled()
    _type_event(qtbot, window, "Spring Summit", "Palais des Congrès", "marie@example.org")
    assert ui_settings.event_fields == ("Spring Summit", "Palais des Congrès", "marie@example.org")

    # The dialogs propose platform, venue and date in the home folder the first time.
    suggested = Path(window.suggested_path("pdf"))
    assert window.outcome is not None
    stamp = window.outcome.started_at.astimezone().strftime("%Y-%m-%d_%H%M")
    assert suggested.name == f"Test-platform_Palais-des-Congres_{stamp}.pdf"
    assert suggested.parent == Path.home()

    json_path, pdf_path = tmp_path / "out" / "report.json", tmp_path / "out" / "report.pdf"
    json_path.parent.mkdir()
    assert window.save_json(str(json_path))
    assert window.export_pdf(str(pdf_path))
    assert window.message_box is None
    saved = json_path.read_bytes()
    report = json.loads(saved)
    validate_report(report)
    assert report["event"] == {"name": "Spring Summit", "venue": "Palais des Congrès", "contact": "marie@example.org"}
    assert report["environment"]["resolvers"] == [f"127.0.0.1:{lab.dns.port}"]
    digest = hashlib.sha256(saved).hexdigest()
    text = pdf_text(pdf_path)
    assert digest in text.replace(" ", "") and "Spring Summit" in text and "Palais des Congrès" in text
    assert "marie@example.org" in text and "gone.test" in text and "closed.test" in text
    assert window.status_label.text() == f"Saved the PDF to {pdf_path}: send it to the venue's IT."
    # The next dialog opens in the folder used last.
    assert Path(window.suggested_path("json")).parent == json_path.parent.resolve()

    # In French, the PDF is French and its report says so; the JSON saved next matches it again.
    window.set_language("fr")
    pdf_fr, json_fr = tmp_path / "out" / "rapport.pdf", tmp_path / "out" / "rapport.json"
    assert window.export_pdf(str(pdf_fr)) and window.save_json(str(json_fr))
    assert json.loads(json_fr.read_bytes())["language"] == "fr"
    french = pdf_text(pdf_fr)
    assert "Pas prêt" in french and hashlib.sha256(json_fr.read_bytes()).hexdigest() in french.replace(" ", "")


def test_event_is_remembered_and_empty_event_is_left_out(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, ui_settings: UiSettings, tmp_path: Path
) -> None:
    ui_settings.event_fields = ("Gala", "", "")
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        assert window.event_form.fields == ("Gala", "", "")
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert window.save_json(str(tmp_path / "gala.json"))
    assert json.loads((tmp_path / "gala.json").read_text("utf-8"))["event"] == {"name": "Gala"}
    assert Path(window.suggested_path("pdf")).name.startswith("Test-platform_20")  # no venue: no venue part
    _type_event(qtbot, window, "", "", "")
    assert window.save_json(str(tmp_path / "none.json"))
    assert "event" not in json.loads((tmp_path / "none.json").read_text("utf-8"))


def test_a_failed_pdf_write_shows_why_and_leaves_no_file(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    before = sorted(os.listdir(tmp_path))
    assert not window.export_pdf(str(blocker / "report.pdf"))
    box = window.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowTitle() == "The PDF was not saved" and "not-a-folder" in box.text()
    assert sorted(os.listdir(tmp_path)) == before  # no half file, no temporary left behind
    box.close()
    qtbot.waitUntil(lambda: window.message_box is None)
    missing = tmp_path / "no-such-folder" / "report.pdf"
    assert not window.export_pdf(str(missing))
    assert window.message_box is not None and "no-such-folder" in window.message_box.text()
    assert not missing.parent.exists()
