"""The PDF's "Attendees' phones" section: what the phones on the guest Wi-Fi said, next to the laptop's run.

Rendered from the report's `attendees` data in the PDF's language (never from the sentences stored in the
JSON, which are in the language of the run).
"""

from __future__ import annotations

from sparkgui.core.attendees import AttendeeResults, PhoneTest
from sparkgui.core.i18n import Text, tr
from sparkgui.report.style import INK, MUTED, RULE_LINE, STATUS_STYLE, esc

MAX_ROWS = 40  # a long list of phones says no more than its summary: the rest is counted


def network_words(phone: PhoneTest) -> Text:
    """Where the phone came from, next to the laptop."""
    if phone.network == "same":
        return tr("same network as this laptop")
    if phone.network == "other":
        return tr("another network (guest Wi-Fi or mobile data)")
    return tr("network not known")


def attendees_html(results: AttendeeResults, lang: str) -> str:
    """The section's body (its heading is the builder's): the summary, where the phones were, one row each."""

    def t(text: Text) -> str:
        return esc(text.render(lang))

    parts = [f'<p style="margin-top: 1px; margin-bottom: 3px; color: {INK}; font-weight: bold;">'
             f"{t(results.summary())}</p>"]  # fmt: skip
    where = results.network_line()
    if where is not None:
        parts.append(f'<p style="margin-top: 0px; margin-bottom: 3px;">{t(where)}</p>')
    note = tr(
        "Each phone opened the platform's test link from a QR code and held a live connection for a minute; the "
        "platform's probe saw its public address."
    )
    parts.append(f'<p style="margin-top: 0px; margin-bottom: 4px; color: {MUTED}; font-size: 8pt;">{t(note)}</p>')
    rows = []
    for phone in results.phones[:MAX_ROWS]:
        mark, colour, _ = STATUS_STYLE["pass" if phone.passed else "fail"]
        word = tr("Passed") if phone.passed else tr("Failed")
        detail = tr("held {seconds} s", seconds=round(phone.held_seconds)) if phone.passed else phone.reason_text()
        cell = f'style="border-bottom: 1px solid {RULE_LINE};"'
        rows.append(
            f'<tr><td valign="top" {cell}><span style="color: {colour}; font-weight: bold;">'
            f"{mark} {t(word)}</span></td>"
            f'<td valign="top" {cell}>{esc(phone.browser)}</td>'
            f'<td valign="top" {cell}>{t(network_words(phone))}</td>'
            f'<td valign="top" {cell}>{t(detail)}</td></tr>'
        )
    if rows:
        parts.append(
            '<table width="100%" cellspacing="0" cellpadding="3" style="border-collapse: collapse; font-size: 8.5pt;">'
            + "".join(rows)
            + "</table>"
        )
    if len(results.phones) > MAX_ROWS:
        more = tr("…and {count} more phones (all in the JSON report).", count=len(results.phones) - MAX_ROWS)
        parts.append(f'<p style="color: {MUTED}; font-size: 8pt;">{t(more)}</p>')
    return "".join(parts)
