"""The exports for the venue's IT: Copy for IT, the JSON report and the PDF, made from the last run.

Both files are made from one report (`SessionOutcome.report`) with the event as typed at that moment, so the
PDF's footer quotes the saved JSON's SHA-256. Writes are atomic; a failed one is a dialog, never a half file.

Signals: none; it reports what happened on the export bar's status line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import Text, tr
from sparkgui.ui.event_form import EventForm
from sparkgui.ui.message_boxes import MessageBoxes
from sparkgui.ui.settings import UiSettings
from sparkgui.ui.views.export_bar import ExportBar

if TYPE_CHECKING:
    from sparkgui.app.session import SessionOutcome


class ExportController(QObject):
    """Reads the last outcome through `outcome()`, which is None while a run is under way or before one."""

    def __init__(
        self,
        owner: QWidget,
        bar: ExportBar,
        event_form: EventForm,
        settings: UiSettings,
        boxes: MessageBoxes,
        outcome: Callable[[], SessionOutcome | None],
        lang: Callable[[], str],
    ) -> None:
        super().__init__(owner)
        self._owner, self.bar, self.event_form, self.settings, self.boxes = owner, bar, event_form, settings, boxes
        self._outcome, self._lang = outcome, lang
        bar.copy_button.clicked.connect(self.copy_for_it)
        bar.save_button.clicked.connect(self.save_json_dialog)
        bar.pdf_button.clicked.connect(self.export_pdf_dialog)

    def current_event(self) -> EventInfo | None:
        """The event as typed now."""
        return self.event_form.event_info()

    def copy_for_it(self) -> None:
        """The plain-text summary on the clipboard."""
        outcome = self._outcome()
        if outcome is None:
            return
        from sparkgui.app.it_text import it_text

        QGuiApplication.clipboard().setText(it_text(outcome, self._lang()))
        self.bar.set_status(tr("Copied: paste it into a message to the venue's IT."))

    def build_report(self) -> dict[str, Any] | None:
        """The report of the last run, in the window's language, with the event as typed now."""
        outcome = self._outcome()
        return outcome.report(self._lang(), self.current_event()) if outcome is not None else None

    def suggested_path(self, ext: str) -> str:
        """Platform, venue and date as the file name, in the folder used last (else the home folder)."""
        from sparkgui.report.naming import default_file_name

        outcome = self._outcome()
        assert outcome is not None
        event = self.current_event()
        when = outcome.outcome.started_at.astimezone()
        name = default_file_name(outcome.profile.name, event.venue if event else None, when, ext)
        folder = Path(self.settings.export_folder or Path.home())
        if not folder.is_dir():
            folder = Path.home()
        return str(folder / name)

    def save_json_dialog(self) -> None:
        """Ask where to save the JSON report, then save it."""
        if self._outcome() is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self._owner, tr("Save the JSON report").render(self._lang()), self.suggested_path("json"), "JSON (*.json)"
        )
        if path:
            self.save_json(path)

    def save_json(self, path: str) -> bool:
        """Write the report atomically; a failure is a dialog that says what to do, never a half file."""
        report = self.build_report()
        if report is None:
            return False
        from sparkgui.core.atomic import WriteError
        from sparkgui.core.report import write_report

        try:
            write_report(report, path)
        except WriteError as exc:
            self.boxes.show(QMessageBox.Icon.Warning, tr("The report was not saved"), Text(str(exc)))
            return False
        self._remember_folder(path)
        self.bar.set_status(tr("Saved the JSON report to {path}.", path=path))
        return True

    def export_pdf_dialog(self) -> None:
        """Ask where to save the PDF, then render and save it."""
        if self._outcome() is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self._owner,
            tr("Export the PDF for the venue's IT").render(self._lang()),
            self.suggested_path("pdf"),
            "PDF (*.pdf)",
        )
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> bool:
        """Render the PDF in the window's language and write it atomically; a failure is a dialog, no half file."""
        report = self.build_report()
        if report is None:
            return False
        from sparkgui.core.atomic import WriteError
        from sparkgui.report.pdf import write_pdf

        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_pdf(report, path, lang=self._lang())
        except WriteError as exc:
            self.boxes.show(QMessageBox.Icon.Warning, tr("The PDF was not saved"), Text(str(exc)))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._remember_folder(path)
        self.bar.set_status(tr("Saved the PDF to {path}: send it to the venue's IT.", path=path))
        return True

    def _remember_folder(self, path: str) -> None:
        self.settings.export_folder = str(Path(path).resolve().parent)
