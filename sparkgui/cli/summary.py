"""The readable summary printed at the end of a headless run."""

from __future__ import annotations

from typing import TextIO

from sparkgui.cli.progress import STATUS_TAGS
from sparkgui.core.i18n import tr
from sparkgui.core.model import Status
from sparkgui.core.profile import Profile
from sparkgui.core.runner import RunOutcome
from sparkgui.core.verdict_text import verdict_sentence


def print_summary(outcome: RunOutcome, profile: Profile, lang: str, stream: TextIO, *, demo: bool = False) -> None:
    records = outcome.records
    counts = {status: sum(1 for r in records if r.result.status is status) for status in Status}

    def write(text: str = "") -> None:
        stream.write(text + "\n")

    write()
    verdict = verdict_sentence(outcome.verdict, records, profile.name).render(lang)
    write(tr("DEMO (simulated venue): {verdict}", verdict=verdict).render(lang) if demo else verdict)
    write(
        tr(
            "{passed} passed, {warned} warnings, {failed} failed, {skipped} skipped ({seconds} s).",
            passed=counts[Status.PASS],
            warned=counts[Status.WARN],
            failed=counts[Status.FAIL],
            skipped=counts[Status.SKIPPED],
            seconds=f"{outcome.duration_ms / 1000:.1f}",
        ).render(lang)
    )
    problems = [r for r in records if r.result.status in (Status.FAIL, Status.WARN, Status.ERROR)]
    if problems:
        write()
        write(tr("What to ask the venue's IT:").render(lang))
        for record in problems:
            result = record.result
            write(f"  {STATUS_TAGS[result.status]} {record.id} [{result.cause}]")
            write(f"       {result.summary.render(lang)}")
            if result.remedy:
                write(f"       → {result.remedy.render(lang)}")
    if problems and profile.allowlist:
        write()
        write(tr("Allow-list rules for {platform}:", platform=profile.name).render(lang))
        for rule in profile.allowlist:
            write(f"  - {rule}")
    stream.flush()
