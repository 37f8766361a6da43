"""The plain-text summary an organiser pastes into a mail to the venue's IT ("Copy for IT").

Plain text on purpose: it survives any mail client or ticket system. It leads with the verdict and what to
change (failures first, one rule per problem), then the platform's allow-list rules, then every result with
its id and cause code for IT to search. It names the DNS servers and the route the run really used: the
simulated venue's in demo mode, never this laptop's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sparkgui.core.allowlist import rule_texts
from sparkgui.core.dates import when_text
from sparkgui.core.i18n import Text, tr
from sparkgui.core.presentation import status_tag, tag_width
from sparkgui.core.published_profile import origin_word
from sparkgui.core.report_text import profile_file_name
from sparkgui.core.requirements import requirement_lines
from sparkgui.core.tested_network import network_sentence

if TYPE_CHECKING:
    from sparkgui.app.session import SessionOutcome


def it_text(session: SessionOutcome, lang: str) -> str:
    """The summary in `lang`, ending with a newline."""
    outcome, profile = session.outcome, session.profile
    records = {record.id: record for record in outcome.records}
    lines: list[str] = []
    if session.scenario is not None:
        lines += [tr("DEMO (simulated venue): nothing below describes a real network.").render(lang), ""]
    lines += [
        tr("Network check for {platform} (sparkgui)", platform=profile.name).render(lang),
        session.sentence().render(lang),
        session.tally.sentence(session.seconds).render(lang),
        tr(
            "Checked on {when}, profile {profile}.",
            when=when_text(outcome.finished_at.astimezone(), lang),
            profile=_profile_words(profile.source, profile.name, profile.version),
        ).render(lang),
    ]
    network = network_sentence(session.environment.network)
    if network is not None:
        lines.append(network.render(lang))
    resolvers = tuple(session.environment.resolvers)
    if resolvers:
        lines.append(tr("DNS servers used: {resolvers}.", resolvers=", ".join(resolvers)).render(lang))
    if outcome.cancelled:
        lines.append(tr("The check was cancelled before the end: some results are missing.").render(lang))
    if session.requirements:
        lines += ["", tr("The platform's requirements:").render(lang)]
        lines += [f"  {line}" for line in requirement_lines(session.requirements, lang)]
    if session.problems:
        lines += ["", tr("What to change:").render(lang)]
        for problem in session.problems:
            for check_id in problem.check_ids:
                record = records[check_id]
                result = record.result
                title = record.info.title.render(lang) if record.info.title else record.id
                tag = status_tag(result.status, str(result.cause), lang)
                lines.append(f"- [{tag}] {title} ({record.id}, {result.cause})")
                lines.append(f"  {result.summary.render(lang)}")
                if result.remedy:
                    lines.append(f"  → {result.remedy.render(lang)}")
            rule = problem.rule(session.environment.proxy)
            said = tr("{label}: {action}", label=rule.label, action=rule.action)
            lines.append(f"  ⇒ {said.render(lang)}")
    rules = rule_texts(profile, lang)
    if rules:
        lines += ["", tr("Allow-list rules for {platform}:", platform=profile.name).render(lang)]
        lines += [f"- {rule}" for rule in rules]
    lines += ["", tr("All results:").render(lang)]
    width = tag_width(lang)
    for record in outcome.records:
        tag = status_tag(record.result.status, str(record.result.cause), lang)
        lines.append(f"{tag:<{width}} {record.id}: {record.result.summary.render(lang)}")
    return "\n".join(lines) + "\n"


def _profile_words(source: str, name: str, version: int) -> Text:
    """The profile as IT reads it: its file's name, or the platform's own ("Sparkup, built in, version 3")."""
    kind = source.split(":", 1)[0] if ":" in source else ""
    if kind not in ("bundled", "published", "cache"):
        return Text(profile_file_name(source) or name)
    origin = origin_word("cache" if kind == "cache" else kind)
    return tr("{name} ({origin}, version {version})", name=name, origin=origin, version=version)
