"""The event a report is for (name, venue, contact, expected attendees), as the organiser typed it.

They type it in the window or give it on the CLI. It is carried by the JSON report (`event`) and shown in
the PDF header. Only what the organiser typed: never a credential. The attendees also decide
`quality:capacity`: does the link carry that audience?
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sparkgui.core.plain_text import plain_text

MAX_FIELD_LENGTH = 200  # a header line, not a paragraph
MAX_ATTENDEES = 100_000  # the largest audience the window and `--attendees` accept


def attendees_or_none(value: object) -> int | None:
    """A usable attendee count (1 to MAX_ATTENDEES), or None for anything else: 0, negative, not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        count = int(value)
    except ValueError:
        return None
    return count if 1 <= count <= MAX_ATTENDEES else None


@dataclass(frozen=True)
class EventInfo:
    """What the organiser typed about the event, with spaces collapsed and each field cut to MAX_FIELD_LENGTH."""

    name: str = ""
    venue: str = ""
    contact: str = ""
    attendees: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "attendees", attendees_or_none(self.attendees))
        # Normalise here so the JSON, the PDF and the file name all see the same text.
        for attr in ("name", "venue", "contact"):
            text = str(getattr(self, attr) or "")
            # Bytes that were not UTF-8 on the command line arrive as lone surrogates: they cannot be written to
            # a JSON file or a PDF, so they become U+FFFD, as a browser shows them.
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            value = " ".join(plain_text(text).split())[:MAX_FIELD_LENGTH]
            object.__setattr__(self, attr, value)

    @property
    def is_empty(self) -> bool:
        """Whether no field was given."""
        return not (self.name or self.venue or self.contact or self.attendees)

    def as_json(self) -> dict[str, str | int]:
        """The report's `event` object: only the fields that were given."""
        fields: dict[str, str | int] = {
            key: value
            for key, value in (("name", self.name), ("venue", self.venue), ("contact", self.contact))
            if value
        }
        if self.attendees is not None:
            fields["attendees"] = self.attendees
        return fields

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> EventInfo | None:
        """Read a report's `event` object back; None when it is missing or empty."""
        if not data:
            return None
        event = cls(
            str(data.get("name", "")),
            str(data.get("venue", "")),
            str(data.get("contact", "")),
            attendees_or_none(data.get("attendees")),
        )
        return None if event.is_empty else event

    @classmethod
    def from_options(
        cls, name: str | None, venue: str | None, contact: str | None, attendees: int | None = None
    ) -> EventInfo | None:
        """Make the event from the CLI options or the window's fields; None when nothing was given."""
        event = cls(name or "", venue or "", contact or "", attendees)
        return None if event.is_empty else event
