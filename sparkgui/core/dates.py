"""Dates as people write them: `14 May 2024, 10:32` in English, `1er décembre 2026 à 10:32` in French.

One place for every front end (the PDF, Copy for IT, the CLI), so a date reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt

from sparkgui.core.i18n import tr

_MONTHS = (
    tr("January"),
    tr("February"),
    tr("March"),
    tr("April"),
    tr("May"),
    tr("June"),
    tr("July"),
    tr("August"),
    tr("September"),
    tr("October"),
    tr("November"),
    tr("December"),
)


def date_text(when: dt.date, lang: str) -> str:
    """`1 December 2026`, `1er décembre 2026` (French writes the first of the month as an ordinal)."""
    month = _MONTHS[when.month - 1].render(lang)
    if lang == "fr":
        day = "1er" if when.day == 1 else str(when.day)
        return f"{day} {month.lower()} {when.year}"
    return f"{when.day} {month} {when.year}"


def when_text(when: dt.datetime, lang: str) -> str:
    """The date and time with the UTC offset: `1 December 2026, 10:32 (UTC+01:00)`; naive times have none."""
    offset = when.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    joined = "{date} à {time}" if lang == "fr" else "{date}, {time}"
    return joined.format(date=date_text(when, lang), time=f"{when:%H:%M}") + zone


def local_when_text(iso: str, lang: str) -> str:
    """An ISO time from a report, in this machine's local time (the organiser's); unreadable text as it is."""
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso or "?"
    if when.tzinfo is not None:
        when = when.astimezone()
    return when_text(when, lang)
