"""What changed between two runs of the same platform: what was fixed, what broke, what moved.

Checks are matched by id (`tcp:app.sparkup.app:443` is the same check on both days). A check that was a
problem (failed or warned) and now passes is fixed; one that passed, or did not exist, and is now a
problem broke, as did a warning that became a failure. For checks in both runs, the facts IT cares about
are compared: the addresses, the route, the certificate's issuer and the latency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sparkgui.core.causes import Cause
from sparkgui.core.dates import local_when_text
from sparkgui.core.i18n import Text, tr, trn
from sparkgui.core.plain_text import plain_text

PROBLEM = ("fail", "warn", "error")
NOT_APPLICABLE = str(Cause.SKIPPED_NOT_APPLICABLE)  # a check with nothing to test any more: its problem is gone
COMPARED_FACTS = ("addresses", "issuer", "route", "latency_ms")


@dataclass(frozen=True)
class CheckChange:
    """One check's change: its id, the old and new status and cause."""

    id: str
    before: tuple[str, str]  # (status, cause); ("", "") when the check did not exist
    after: tuple[str, str]
    summary: str = ""  # what the newer run said of it, in its language: for people, before the id


@dataclass(frozen=True)
class FactChange:
    """One fact that moved: which check, which fact, before and after."""

    id: str
    fact: str
    before: str
    after: str


@dataclass(frozen=True)
class Comparison:
    """Two runs set side by side, the older first."""

    before_at: str
    after_at: str
    fixed: list[CheckChange] = field(default_factory=list)
    broke: list[CheckChange] = field(default_factory=list)
    still: list[CheckChange] = field(default_factory=list)  # a problem on both days
    moved: list[FactChange] = field(default_factory=list)

    def headline(self, lang: str) -> str:
        """The comparison in one sentence: "Since the run of 12 November 2026, 10:02: 2 fixed, 1 new problem."."""
        return tr(
            "Since the run of {when}: {fixed}, {broke}.",
            when=local_when_text(self.before_at, lang),
            fixed=trn("{count} fixed", "{count} fixed", len(self.fixed)),
            broke=trn("{count} new problem", "{count} new problems", len(self.broke)),
        ).render(lang)

    def lines(self, lang: str) -> list[str]:
        """The whole comparison as plain lines, for the terminal and Copy for IT."""
        out = [self.headline(lang)]
        for title, changes in (
            (tr("Fixed:"), self.fixed),
            (tr("New problems:"), self.broke),
            (tr("Still to fix:"), self.still),
        ):
            if changes:
                out.append(title.render(lang))
                out += [plain_text(f"  {c.summary or c.id} [{_change_note(c, lang)}]") for c in changes]
        if self.moved:
            out.append(tr("Changed:").render(lang))
            out += [  # the facts come from the network (an issuer's name): rendered Text drops terminal escapes
                "  "
                + tr(
                    "{check} ({fact}): {before} → {after}",
                    check=m.id,
                    fact=_FACT_NAMES.get(m.fact, Text(m.fact)),
                    before=m.before or "—",
                    after=m.after or "—",
                ).render(lang)
                for m in self.moved
            ]
        return out

    def as_json(self) -> dict[str, Any]:
        """The comparison as the CLI's `--compare … --json` prints it."""

        def change(c: CheckChange) -> dict[str, Any]:
            return {"id": c.id, "before": list(c.before), "after": list(c.after)}

        return {
            "before": self.before_at,
            "after": self.after_at,
            "fixed": [change(c) for c in self.fixed],
            "broke": [change(c) for c in self.broke],
            "still": [change(c) for c in self.still],
            "changed": [{"id": m.id, "fact": m.fact, "before": m.before, "after": m.after} for m in self.moved],
        }


def compare(before: Mapping[str, Any], after: Mapping[str, Any]) -> Comparison:
    """Compare two reports (`before` the older)."""
    old = {str(c.get("id")): c for c in _checks(before)}
    new = {str(c.get("id")): c for c in _checks(after)}
    result = Comparison(str(before.get("started_at", "")), str(after.get("started_at", "")))
    for check_id, now in new.items():
        then = old.get(check_id)
        change = CheckChange(check_id, _status(then), _status(now), str(now.get("summary") or ""))
        was_problem, is_problem = change.before[0] in PROBLEM, change.after[0] in PROBLEM
        if was_problem and (change.after[0] == "pass" or change.after[1] == NOT_APPLICABLE):  # or no longer applies
            result.fixed.append(change)
        elif is_problem and (not was_problem or _worse(change.before[0], change.after[0])):
            result.broke.append(change)  # new, or a warning that became a failure: the audience notices that
        elif is_problem and was_problem:
            result.still.append(change)
        if then is not None and "skipped" not in (change.before[0], change.after[0]):  # a skipped check saw nothing
            result.moved.extend(_moved_facts(check_id, _mapping(then.get("evidence")), _mapping(now.get("evidence"))))
    return result


def _checks(report: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A report's checks; whatever else a damaged or hand-edited history holds there is passed over."""
    checks = report.get("checks")
    return [c for c in checks if isinstance(c, Mapping)] if isinstance(checks, list) else []


def _worse(before: str, after: str) -> bool:
    """A warning that became a failure (or an error)."""
    return before == "warn" and after in ("fail", "error")


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _status(check: Mapping[str, Any] | None) -> tuple[str, str]:
    return ("", "") if check is None else (str(check.get("status", "")), str(check.get("cause", "")))


def _moved_facts(check_id: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[FactChange]:
    moved = []
    for fact in COMPARED_FACTS:
        if fact not in before and fact not in after:
            continue
        old, new = _fact_text(before.get(fact)), _fact_text(after.get(fact))
        if fact == "latency_ms":
            if not _latency_moved(before.get(fact), after.get(fact)):
                continue
        elif old == new:
            continue
        moved.append(FactChange(check_id, fact, old, new))
    return moved


def _latency_moved(before: object, after: object) -> bool:
    """Latency moves when it doubles or halves and changes by at least 20 ms: noise is not a change."""
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return before != after
    low, high = sorted((float(before), float(after)))
    return high - low >= 20 and high >= 2 * max(low, 1.0)


def _fact_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(sorted(str(v) for v in value))
    if isinstance(value, Mapping):
        mode, proxy = value.get("mode"), value.get("proxy")
        return f"{mode} via {proxy}" if proxy else str(mode or "")
    return str(value)


_FACT_NAMES = {
    "addresses": tr("addresses"),
    "issuer": tr("certificate issuer"),
    "route": tr("route"),
    "latency_ms": tr("latency (ms)"),
}


def _change_note(change: CheckChange, lang: str) -> str:
    """The check's id, and how its result moved; a result that stayed the same is not said twice."""
    before, after = _state(change.before, lang), _state(change.after, lang)
    return change.id if before == after else f"{change.id}: {before} → {after}"


def _state(state: tuple[str, str], lang: str) -> str:
    status, cause = state
    if not status:
        return tr("not checked then").render(lang)
    return cause if cause and cause != "ok" else Text(status).render(lang)
