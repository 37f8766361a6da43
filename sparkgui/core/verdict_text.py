"""The verdict in one sentence, as the window, the terminal and the PDF all say it."""

from __future__ import annotations

from collections.abc import Sequence

from sparkgui.core.i18n import Text, tr
from sparkgui.core.model import CheckRecord, Status, Verdict


def verdict_sentence(verdict: Verdict, records: Sequence[CheckRecord], platform: str) -> Text:
    warnings = sum(1 for r in records if r.result.status is Status.WARN)
    failures = [r for r in records if r.result.status is Status.FAIL]
    if verdict is Verdict.READY:
        return tr("This network is ready for {platform}.", platform=platform)
    if verdict is Verdict.READY_WITH_WARNINGS:
        return tr("Ready for {platform}, with {count} warning(s).", platform=platform, count=warnings)
    if verdict is Verdict.NOT_READY:
        return tr("Not ready for {platform}: {count} problem(s) to fix.", platform=platform, count=len(failures))
    return tr("The check is incomplete: the result is not known.")
