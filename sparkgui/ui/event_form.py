"""The event a report is for (name, venue, IT contact, expected attendees), typed once in the window and remembered.

Both exports (JSON and PDF) read it at the moment they are made, so the saved JSON and the PDF footer's
SHA-256 match. Only what the organiser types: the fields never hold a credential.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from sparkgui.core.event import MAX_ATTENDEES, MAX_FIELD_LENGTH, EventInfo
from sparkgui.core.i18n import tr

PLACEHOLDER_ALPHA = 0.6  # faded enough to read as a hint, dark enough to read (contrast above 4.5:1 on both)


class EventForm(QWidget):
    """The event's name, venue and contact fields; `changed` fires as they are edited, so the window remembers them."""

    changed = Signal()

    def __init__(
        self, fields: tuple[str, str, str], attendees: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.name_edit, self.venue_edit, self.contact_edit = (QLineEdit(self) for _ in range(3))
        self.labels = tuple(QLabel(self) for _ in range(3))
        for label, edit, value in zip(self.labels, self.edits, fields, strict=True):
            label.setBuddy(edit)  # each field keeps its name in sight once filled (a placeholder would vanish)
            edit.setMaxLength(MAX_FIELD_LENGTH)
            edit.setClearButtonEnabled(True)
            edit.setText(value)
            edit.setCursorPosition(0)  # a long remembered name shows its start, not its end
            edit.textChanged.connect(self.changed)
            layout.addWidget(label)
            layout.addWidget(edit, 1)
        # 0 reads as "not given": the capacity check then says what the link carries, without a verdict.
        self.attendees_label = QLabel(self)
        self.attendees_spin = QSpinBox(self)
        self.attendees_spin.setRange(0, MAX_ATTENDEES)
        self.attendees_spin.setSingleStep(50)
        self.attendees_spin.setValue(attendees or 0)
        self.attendees_spin.valueChanged.connect(self.changed)
        self.attendees_label.setBuddy(self.attendees_spin)
        layout.addWidget(self.attendees_label)
        layout.addWidget(self.attendees_spin)
        # Beside the audience it is about: a QR code that attendees scan to test their phones.
        self.phones_button = QPushButton(self)
        layout.addWidget(self.phones_button)
        self._readable_placeholders()

    def changeEvent(self, event: QEvent) -> None:
        """Keep the placeholders readable when the system switches between light and dark."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._readable_placeholders()

    def _readable_placeholders(self) -> None:
        """A placeholder in the field's own text colour, faded: some dark palettes leave it near the background."""
        faded = QColor(self.palette().color(QPalette.ColorRole.Text))
        faded.setAlphaF(PLACEHOLDER_ALPHA)
        for edit in self.edits:
            palette = edit.palette()
            if palette.color(QPalette.ColorRole.PlaceholderText) != faded:
                palette.setColor(QPalette.ColorRole.PlaceholderText, faded)
                edit.setPalette(palette)

    @property
    def edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        """The name, venue and contact fields, in that order."""
        return self.name_edit, self.venue_edit, self.contact_edit

    @property
    def fields(self) -> tuple[str, str, str]:
        """The texts typed, as (name, venue, contact)."""
        name, venue, contact = (edit.text() for edit in self.edits)
        return name, venue, contact

    @property
    def attendees(self) -> int | None:
        """The audience expected, or None when left at 0."""
        return self.attendees_spin.value() or None

    def event_info(self) -> EventInfo | None:
        """What the report's `event` holds now, or None when nothing was typed."""
        return EventInfo.from_options(*self.fields, self.attendees)

    def set_fields(self, name: str, venue: str, contact: str) -> None:
        """Fill the three fields with these texts."""
        for edit, value in zip(self.edits, (name, venue, contact), strict=True):
            edit.setText(value)
            edit.setCursorPosition(0)

    def retranslate(self, lang: str) -> None:
        """Set the labels, placeholders, accessible names and tooltips in `lang`."""
        texts = (
            (tr("Event:"), tr("Event name"), tr("The event's name, shown at the top of the PDF.")),
            (tr("Venue:"), tr("Venue name"), tr("The venue (also used in the file name).")),
            (tr("Contact:"), tr("E-mail or phone"), tr("Who the venue's IT can call back about this report.")),
        )
        for label, edit, (caption, placeholder, tip) in zip(self.labels, self.edits, texts, strict=True):
            label.setText(caption.render(lang))
            edit.setPlaceholderText(placeholder.render(lang))
            edit.setAccessibleName(caption.render(lang).rstrip(" :\u00a0"))
            edit.setToolTip(tip.render(lang))
        self.attendees_label.setText(tr("Attendees:").render(lang))
        self.attendees_spin.setSpecialValueText(tr("not given").render(lang))
        self.attendees_spin.setAccessibleName(tr("Attendees").render(lang))
        self.attendees_spin.setToolTip(
            tr("How many attendees the event expects: the speed test says whether the link carries them.").render(lang)
        )
        self.phones_button.setText(tr("Phones…").render(lang))
        self.phones_button.setAccessibleName(tr("Test attendees' phones").render(lang))
        self.phones_button.setToolTip(
            tr("Test attendees' phones: show a QR code that they scan on the guest Wi-Fi.").render(lang)
        )
