"""One check in the list: status icon and word, title, one-line summary; expands to remedy and evidence.

The card keeps its state as `Text` values and re-renders it in the current language, so switching
language never needs the run again.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown, Status
from sparkgui.core.presentation import NOT_APPLICABLE, status_word
from sparkgui.ui.evidence_text import evidence_lines
from sparkgui.ui.icons import pixmap
from sparkgui.ui.status_style import (
    NOT_APPLICABLE_ICON,
    RUNNING_ICON,
    RUNNING_TINT,
    STATUS_ICONS,
    STATUS_TINTS,
    WAITING_ICON,
)

ICON_SIZE = 20


class CheckCard(QFrame):
    """A check's card, following it from waiting to running to its result, redrawn in any language."""

    def __init__(self, info: CheckInfo, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = info
        self.lang = lang
        self.record: CheckRecord | None = None
        self.running = False
        self.message: Text | None = None
        self.countdown: Countdown | None = None
        self._tint: QColor | None = None
        self._icon_name = ""
        self._hold_bar: QProgressBar | None = None
        self._details: QWidget | None = None
        self.remedy: QLabel | None = None
        self.technical: QLabel | None = None
        self.technical_toggle: QToolButton | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)

        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.toggled.connect(self._set_expanded)
        self.icon = QLabel(self)
        self.icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.state = QLabel(self)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)

        grid = QGridLayout(self)
        grid.setContentsMargins(6, 6, 10, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.toggle, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.icon, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.title, 0, 2)
        grid.addWidget(self.state, 0, 3)
        grid.addWidget(self.summary, 1, 2, 1, 2)
        grid.setColumnStretch(2, 1)
        self.grid = grid
        self._label_controls()
        self.refresh()

    # Parts made only when needed: most cards never show a countdown, and details only once opened.

    @property
    def hold_bar(self) -> QProgressBar:
        """The bar under a held WebSocket's countdown, made on first use."""
        if self._hold_bar is None:
            self._hold_bar = QProgressBar(self)
            self._hold_bar.setRange(0, 1000)
            self._hold_bar.setTextVisible(False)
            self._hold_bar.setMaximumHeight(8)
            self._hold_bar.hide()
            self.grid.addWidget(self._hold_bar, 2, 2, 1, 2)
        return self._hold_bar

    @property
    def details(self) -> QWidget:
        """What to ask IT, then a collapsed "Technical details" part; made the first time the card opens."""
        if self._details is None:
            self._details = QWidget(self)
            column = QVBoxLayout(self._details)
            column.setContentsMargins(0, 2, 0, 0)
            column.setSpacing(2)
            self.remedy = _selectable_label(self._details)
            self.technical_toggle = QToolButton(self._details)
            self.technical_toggle.setCheckable(True)
            self.technical_toggle.setAutoRaise(True)
            self.technical_toggle.setArrowType(Qt.ArrowType.RightArrow)
            self.technical_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            self.technical_toggle.toggled.connect(self._set_technical)
            self.technical = _selectable_label(self._details)
            self.technical.hide()
            column.addWidget(self.remedy)
            column.addWidget(self.technical_toggle, 0, Qt.AlignmentFlag.AlignLeft)
            column.addWidget(self.technical)
            self._details.hide()
            self.grid.addWidget(self._details, 3, 2, 1, 2)
        return self._details

    # Engine events -------------------------------------------------------------------------------------

    def mark_running(self) -> None:
        """Show the check as running, before its first message."""
        self.running = True
        self.refresh()

    def show_progress(self, message: Text, countdown: Countdown | None = None) -> None:
        """A running check's latest message; `countdown` (the hold's) drives the timer and its bar."""
        self.running = True
        self.message = message
        self.countdown = countdown or self.countdown
        self.refresh()

    def show_result(self, record: CheckRecord) -> None:
        """Show the check's final status and summary; its countdown is over."""
        self.record = record
        self.running = False
        self.countdown = None
        self.refresh()

    def reset(self, info: CheckInfo | None = None) -> None:
        """Back to waiting; `info` is the run's own (same id, perhaps another title, e.g. a demo's hold)."""
        renamed = info is not None and info != self.info
        if info is not None and renamed:
            self.info = info
            self._label_controls()
        if not renamed and self.record is None and not self.running and self.countdown is None:
            return  # already waiting: nothing to redraw
        self.record, self.running, self.message, self.countdown = None, False, None, None
        self.toggle.setChecked(False)
        self.refresh()

    # Presentation --------------------------------------------------------------------------------------

    @property
    def status(self) -> Status | None:
        """The check's final status, or None until it finishes."""
        return self.record.result.status if self.record else None

    def set_language(self, lang: str) -> None:
        """Redraw every text in `lang`, from the `Text` values kept (no check runs again)."""
        self.lang = lang
        self._label_controls()
        self.refresh()

    def _label_controls(self) -> None:
        title = (self.info.title or Text(self.info.id)).render(self.lang)
        self.title.setText(title)
        self.toggle.setAccessibleName(tr("Details of “{check}”", check=title).render(self.lang))
        self.toggle.setToolTip(tr("Show or hide the details").render(self.lang))

    def refresh(self) -> None:
        """Show the current state; cheap, since it runs on every engine event (only changes reach Qt)."""
        icon_name, word, summary, tint = self._look()
        if icon_name != self._icon_name:
            self._icon_name = icon_name
            self.icon.setPixmap(pixmap(icon_name, ICON_SIZE, ICON_SIZE, self.devicePixelRatioF()))
        self.icon.setAccessibleName(word)
        self.state.setText(word)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        if self.countdown is not None:
            self.hold_bar.setValue(round(self.countdown.fraction * 1000))
            self.hold_bar.show()
        elif self._hold_bar is not None:
            self._hold_bar.hide()
        self.toggle.setEnabled(self.record is not None)
        self.setAccessibleName(f"{self.title.text()}: {word}. {summary}")
        if tint != self._tint:
            self._tint = tint
            self.update()
        if self._details is not None and self._details.isVisible():
            self._fill_details()

    def paintEvent(self, event: QPaintEvent) -> None:
        """A rounded card tinted by its status, drawn over the palette's own background (light or dark)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        if self._tint is not None:
            fill, border = QColor(self._tint), QColor(self._tint)
            fill.setAlphaF(0.10)
            border.setAlphaF(0.45)
            painter.setBrush(fill)
        else:
            border = self.palette().color(QPalette.ColorRole.Mid)
            painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(border, 1))
        painter.drawRoundedRect(area, 6, 6)
        painter.end()

    def _look(self) -> tuple[str, str, str, QColor | None]:
        lang = self.lang
        if self.record is not None:
            status, cause = self.record.result.status, str(self.record.result.cause)
            return (
                NOT_APPLICABLE_ICON if status is Status.SKIPPED and cause == NOT_APPLICABLE else STATUS_ICONS[status],
                status_word(status, cause).render(lang),
                self.record.result.summary.render(lang),
                STATUS_TINTS[status],
            )
        if self.running:
            if self.countdown is not None:
                word = tr("{clock} left", clock=self.countdown.clock).render(lang)
            else:
                word = tr("Checking…").render(lang)
            return RUNNING_ICON, word, self.message.render(lang) if self.message else "", RUNNING_TINT
        return WAITING_ICON, tr("Waiting").render(lang), "", None

    def _set_expanded(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        if expanded:
            self._fill_details()
        self.details.setVisible(expanded)

    def _set_technical(self, shown: bool) -> None:
        assert self.technical_toggle is not None and self.technical is not None
        self.technical_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.technical.setVisible(shown)

    @property
    def technical_shown(self) -> bool:
        """Whether the "Technical details" part is open (it starts closed: it is for IT)."""
        return self.technical_toggle is not None and self.technical_toggle.isChecked()

    def show_technical(self, shown: bool) -> None:
        """Open or close the "Technical details" part (opening the card first)."""
        if shown:
            self.set_expanded(True)
        if self.technical_toggle is not None:
            self.technical_toggle.setChecked(shown)

    @property
    def expanded(self) -> bool:
        """Whether the details are open."""
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        """Open or close the details; a card without a result stays closed."""
        self.toggle.setChecked(expanded and self.record is not None)

    def _detail_parts(self) -> tuple[str, list[tuple[str, str]]]:
        """The remedy sentence (or "") and the evidence rows, in the current language."""
        if self.record is None:
            return "", []
        lang, result = self.lang, self.record.result
        remedy = result.remedy.render(lang) if result.remedy is not None else ""
        rows = [
            (tr("check id").render(lang), str(self.info.id)),
            (tr("cause code").render(lang), str(result.cause)),
            (tr("duration").render(lang), f"{result.duration_ms} ms"),
            *evidence_lines(result.evidence, lang),
        ]
        return remedy, rows

    def details_text(self) -> str:
        """The details as plain text, one "label: value" per line, as a screen reader would read them."""
        remedy, rows = self._detail_parts()
        heading = tr("What to do:").render(self.lang)  # remedies say whom to ask
        lines = [f"{heading} {remedy}"] if remedy else []
        return "\n".join(lines + [f"{label}: {value}" for label, value in rows])

    def _fill_details(self) -> None:
        if self._details is None:
            self.details.hide()  # made on first use
        assert self.remedy is not None and self.technical is not None and self.technical_toggle is not None
        remedy, rows = self._detail_parts()
        heading = tr("What to do:").render(self.lang)  # remedies say whom to ask
        self.remedy.setText(f"<b>{html.escape(heading)}</b> {html.escape(remedy)}" if remedy else "")
        self.remedy.setVisible(bool(remedy))
        label = tr("Technical details").render(self.lang)
        self.technical_toggle.setText(label)
        self.technical_toggle.setAccessibleName(label)
        cells = "".join(
            f"<tr><td style='padding-right:12px; white-space:nowrap;'><i>{html.escape(label)}</i></td>"
            f"<td>{html.escape(value)}</td></tr>"
            for label, value in rows
        )
        self.technical.setText(f"<table cellspacing='0' cellpadding='1'>{cells}</table>")

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """A click anywhere on a finished card opens or closes it, like the arrow does."""
        if self.record is not None:
            self.toggle.toggle()


def _selectable_label(parent: QWidget) -> QLabel:
    """Rich text that wraps and can be selected and copied, by mouse or keyboard."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label
