"""`--attendee-test`: a QR code of the platform's test link in the terminal, and the phones' results as they come.

The session opens before the checks, so attendees test their phones while the laptop checks its own path;
after the checks the CLI keeps collecting for the minutes asked, then the reports carry the results.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TextIO

from sparkgui.app.attendee_test import POLL_SECONDS, AttendeeSource, AttendeeTestError, attendee_test_for
from sparkgui.app.session import RunRequest
from sparkgui.core.attendees import AttendeeResults
from sparkgui.core.i18n import Text, tr


def print_qr(url: str, stream: TextIO) -> None:
    """The link as a QR code drawn with block characters (terminals only), then as text."""
    if stream.isatty():
        import segno

        segno.make(url, error="m").terminal(out=stream, compact=True, border=2)
    print(url, file=stream)


def _say_problem(text: Text, stream: TextIO, lang: str) -> None:
    print(tr("Attendee test: {reason}", reason=text).render(lang), file=stream)


async def open_attendee_test(request: RunRequest, stream: TextIO, lang: str) -> AttendeeSource | None:
    """Open the session for `request` and show its QR code; None, said why, when it cannot be (the run goes on)."""
    try:
        source = attendee_test_for(request.profile, request.network, request.demo is not None)
        url = await source.open()
    except AttendeeTestError as exc:
        _say_problem(exc.text, stream, lang)
        return None
    intro = tr("Attendee test: ask attendees to scan this code on the guest Wi-Fi, or to open the link.")
    print(intro.render(lang), file=stream)
    print_qr(url, stream)
    return source


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
                _say_problem(exc.text, stream, lang)
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
