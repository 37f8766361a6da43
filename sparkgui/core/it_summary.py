"""The plain-text summary an organiser pastes into a mail to the venue's IT ("Copy for IT").

Plain text on purpose: it survives any mail client or ticket system. It leads with the verdict and what to
change, then the platform's allow-list rules, then every result with its id and cause code for IT to search.
"""

from __future__ import annotations

from sparkgui.core.i18n import tr
from sparkgui.core.model import Status
from sparkgui.core.profile import Profile
from sparkgui.core.runner import RunOutcome
from sparkgui.core.verdict_text import verdict_sentence

STATUS_TAGS = {
    Status.PASS: "PASS",
    Status.WARN: "WARN",
    Status.FAIL: "FAIL",
    Status.SKIPPED: "SKIP",
    Status.ERROR: "ERROR",
}


def it_summary(outcome: RunOutcome, profile: Profile, lang: str, resolvers: tuple[str, ...] = ()) -> str:
    records = outcome.records
    counts = {status: sum(1 for r in records if r.result.status is status) for status in Status}
    lines = [
        tr("Network check for {platform} (sparkgui)", platform=profile.name).render(lang),
        verdict_sentence(outcome.verdict, records, profile.name).render(lang),
        tr(
            "{passed} passed, {warned} warnings, {failed} failed, {skipped} skipped ({seconds} s).",
            passed=counts[Status.PASS],
            warned=counts[Status.WARN],
            failed=counts[Status.FAIL] + counts[Status.ERROR],
            skipped=counts[Status.SKIPPED],
            seconds=f"{outcome.duration_ms / 1000:.1f}",
        ).render(lang),
        tr(
            "Checked at {time} (UTC), profile {profile}.",
            time=outcome.finished_at.strftime("%Y-%m-%d %H:%M"),
            profile=profile.source or profile.name,
        ).render(lang),
    ]
    if resolvers:
        lines.append(tr("DNS servers used: {resolvers}.", resolvers=", ".join(resolvers)).render(lang))
    if outcome.cancelled:
        lines.append(tr("The check was cancelled before the end: some results are missing.").render(lang))
    problems = [r for r in records if r.result.status in (Status.FAIL, Status.WARN, Status.ERROR)]
    if problems:
        lines += ["", tr("What to change:").render(lang)]
        for record in problems:
            result = record.result
            title = record.info.title.render(lang) if record.info.title else record.id
            lines.append(f"- [{STATUS_TAGS[result.status]}] {title} ({record.id}, {result.cause})")
            lines.append(f"  {result.summary.render(lang)}")
            if result.remedy:
                lines.append(f"  → {result.remedy.render(lang)}")
    if profile.allowlist:
        lines += ["", tr("Allow-list rules for {platform}:", platform=profile.name).render(lang)]
        lines += [f"- {rule}" for rule in profile.allowlist]
    lines += ["", tr("All results:").render(lang)]
    for record in records:
        lines.append(f"{STATUS_TAGS[record.result.status]:<5} {record.id}: {record.result.summary.render(lang)}")
    return "\n".join(lines) + "\n"
