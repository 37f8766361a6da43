"""The History window: every kept run, one per row: open it, copy it for IT, its PDF and JSON, a comparison.

A thin view over `sparkgui.core.history`: it lists, exports, compares and deletes through the store, and
says in its status line what happened (or why not). Demo runs are listed with a DEMO mark.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sparkgui.core.dates import local_when_text
from sparkgui.core.history.compare import compare
from sparkgui.core.history.since import previous_run
from sparkgui.core.history.store import History, HistoryError, RunSummary
from sparkgui.core.i18n import Text, reason_of, tr, trn
from sparkgui.core.presentation import verdict_title
from sparkgui.ui.views.buttons import label_buttons

COLUMNS = (tr("Date"), tr("Venue"), tr("Event"), tr("Result"), tr("Problems"))


class HistoryDialog(QDialog):
    """The kept runs; `folder` picks another history than the user's (tests)."""

    def __init__(self, lang: str, parent: QWidget | None = None, history: History | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.history = history or History()
        self.runs: list[RunSummary] = []
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for shared in (1, 2):  # the venue and the event share what is left: real names are long
            header.setSectionResizeMode(shared, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.open_button = QPushButton(self)
        self.copy_button = QPushButton(self)
        self.pdf_button = QPushButton(self)
        self.json_button = QPushButton(self)
        self.compare_button = QPushButton(self)
        self.delete_button = QPushButton(self)
        self.close_button = QPushButton(self)
        self.open_button.clicked.connect(self.open_selected)
        self.copy_button.clicked.connect(self.copy_selected)
        self.pdf_button.clicked.connect(self._pdf_dialog)
        self.json_button.clicked.connect(self._json_dialog)
        self.compare_button.clicked.connect(self.compare_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.close_button.clicked.connect(self.accept)
        self.comparison = QPlainTextEdit(self)
        self.comparison.setReadOnly(True)
        self.comparison.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for button in self._run_buttons:
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        column = QVBoxLayout(self)
        column.addWidget(self.table, 1)
        column.addWidget(self.comparison)
        column.addWidget(self.status)
        column.addLayout(buttons)
        self.resize(760, 480)
        self.retranslate()
        self.reload()

    @property
    def _run_buttons(self) -> tuple[QPushButton, ...]:
        """The buttons that act on the run picked in the list."""
        return (
            self.open_button, self.copy_button, self.pdf_button, self.json_button, self.compare_button,
            self.delete_button,
        )  # fmt: skip

    # The list ------------------------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the kept runs again (demo runs included, marked), newest first."""
        try:
            self.runs = self.history.runs(demo=None)
        except HistoryError as exc:
            self.runs = []
            self._say(reason_of(exc))
        self.table.setRowCount(len(self.runs))
        for row, run in enumerate(self.runs):
            verdict = _verdict_word(run.verdict).render(self.lang)
            cells = (
                local_when_text(run.started_at, self.lang),
                run.venue or "—",
                run.event or "—",
                f"DEMO · {verdict}" if run.demo else verdict,
                str(run.problems),
            )
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        if self.runs:
            self.table.selectRow(0)
        else:
            self._say(tr("No run kept yet: every check you run is kept here."))
        self._selection_changed()
        self._title()

    def _title(self) -> None:
        self.setWindowTitle(trn("History: {count} run", "History: {count} runs", len(self.runs)).render(self.lang))

    @property
    def selected(self) -> RunSummary | None:
        """The run picked in the list."""
        rows = self.table.selectionModel().selectedRows()
        return self.runs[rows[0].row()] if rows and rows[0].row() < len(self.runs) else None

    def select(self, run_id: int) -> None:
        """Pick run `run_id` in the list."""
        for row, run in enumerate(self.runs):
            if run.id == run_id:
                self.table.selectRow(row)

    # Actions ------------------------------------------------------------------------------------------------

    def export_pdf(self, path: str) -> bool:
        """The picked run's PDF, in the language it was made in."""
        return self._export(path, self._write_pdf, tr("Saved the PDF of that run to {path}.", path=path))

    def save_json(self, path: str) -> bool:
        """The picked run's JSON report, byte for byte as it was kept."""
        from sparkgui.core.report import write_report

        return self._export(path, write_report, tr("Saved the JSON report of that run to {path}.", path=path))

    def open_selected(self) -> bool:
        """Show the picked run in full, as Copy for IT words it: verdict, requirements, what to change, results."""
        text = self._selected_text()
        if text is None:
            return False
        self.comparison.setPlainText(text)
        self.comparison.show()
        self._say(None)
        return True

    def copy_selected(self) -> bool:
        """Put the picked run's summary for IT on the clipboard, in the language it was made in."""
        from PySide6.QtGui import QGuiApplication

        text = self._selected_text()
        if text is None:
            return False
        QGuiApplication.clipboard().setText(text)
        self._say(tr("Copied the summary of that run for IT: paste it into a mail or a ticket."))
        return True

    def _selected_text(self) -> str | None:
        from sparkgui.core.report_text import report_text

        run = self.selected
        if run is None:
            return None
        try:
            return report_text(self.history.report(run.id))
        except HistoryError as exc:
            self._say(reason_of(exc))
            return None

    def compare_selected(self) -> bool:
        """Show what changed between the picked run and the previous one at the same venue."""
        run = self.selected
        if run is None:
            return False
        try:
            report = self.history.report(run.id)
            earlier = previous_run(report, self.history)  # the same rule as the report's "Since the run of …"
            if earlier is None:
                self._say(tr("No earlier run at {venue} to compare with.", venue=run.venue or "—"))
                return False
            lines = compare(earlier[1], report).lines(self.lang)
        except HistoryError as exc:
            self._say(reason_of(exc))
            return False
        self.comparison.setPlainText("\n".join(lines))
        self.comparison.show()
        self._say(None)
        return True

    def delete_selected(self) -> bool:
        """Delete the picked run from the history."""
        run = self.selected
        if run is None:
            return False
        try:
            self.history.forget(run.id)
        except HistoryError as exc:
            self._say(reason_of(exc))
            return False
        self.reload()
        self._say(tr("Run of {when} deleted.", when=local_when_text(run.started_at, self.lang)))
        return True

    def _export(self, path: str, write: Callable[[dict[str, object], str], object], done: Text) -> bool:
        from sparkgui.core.atomic import WriteError

        run = self.selected
        if run is None:
            return False
        try:
            write(self.history.report(run.id), path)
        except (HistoryError, WriteError) as exc:
            self._say(reason_of(exc))
            return False
        self._say(done)
        return True

    def _write_pdf(self, report: dict[str, object], path: str) -> None:
        from sparkgui.report.pdf import write_pdf

        write_pdf(report, path, lang=str(report.get("language") or self.lang))

    def _pdf_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export the PDF of that run").render(self.lang), str(Path.home() / "run.pdf"), "PDF (*.pdf)"
        )
        if path:
            self.export_pdf(path)

    def _json_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save the JSON report of that run").render(self.lang), str(Path.home() / "run.json"),
            "JSON (*.json)",
        )  # fmt: skip
        if path:
            self.save_json(path)

    # Texts ---------------------------------------------------------------------------------------------------

    def _selection_changed(self) -> None:
        picked = self.selected is not None
        for button in self._run_buttons:
            button.setEnabled(picked)
        self.comparison.hide()

    def _say(self, text: Text | None) -> None:
        self.status.setText(text.render(self.lang) if text is not None else "")

    def retranslate(self) -> None:
        """Every text in the dialog's language."""
        lang = self.lang
        self._title()
        self.table.setHorizontalHeaderLabels([column.render(lang) for column in COLUMNS])
        label_buttons(
            (
                (self.open_button, tr("Open"), tr("Show the run picked in the list in full.")),
                (
                    self.copy_button,
                    tr("Copy for IT"),
                    tr("Copy the summary of the run picked in the list, to paste into a mail to the venue's IT."),
                ),
                (self.pdf_button, tr("Export PDF…"), tr("Save the PDF of the run picked in the list.")),
                (self.json_button, tr("Save JSON…"), tr("Save the JSON report of the run picked in the list.")),
                (
                    self.compare_button,
                    tr("Compare with the previous"),
                    tr("What changed since the previous run at the same venue: fixed, new problems, still to fix."),
                ),
                (self.delete_button, tr("Delete"), tr("Delete the run picked in the list from the history.")),
                (self.close_button, tr("Close"), tr("Close the history.")),
            ),
            lang,
        )


def _verdict_word(verdict: str) -> Text:
    return verdict_title(verdict) or Text(verdict)
