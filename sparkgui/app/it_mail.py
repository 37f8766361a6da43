"""The message an organiser sends to the venue's IT with a saved file: subject, body, and the `mailto:` link.

A `mailto:` link cannot attach a file (RFC 6068 has no such field, and mail programs ignore the non-standard
ones), so the body names the file and the window tells the organiser to attach it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING
from urllib.parse import quote

from sparkgui.core.dates import date_text
from sparkgui.core.i18n import tr
from sparkgui.core.requirements import requirement_lines

if TYPE_CHECKING:
    from sparkgui.app.session import SessionOutcome
    from sparkgui.core.event import EventInfo
    from sparkgui.core.profile import Profile


@dataclass(frozen=True)
class Mail:
    """A message ready for a mail program: its subject and its plain-text body."""

    subject: str
    body: str

    def mailto(self) -> str:
        """The `mailto:` link (RFC 6068: every reserved character percent-encoded, line breaks as CRLF)."""
        body = self.body.replace("\r\n", "\n").replace("\n", "\r\n")
        return f"mailto:?subject={quote(self.subject, safe='')}&body={quote(body, safe='')}"


ATTACHMENTS = {
    "pdf": tr("the network check report (PDF): what to change on the network, and the allow-list rules"),
    "json": tr("the full report as JSON, with every result and its evidence"),
    "rules": tr("the platform's allow-list rules, to import into the firewall console"),
}


def mail_to_it(
    session: SessionOutcome | None,
    profile: Profile,
    path: str,
    kind: str,
    lang: str,
    event: EventInfo | None = None,
) -> Mail:
    """The message that goes with the file at `path` (`kind`: pdf, json or rules), in `lang`.

    Without a run (rules exported straight from the profile) it says nothing about a verdict.
    """
    platform = profile.name
    venue = event.venue if event is not None else ""
    if session is not None:
        date = date_text(session.outcome.started_at.astimezone(), lang)
        subject = (
            tr("{platform} at {venue}: network check of {date}", platform=platform, venue=venue, date=date)
            if venue
            else tr("{platform}: network check of {date}", platform=platform, date=date)
        )
    else:
        subject = tr("{platform}: the allow-list rules for the venue's network", platform=platform)
    lines = [tr("Hello,").render(lang), ""]
    if session is not None:
        if session.scenario is not None:
            lines += [tr("DEMO (simulated venue): nothing below describes a real network.").render(lang), ""]
        lines += [session.sentence().render(lang), session.tally.sentence(session.seconds).render(lang)]
        if session.requirements:
            lines += ["", tr("The platform's requirements:").render(lang)]
            lines += [f"  {line}" for line in requirement_lines(session.requirements, lang)]
        lines.append("")
    name = PurePath(path.replace("\\", "/")).name
    lines += [
        tr("Attached: {file}, {what}.", file=name, what=ATTACHMENTS[kind]).render(lang),
        "",
        tr("Thank you.").render(lang),
    ]
    return Mail(subject.render(lang), "\n".join(lines) + "\n")
