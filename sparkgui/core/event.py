"""The event a report is for (name, venue, contact), entered by the organiser in the window or on the CLI.

It is carried by the JSON report (`event`) and shown in the PDF header. Only what the organiser typed:
never a credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_FIELD_LENGTH = 200  # a header line, not a paragraph


@dataclass(frozen=True)
class EventInfo:
    """What the organiser typed about the event, with spaces collapsed and each field cut to MAX_FIELD_LENGTH."""

    name: str = ""
    venue: str = ""
    contact: str = ""

    def __post_init__(self) -> None:
        # Normalise here so the JSON, the PDF and the file name all see the same text.
        for attr in ("name", "venue", "contact"):
            text = str(getattr(self, attr) or "")
            # Bytes that were not UTF-8 on the command line arrive as lone surrogates: they cannot be written to
            # a JSON file or a PDF, so they become U+FFFD, as a browser shows them.
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            value = " ".join(text.split())[:MAX_FIELD_LENGTH]
            object.__setattr__(self, attr, value)

    @property
    def is_empty(self) -> bool:
        """Whether no field was given."""
        return not (self.name or self.venue or self.contact)

    def as_json(self) -> dict[str, str]:
        """The report's `event` object: only the fields that were given."""
        return {
            key: value
            for key, value in (("name", self.name), ("venue", self.venue), ("contact", self.contact))
            if value
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | None) -> EventInfo | None:
        """Read a report's `event` object back; None when it is missing or empty."""
        if not data:
            return None
        event = cls(str(data.get("name", "")), str(data.get("venue", "")), str(data.get("contact", "")))
        return None if event.is_empty else event

    @classmethod
    def from_options(cls, name: str | None, venue: str | None, contact: str | None) -> EventInfo | None:
        """Make the event from the CLI options or the window's fields; None when nothing was given."""
        event = cls(name or "", venue or "", contact or "")
        return None if event.is_empty else event
