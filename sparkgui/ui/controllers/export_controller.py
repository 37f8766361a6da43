"""The exports for the venue's IT: Copy for IT, the JSON report and the PDF, made from the last run.

Both files are made from one report (`SessionOutcome.report`) with the event as typed at that moment, so the
PDF's footer quotes the saved JSON's SHA-256. Writes are atomic; a failed one is a dialog, never a half file.

Signals: none; it reports what happened on the export bar's status line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from sparkgui.core.attendees import AttendeeResults, with_attendees
from sparkgui.core.event import EventInfo
from sparkgui.core.i18n import Text, reason_of, tr
from sparkgui.core.profile import Profile
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
        bar.rules_button.clicked.connect(self.export_rules_dialog)
        bar.folder_button.clicked.connect(self.show_in_folder)
        bar.mail_button.clicked.connect(self.email_to_it)
        self.profile: Callable[[], Profile] | None = None  # set by the window: the profile the rules come from
        self.saved: tuple[Path, str] | None = None  # the last file saved, and its kind (pdf, json, rules)
        self.with_history = True  # the report says what changed since the previous run at the venue
        # The phones tested with the QR code, for the reports: the attendee controller's, read when exporting.
        self.attendees_of: Callable[[], AttendeeResults | None] = lambda: None

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

    @property
    def attendees(self) -> AttendeeResults | None:
        """The attendees' phones the reports carry now."""
        return self.attendees_of()

    def build_report(self) -> dict[str, Any] | None:
        """The report of the last run, in the window's language, with the event as typed now."""
        outcome = self._outcome()
        if outcome is None:
            return None
        report = with_attendees(outcome.report(self._lang(), self.current_event()), self.attendees, self._lang())
        if not self.with_history:
            return report
        from sparkgui.core.history.since import with_since

        return with_since(report)

    def suggested_path(self, ext: str) -> str:
        """Platform, venue and date as the file name, in the folder used last (else the home folder)."""
        from sparkgui.report.naming import default_file_name

        outcome = self._outcome()
        assert outcome is not None
        event = self.current_event()
        when = outcome.outcome.started_at.astimezone()
        demo = outcome.scenario is not None
        name = default_file_name(outcome.profile.name, event.venue if event else None, when, ext, demo=demo)
        return str(self._folder() / name)

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
            self.boxes.show(QMessageBox.Icon.Warning, tr("The report was not saved"), reason_of(exc))
            return False
        self._saved(path, "json", tr("Saved the JSON report to {path}.", path=path))
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
            self.boxes.show(QMessageBox.Icon.Warning, tr("The PDF was not saved"), reason_of(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._saved(path, "pdf", tr("Saved the PDF to {path}: send it to the venue's IT.", path=path))
        return True

    def export_rules_dialog(self) -> None:
        """Ask where to save the allow-list rules (CSV or JSON, by the file's name), then save them."""
        if self.profile is None:
            return
        lang = self._lang()
        csv_filter, json_filter = tr("CSV for a firewall console (*.csv)"), tr("JSON (*.json)")
        path, chosen = QFileDialog.getSaveFileName(
            self._owner,
            tr("Export the allow-list rules").render(lang),
            self._rules_path(),
            f"{csv_filter.render(lang)};;{json_filter.render(lang)}",
        )
        if path:
            if not Path(path).suffix:
                path += ".json" if chosen == json_filter.render(lang) else ".csv"
            self.export_rules(path)

    def export_rules(self, path: str) -> bool:
        """Write the profile's rules as CSV (`.csv`) or JSON (anything else); a failure is a dialog."""
        if self.profile is None:
            return False
        from sparkgui.core.allowlist import rules_csv, rules_document
        from sparkgui.core.atomic import WriteError, write_atomically

        profile, lang = self.profile(), self._lang()
        text = rules_csv(profile) if Path(path).suffix.lower() == ".csv" else rules_document(profile, lang)
        try:
            write_atomically(Path(path), text.encode("utf-8"))
        except WriteError as exc:
            self.boxes.show(QMessageBox.Icon.Warning, tr("The rules were not saved"), reason_of(exc))
            return False
        self._saved(path, "rules", tr("Saved the allow-list rules to {path}.", path=path))
        return True

    def _rules_path(self) -> str:
        from sparkgui.report.naming import rules_file_name

        assert self.profile is not None
        return str(self._folder() / rules_file_name(self.profile().name, "csv"))

    def show_in_folder(self) -> None:
        """Open the folder of the file just saved in the system's file manager."""
        if self.saved is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved[0].parent)))

    def email_to_it(self) -> None:
        """Open the mail program with a message to IT naming the file just saved, and say to attach it."""
        if self.saved is None or self.profile is None:
            return
        from sparkgui.app.it_mail import mail_to_it

        path, kind = self.saved
        session = self._outcome() if kind != "rules" else None
        mail = mail_to_it(session, self.profile(), str(path), kind, self._lang(), self.current_event())
        if QDesktopServices.openUrl(QUrl(mail.mailto(), QUrl.ParsingMode.StrictMode)):
            note = tr("Your mail program opens: attach {file} (in {folder}) before sending.")
        else:
            note = tr("No mail program answered: write to the venue's IT and attach {file} (in {folder}).")
        self.bar.set_status(note.with_params(file=path.name, folder=str(path.parent)))
        self.bar.offer_follow_up(True)

    def _saved(self, path: str, kind: str, note: Text) -> None:
        self.saved = (Path(path).resolve(), kind)
        self.settings.export_folder = str(self.saved[0].parent)
        self.bar.set_status(note)
        self.bar.offer_follow_up(True)

    def _folder(self) -> Path:
        folder = Path(self.settings.export_folder or Path.home())
        return folder if folder.is_dir() else Path.home()
