"""`--attendee-test`: a QR code of the platform's test link in the terminal, and the phones' results as they come.

The session opens before the checks, so attendees test their phones while the laptop checks its own path;
after the checks the CLI keeps collecting for the minutes asked, then the reports carry the results.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TextIO

from sparkgui.app.attendee_test import POLL_SECONDS, AttendeeSource, AttendeeTestError
from sparkgui.core.attendees import AttendeeResults
from sparkgui.core.i18n import tr


def print_qr(url: str, stream: TextIO) -> None:
    """The link as a QR code drawn with block characters (terminals only), then as text."""
    if stream.isatty():
        import segno

        segno.make(url, error="m").terminal(out=stream, compact=True, border=2)
    print(url, file=stream)


async def open_attendee_test(source: AttendeeSource, stream: TextIO, lang: str) -> bool:
    """Open the session and show its QR code; say why when it cannot be opened (the run goes on)."""
    try:
        url = await source.open()
    except AttendeeTestError as exc:
        print(tr("Attendee test: {reason}", reason=exc.text).render(lang), file=stream)
        return False
    intro = tr("Attendee test: ask attendees to scan this code on the guest Wi-Fi, or to open the link.")
    print(intro.render(lang), file=stream)
    print_qr(url, stream)
    return True


async def collect_phones(
    source: AttendeeSource,
    until: float,
    ending: asyncio.Event,
    laptop_address: str,
    stream: TextIO,
    lang: str,
) -> AttendeeResults:
    """Poll until `until` (monotonic) or `ending`, printing each new phone; return what they said."""
    shown = 0
    problem = None
    while True:
        try:
            await source.poll()
            problem = None
        except AttendeeTestError as exc:
            if problem is None:
                print(tr("Attendee test: {reason}", reason=exc.text).render(lang), file=stream)
            problem = exc.text
        results = source.results(laptop_address)
        for phone in results.phones[shown:]:
            words = tr("Phone passed ({browser})", browser=phone.browser)
            if not phone.passed:
                words = tr("Phone failed ({browser}): {reason}", browser=phone.browser, reason=phone.reason_text())
            print(words.render(lang), file=stream)
        shown = len(results.phones)
        left = until - time.monotonic()
        if left <= 0 or ending.is_set():
            break
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ending.wait(), min(POLL_SECONDS, left))
    await source.close()
    print(results.summary().render(lang), file=stream)
    return results
