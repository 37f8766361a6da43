"""How results are said, once for every front end: status words and tags, the counts, the verdict sentence.

The window's cards and banner, the CLI, Copy for IT and the PDF all read this module, so a status has one
word ("Checker error" everywhere), the counts are computed one way, and a problem is counted once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sparkgui.core.causes import Cause
from sparkgui.core.i18n import Text, number, tr, trn
from sparkgui.core.model import Status, Verdict
from sparkgui.core.problems import Problem, failures, warnings

NOT_APPLICABLE = str(Cause.SKIPPED_NOT_APPLICABLE)

_STATUS_TAGS: dict[Status, Text] = {
    Status.PASS: tr("PASS"),
    Status.WARN: tr("WARN"),
    Status.FAIL: tr("FAIL"),
    Status.SKIPPED: tr("SKIP"),
    Status.ERROR: tr("ERROR"),
}
_STATUS_WORDS: dict[Status, Text] = {
    Status.PASS: tr("Passed"),
    Status.WARN: tr("Warning"),
    Status.FAIL: tr("Failed"),
    Status.SKIPPED: tr("Not run"),
    Status.ERROR: tr("Checker error"),
}


def status_word(status: Status, cause: str = "") -> Text:
    """The one word for a status, in every front end; a check with nothing to test here is "Not applicable"."""
    if status is Status.SKIPPED and cause == NOT_APPLICABLE:
        return tr("Not applicable")
    return _STATUS_WORDS[status]


def status_tag(status: Status, cause: str, lang: str) -> str:
    """The short capitals the terminal and Copy for IT put before a result (`PASS`, `ÉCHEC`), in `lang`."""
    if status is Status.SKIPPED and cause == NOT_APPLICABLE:
        return tr("N/A").render(lang)
    return _STATUS_TAGS[status].render(lang)


def tag_width(lang: str) -> int:
    """The widest tag in `lang`, so the results line up in a column."""
    return max(len(tag.render(lang)) for tag in (*_STATUS_TAGS.values(), tr("N/A")))


@dataclass(frozen=True)
class Tally:
    """How many checks ended each way. A checker error is counted apart: it is neither a pass nor a fault."""

    passed: int = 0
    warned: int = 0
    failed: int = 0
    skipped: int = 0  # did not run: a prerequisite failed, or the run was cancelled
    errors: int = 0
    not_applicable: int = 0  # nothing to test here (no IPv6 address): not missing, so not "not run"

    @classmethod
    def of(cls, statuses: Iterable[Status], causes: Iterable[str] = ()) -> Tally:
        """Count the statuses of a run's checks; with their causes, "not applicable" is told from "not run"."""
        seen = list(statuses)
        inapplicable = sum(1 for cause in causes if cause == NOT_APPLICABLE)
        return cls(
            passed=seen.count(Status.PASS),
            warned=seen.count(Status.WARN),
            failed=seen.count(Status.FAIL),
            skipped=seen.count(Status.SKIPPED) - inapplicable,
            errors=seen.count(Status.ERROR),
            not_applicable=inapplicable,
        )

    @property
    def total(self) -> int:
        """Every check of the run."""
        return self.passed + self.warned + self.failed + self.skipped + self.errors + self.not_applicable

    def sentence(self, seconds: float) -> Text:
        """`3 passed, 1 warning, 0 failed, 2 not run (4.2 s).` for the terminal and Copy for IT."""
        line = tr(
            "{passed}, {warned}, {failed}, {skipped} ({seconds} s).",
            passed=trn("{count} passed", "{count} passed", self.passed),
            warned=trn("{count} warning", "{count} warnings", self.warned),
            failed=trn("{count} failed", "{count} failed", self.failed),
            skipped=self._skipped_words(),
            seconds=_seconds(seconds),
        )
        return self._with_errors(line)

    def strip(self, seconds: float) -> Text:
        """`Passed: 3 · Warnings: 1 · …` for the window's banner."""
        line = tr(
            "Passed: {passed} · Warnings: {warned} · Failed: {failed} · Not run: {skipped}",
            passed=self.passed,
            warned=self.warned,
            failed=self.failed,
            skipped=self.skipped,
        )
        if self.not_applicable:
            line = tr("{counts} · Not applicable: {count}", counts=line, count=self.not_applicable)
        line = tr("{counts} · took {seconds} s", counts=line, seconds=_seconds(seconds))  # last: not one of the counts
        return self._with_errors(line)

    def _skipped_words(self) -> Text:
        skipped = trn("{count} not run", "{count} not run", self.skipped)
        if not self.not_applicable:
            return skipped
        applicable = trn("{count} not applicable", "{count} not applicable", self.not_applicable)
        return tr("{skipped}, {not_applicable}", skipped=skipped, not_applicable=applicable)

    def _with_errors(self, line: Text) -> Text:
        if not self.errors:
            return line
        return tr("{counts} Checker errors: {errors}.", counts=line, errors=self.errors)


def verdict_sentence(verdict: Verdict, problems: Sequence[Problem], platform: str) -> Text:
    """The verdict in one sentence: the first problem in words an organiser understands, then how many more."""
    if verdict is Verdict.READY:
        return tr("This network is ready for {platform}.", platform=platform)
    if verdict is Verdict.READY_WITH_WARNINGS:
        # Problems, not checks: two checks can warn of one problem (a slow link slows photos and the audience),
        # and the counts line beside this sentence counts checks. The first problem is named, as for failures.
        found = warnings(problems)
        reason: Text | str = found[0].phrase(platform) if found else tr("some checks warn")
        if len(found) <= 1:
            return tr("Ready for {platform}, with 1 problem to look at: {reason}.", platform=platform, reason=reason)
        return tr(
            "Ready for {platform}, with {count} problems to look at, the first: {reason}.",
            platform=platform,
            count=len(found),
            reason=reason,
        )
    failing = failures(problems)
    if verdict is Verdict.NOT_READY and failing:
        reason = failing[0].phrase(platform)
        others = len(failing) - 1
        if others == 0:
            return tr("Not ready: {reason}.", reason=reason)
        if others == 1:
            return tr("Not ready: {reason}, and 1 more problem to fix.", reason=reason)
        return tr("Not ready: {reason}, and {count} more problems to fix.", reason=reason, count=others)
    return tr("The check is incomplete: the result is not known.")


def _seconds(seconds: float) -> Text:
    """A duration with one decimal, written the reader's way (a decimal comma in French).

    Under a tenth of a second it keeps two, so that an instant run never reads "0.0 s", as if nothing ran.
    """
    if seconds < 0.095:
        return number(max(seconds, 0.01), 2)
    return number(seconds, 1)


VERDICT_TITLES = {  # a verdict on its own: a column of the history, in the window or the terminal
    Verdict.READY: tr("Ready"),
    Verdict.READY_WITH_WARNINGS: tr("Ready, with warnings"),
    Verdict.NOT_READY: tr("Not ready"),
    Verdict.INCOMPLETE: tr("Incomplete"),
}


def verdict_title(verdict: str) -> Text | None:
    """The title of a verdict as saved (`not_ready`), or None for a word this sparkgui does not know."""
    try:
        return VERDICT_TITLES[Verdict(verdict)]
    except ValueError:
        return None


ROUND_VERDICTS = {  # a verdict inside a sentence: a watch's round in the terminal or a tooltip
    Verdict.READY: tr("ready"),
    Verdict.READY_WITH_WARNINGS: tr("ready, with warnings"),
    Verdict.NOT_READY: tr("not ready"),
    Verdict.INCOMPLETE: tr("incomplete"),
}
