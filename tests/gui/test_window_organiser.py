"""The window as an organiser meets it: a quiet screen at rest, one height per row of buttons, the profile's
real port and name, readable placeholders in a dark palette, and after an export the next steps (show the
folder, mail IT, export the allow-list rules). Real runs against loopback servers; the mail program and the
file manager are Qt URL handlers, so the exact link the desktop would open is what the test reads.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from sparkgui.core.model import Verdict
from sparkgui.core.profile import load_profile
from sparkgui.ui.qt_language import qt_system_language
from sparkgui.ui.settings import UiSettings
from tests.gui.conftest import WindowFactory, click, press_check, wait_for
from tests.gui.labs import hanging_lab, ready_lab
from tests.servers.tls_servers import LoopbackPki


class OpenedUrls(QObject):
    """Stands in for the desktop: records each URL Qt would hand to the mail program or the file manager."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


@pytest.fixture
def desktop() -> Iterator[OpenedUrls]:
    opened = OpenedUrls()
    for scheme in ("mailto", "file"):
        QDesktopServices.setUrlHandler(scheme, opened, "open")  # type: ignore[arg-type]  # PySide takes the name
    yield opened
    for scheme in ("mailto", "file"):
        QDesktopServices.unsetUrlHandler(scheme)


def _luminance(colour: QColor, over: QColor) -> float:
    """WCAG relative luminance of `colour` drawn with its alpha over `over`."""
    alpha = colour.alphaF()
    channels = []
    for mine, below in ((colour.redF(), over.redF()), (colour.greenF(), over.greenF()), (colour.blueF(), over.blueF())):
        value = alpha * mine + (1 - alpha) * below
        channels.append(value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4)
    red, green, blue = channels
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def test_at_rest_the_progress_bar_is_hidden_and_every_button_in_a_row_has_one_height(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        assert not window.progress.isVisible()
        row = (window.check_button, window.long_button, window.cancel_button)
        assert len({button.height() for button in row}) == 1
        exports = (window.pdf_button, window.save_button, window.copy_button, window.export_bar.rules_button)
        assert len({button.height() for button in exports}) == 1
        port = lab.profile.endpoints[0].port
        assert f"HTTPS on port {port}," in window.header.subtitle.text()  # the profile's port, not a fixed 443
        with qtbot.waitSignal(window.runDone, timeout=30_000):
            click(window.check_button)
            assert window.progress.isVisible()
        qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    finally:
        wait_for(qtbot, lab.stop())
    assert not window.progress.isVisible()


def test_after_a_cancel_nothing_still_counts_down_and_the_old_message_is_gone(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path
) -> None:
    ready = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(ready.profile, ready.network)
        press_check(qtbot, window)
        assert window.save_json(str(tmp_path / "first.json"))
        assert "Saved the JSON report" in window.status_label.text()
    finally:
        wait_for(qtbot, ready.stop())
    lab = wait_for(qtbot, hanging_lab())
    try:
        window.use_profile(lab.profile)
        window.network = lab.network
        click(window.check_button)
        assert window.status_label.text() == "" and not window.export_bar.folder_button.isVisible()
        qtbot.waitUntil(lambda: any(card.running for card in window.checks.cards.values()), timeout=5_000)
        with qtbot.waitSignal(window.runDone, timeout=5_000):
            click(window.cancel_button)
        qtbot.waitUntil(lambda: not window.running, timeout=5_000)
    finally:
        wait_for(qtbot, lab.stop())
    assert window.outcome is not None and window.outcome.verdict is Verdict.INCOMPLETE
    assert not window.progress.isVisible()
    assert not any(card.running or card.countdown for card in window.checks.cards.values())
    assert window.status_label.text() == ""


def test_after_an_export_the_folder_and_a_mail_to_it_are_one_click_away(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path, desktop: OpenedUrls
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        assert not window.export_bar.folder_button.isVisible() and not window.export_bar.mail_button.isVisible()
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    window.event_form.set_fields("Spring Summit", "Palais des Congrès", "")
    pdf = tmp_path / "check.pdf"
    assert window.export_pdf(str(pdf))
    assert window.export_bar.folder_button.isVisible() and window.export_bar.mail_button.isVisible()

    click(window.export_bar.folder_button)
    assert [url.toLocalFile() for url in desktop.urls] == [str(tmp_path.resolve())]

    click(window.export_bar.mail_button)
    mail = desktop.urls[-1]
    assert mail.scheme() == "mailto"
    query = mail.query(QUrl.ComponentFormattingOption.FullyEncoded)
    fields = {key: values[0] for key, values in parse_qs(query).items()}
    assert fields["subject"].startswith("Test platform at Palais des Congrès: network check of ")
    body = fields["body"]
    assert body.startswith("Hello,\r\n") and "This network is ready for Test platform." in body
    assert "Attached: check.pdf, the network check report (PDF)" in body
    assert "attach check.pdf" in window.status_label.text()  # mailto cannot attach: the organiser is told to


def test_the_allow_list_rules_export_from_the_window_as_csv_and_json(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
    finally:
        wait_for(qtbot, lab.stop())
    assert window.export_bar.rules_button.isEnabled()  # from the profile: no run needed
    assert window.export_bar.rules_button.text() == "Export rules…"
    assert Path(window.exports._rules_path()).name == "Test-platform_allow-list.csv"
    assert window.exports.export_rules(str(tmp_path / "rules.csv"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "rules.csv").read_text("utf-8"))))
    assert rows and rows[0]["host"] == "app.test" and rows[0]["port"] == str(lab.profile.endpoints[0].port)
    assert window.exports.export_rules(str(tmp_path / "rules.json"))
    document = json.loads((tmp_path / "rules.json").read_text("utf-8"))
    assert document["schema"] == "sparkgui.allowlist/1" and document["rules"][0]["host"] == "app.test"
    assert "Saved the allow-list rules to" in window.status_label.text()
    assert window.export_bar.folder_button.isVisible()


def test_a_demo_file_says_demo_in_its_name(qtbot: QtBot, open_window: WindowFactory) -> None:
    window = open_window(demo="ready")
    press_check(qtbot, window)
    assert Path(window.suggested_path("pdf")).name.startswith("DEMO_Sparkup_")
    assert Path(window.suggested_path("json")).name.startswith("DEMO_Sparkup_")


def test_a_loaded_profile_is_listed_by_its_name(open_window: WindowFactory, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "resources" / "profiles"
    bundled = next(source.glob("*.toml"))
    copy = tmp_path / "venue-copy.toml"
    copy.write_text(bundled.read_text("utf-8").replace('name = "', 'name = "Venue copy of ', 1), "utf-8")
    window = open_window(load_profile(copy))
    shown = window.profile_combo.currentText()
    assert shown.startswith("Venue copy of ") and "venue-copy.toml" not in shown


def test_placeholders_stay_readable_in_a_dark_palette(open_window: WindowFactory) -> None:
    window = open_window()
    dark = QPalette(window.palette())
    for role, colour in (
        (QPalette.ColorRole.Base, QColor(30, 30, 30)),
        (QPalette.ColorRole.Text, QColor(230, 230, 230)),
        (QPalette.ColorRole.PlaceholderText, QColor(40, 40, 40)),  # what some dark themes hand over
    ):
        dark.setColor(role, colour)
    window.setPalette(dark)
    for edit in window.event_form.edits:
        base = edit.palette().color(QPalette.ColorRole.Base)
        hint = _luminance(edit.palette().color(QPalette.ColorRole.PlaceholderText), base)
        background = _luminance(base, base)
        assert (max(hint, background) + 0.05) / (min(hint, background) + 0.05) >= 4.5


def test_at_the_smallest_size_in_french_nothing_is_clipped(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network, lang="fr")
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    assert window.save_json(str(tmp_path / "rapport.json"))
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint(), timeout=2_000)
    buttons = [
        window.check_button,
        window.long_button,
        window.cancel_button,
        window.pdf_button,
        window.save_button,
        window.copy_button,
        window.export_bar.rules_button,
        window.export_bar.folder_button,
        window.export_bar.mail_button,
        window.action_bar.history_button,
    ]
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), f"{button.text()!r} is clipped"
    for label in (window.header.subtitle, window.status_label, window.banner.headline, window.banner.detail):
        assert label.height() >= label.heightForWidth(label.width()), f"{label.text()[:40]!r} is clipped"
    for card in window.checks.cards.values():
        assert card.summary.height() >= card.summary.heightForWidth(card.summary.width()), card.info.id


def test_qts_own_buttons_follow_the_windows_language(open_window: WindowFactory) -> None:
    window = open_window(lang="fr")
    box = QMessageBox(window)
    box.setStandardButtons(QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel)
    assert sorted(button.text() for button in box.buttons()) == ["Annuler", "Fermer"]
    window.set_language("en")
    english = QMessageBox(window)
    english.setStandardButtons(QMessageBox.StandardButton.Close)
    assert [button.text() for button in english.buttons()] == ["Close"]


def test_the_language_is_remembered_only_once_picked(open_window: WindowFactory, ui_settings: UiSettings) -> None:
    first = open_window(lang=None)
    assert first.lang == qt_system_language()
    first.close()
    assert _saved_language(ui_settings) is None  # no guess saved: a system switched to French later is followed
    second = open_window(lang=None)
    second.set_language("fr")
    second.close()
    assert _saved_language(ui_settings) == "fr"


def _saved_language(settings: UiSettings) -> str | None:
    return settings.language


def test_every_finished_run_is_kept_in_the_history(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, data_folder: Path
) -> None:
    from sparkgui.core.history.store import History

    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        window.event_form.set_fields("Summit", "Palais", "")
        press_check(qtbot, window)
    finally:
        wait_for(qtbot, lab.stop())
    kept = History(data_folder).runs()
    assert [(run.id, run.verdict, run.venue) for run in kept] == [(window.last_run_id, "ready", "Palais")]
    assert History(data_folder).report(kept[0].id)["checks"]


def test_the_history_window_lists_exports_compares_and_deletes_runs(
    qtbot: QtBot, pki: LoopbackPki, open_window: WindowFactory, data_folder: Path, tmp_path: Path
) -> None:
    lab = wait_for(qtbot, ready_lab(pki))
    try:
        window = open_window(lab.profile, lab.network)
        window.event_form.set_fields("Summit", "Palais", "")
        press_check(qtbot, window)
        press_check(qtbot, window)  # the event day, after the site visit
    finally:
        wait_for(qtbot, lab.stop())
    assert window.action_bar.history_button.text() == "History…"
    click(window.action_bar.history_button)
    dialog = window.history_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.table.rowCount() == 2 and dialog.windowTitle() == "History: 2 runs"
    cells = [dialog.table.item(0, column) for column in (1, 3)]
    assert [cell.text() if cell is not None else None for cell in cells] == ["Palais", "Ready"]
    assert dialog.compare_selected() and dialog.comparison.isVisible()
    assert dialog.comparison.toPlainText().startswith("Since the run of ")
    click(dialog.open_button)  # reopen the older run, in full
    opened = dialog.comparison.toPlainText()
    assert opened.startswith("Network check for Test platform (sparkgui)\nReady: every check passed.")
    assert "Summit · Palais" in opened and "The platform's requirements:" in opened and "All results:" in opened
    assert "tcp:app.test:" in opened
    click(dialog.copy_button)
    assert QGuiApplication.clipboard().text() == opened and "Copied the summary" in dialog.status.text()
    pdf, saved = tmp_path / "run.pdf", tmp_path / "run.json"
    assert dialog.export_pdf(str(pdf)) and pdf.read_bytes().startswith(b"%PDF-")
    assert dialog.save_json(str(saved)) and json.loads(saved.read_text("utf-8"))["verdict"] == "ready"
    assert "Saved the JSON report of that run" in dialog.status.text()
    assert dialog.delete_selected() and dialog.table.rowCount() == 1
    dialog.close()
