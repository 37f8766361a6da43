"""The event a report is for (name, venue, IT contact), typed once in the window and remembered.

Both exports (JSON and PDF) read it at the moment they are made, so the saved JSON and the PDF footer's
SHA-256 match. Only what the organiser types: the fields never hold a credential.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QWidget

from sparkgui.core.event import MAX_FIELD_LENGTH, EventInfo
from sparkgui.core.i18n import tr


class EventForm(QWidget):
    """The event's name, venue and contact fields; `changed` fires as they are edited, so the window remembers them."""

    changed = Signal()

    def __init__(self, fields: tuple[str, str, str], parent: QWidget | None = None) -> None:
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
            edit.textChanged.connect(self.changed)
            layout.addWidget(label)
            layout.addWidget(edit, 1)

    @property
    def edits(self) -> tuple[QLineEdit, QLineEdit, QLineEdit]:
        """The name, venue and contact fields, in that order."""
        return self.name_edit, self.venue_edit, self.contact_edit

    @property
    def fields(self) -> tuple[str, str, str]:
        """The texts typed, as (name, venue, contact)."""
        name, venue, contact = (edit.text() for edit in self.edits)
        return name, venue, contact

    def event_info(self) -> EventInfo | None:
        """What the report's `event` holds now, or None when nothing was typed."""
        return EventInfo.from_options(*self.fields)

    def set_fields(self, name: str, venue: str, contact: str) -> None:
        """Fill the three fields with these texts."""
        for edit, value in zip(self.edits, (name, venue, contact), strict=True):
            edit.setText(value)

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
