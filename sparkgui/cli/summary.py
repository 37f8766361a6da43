"""The readable summary printed at the end of a headless run.

The verdict, the counts, then what to ask the venue's IT, failures first, one rule per problem.
"""

from __future__ import annotations

from typing import TextIO

from sparkgui.app.session import SessionOutcome
from sparkgui.core.allowlist import rule_texts
from sparkgui.core.i18n import tr
from sparkgui.core.presentation import status_tag, tag_width
from sparkgui.core.requirements import requirement_lines


def print_summary(session: SessionOutcome, lang: str, stream: TextIO) -> None:
    """Write the summary of `session` in `lang` to `stream`."""
    records = {record.id: record for record in session.outcome.records}
    profile = session.profile

    def write(text: str = "") -> None:
        stream.write(text + "\n")

    write()
    write(session.headline().render(lang))
    write(session.tally.sentence(session.seconds).render(lang))
    if session.requirements:
        write()
        write(tr("The platform's requirements:").render(lang))
        for line in requirement_lines(session.requirements, lang):
            write(f"  {line}")
    if session.problems:
        write()
        write(tr("What to ask the venue's IT:").render(lang))
        for problem in session.problems:
            for check_id in problem.check_ids:
                result = records[check_id].result
                tag = status_tag(result.status, str(result.cause), lang)
                write(f"  {tag:<{tag_width(lang)}} {check_id} [{result.cause}]")
                write(f"        {result.summary.render(lang)}")
                if result.remedy:
                    write(f"        → {result.remedy.render(lang)}")
            rule = problem.rule(session.environment.proxy)
            write("        ⇒ " + tr("{label}: {action}", label=rule.label, action=rule.action).render(lang))
    rules = rule_texts(profile, lang)
    if session.problems and rules:
        write()
        write(tr("Allow-list rules for {platform}:", platform=profile.name).render(lang))
        for entry in rules:
            write(f"  - {entry}")
    stream.flush()
