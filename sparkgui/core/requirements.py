"""The platform's requirements, one by one: met, not met, or not tested yet, and the checks that decided each.

A run can pass every check and still not prove a requirement: a 60-second WebSocket hold says nothing about
the 10 minutes the platform needs. The verdict counts problems; this says what was proven.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sparkgui.core.catalogue import Family, entry
from sparkgui.core.causes import Cause
from sparkgui.core.i18n import Text, amount, tr
from sparkgui.core.ids import CheckId, CheckKind
from sparkgui.core.model import CheckRecord, Status
from sparkgui.core.profile import Profile, RequirementKind, RequirementSpec

DECIDED_BY: dict[RequirementKind, tuple[CheckKind, ...]] = {
    RequirementKind.DNS: (CheckKind.DNS,),
    RequirementKind.HTTPS: (CheckKind.TCP, CheckKind.TLS, CheckKind.HTTPS),
    RequirementKind.WEBSOCKET: (CheckKind.WS, CheckKind.WS_HOLD),
    RequirementKind.PROXY: (CheckKind.PROXY,),
}


class RequirementStatus(StrEnum):
    """What the run proved about one requirement."""

    MET = "met"
    NOT_MET = "not_met"
    NOT_TESTED = "not_tested"


@dataclass(frozen=True)
class Requirement:
    """One requirement's verdict: its title, its status, the checks that decided it, and what completes it."""

    id: str
    kind: RequirementKind
    title: Text
    status: RequirementStatus
    check_ids: tuple[CheckId, ...]
    action: Text | None = None  # the one thing that would settle a requirement not tested

    def as_json(self, lang: str = "en") -> dict[str, Any]:
        """The requirement's entry in the report's `requirements`."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "title": self.title.render(lang),
            "status": str(self.status),
            "checks": [str(check_id) for check_id in self.check_ids],
        }
        if self.action is not None:
            data["action"] = self.action.render(lang)
        return data


def requirements_of(profile: Profile, records: Sequence[CheckRecord]) -> list[Requirement]:
    """Each of the profile's requirements, judged from the run's records."""
    judged = [_judge(spec, profile, records) for spec in profile.requirements if spec.kind is not RequirementKind.PROXY]
    proxies = [spec for spec in profile.requirements if spec.kind is RequirementKind.PROXY]
    judged += [_judge_proxy(spec, profile, records, judged) for spec in proxies]
    order = {spec.id: index for index, spec in enumerate(profile.requirements)}
    return sorted(judged, key=lambda requirement: order[requirement.id])


def proven(requirements: Sequence[Requirement]) -> list[Requirement]:
    """The requirements the run proved."""
    return [r for r in requirements if r.status is RequirementStatus.MET]


def untested(requirements: Sequence[Requirement]) -> list[Requirement]:
    """The requirements the run left open."""
    return [r for r in requirements if r.status is RequirementStatus.NOT_TESTED]


def title_of(spec: RequirementSpec, profile: Profile) -> Text:
    """The requirement's plain title: the profile's own words, else the platform's published wording."""
    if spec.title:
        return Text(spec.title)
    if spec.kind is RequirementKind.DNS:
        return tr("DNS resolves the platform's domains")
    if spec.kind is RequirementKind.HTTPS:
        ports = sorted({endpoint.port for endpoint in profile.endpoints})
        return tr("Outgoing HTTPS on TCP {ports}", ports=", ".join(str(port) for port in ports))
    if spec.kind is RequirementKind.WEBSOCKET:
        return tr("WebSockets stay open at least {duration}", duration=duration_text(spec.min_seconds))
    return tr("The proxy, if there is one, lets all of that through")


def duration_text(seconds: float) -> Text:
    """A length of time as people say it: "10 minutes", "45 seconds"."""
    if seconds >= 120 and seconds % 60 == 0:
        return tr("{minutes} minutes", minutes=round(seconds / 60))
    return tr("{seconds} seconds", seconds=amount(seconds))


def _relevant(kind: RequirementKind, records: Sequence[CheckRecord]) -> list[CheckRecord]:
    """The checks that decide a requirement; one with nothing to test here (no proxy to bypass) decides nothing."""
    return [
        record
        for record in records
        if record.info.kind in DECIDED_BY[kind] and record.result.cause is not Cause.SKIPPED_NOT_APPLICABLE
    ]


def _judge(spec: RequirementSpec, profile: Profile, records: Sequence[CheckRecord]) -> Requirement:
    relevant = _relevant(spec.kind, records)
    ids = tuple(record.id for record in relevant)
    title = title_of(spec, profile)

    def made(status: RequirementStatus, action: Text | None = None) -> Requirement:
        return Requirement(spec.id, spec.kind, title, status, ids, action)

    if not relevant:
        return made(RequirementStatus.NOT_TESTED, tr("Add this check to the profile, then run it again"))
    statuses = {record.result.status for record in relevant}
    if Status.FAIL in statuses:
        return made(RequirementStatus.NOT_MET)
    if statuses - {Status.PASS, Status.WARN}:
        if any(record.result.cause is Cause.SKIPPED_CANCELLED for record in relevant):
            return made(RequirementStatus.NOT_TESTED, tr("Run the check again: it was cancelled"))
        return made(RequirementStatus.NOT_TESTED, tr("Fix what stopped these checks, then run again"))
    if spec.kind is RequirementKind.WEBSOCKET and spec.min_seconds:
        held = _shortest_hold(relevant)
        if held is None or held + 0.5 < spec.min_seconds:
            return made(RequirementStatus.NOT_TESTED, long_test_action(spec.min_seconds))
    return made(RequirementStatus.MET)


def long_test_action(seconds: float) -> Text:
    """The one action that completes a WebSocket requirement a short hold could not prove."""
    if seconds % 60 == 0:
        return tr("Run the {minutes}-minute test", minutes=round(seconds / 60))
    return tr("Run the {seconds}-second test", seconds=amount(seconds))


def _shortest_hold(records: Sequence[CheckRecord]) -> float | None:
    holds = [r for r in records if r.info.kind is CheckKind.WS_HOLD]
    lengths = [r.result.evidence.get("held_s") for r in holds]
    if not holds or any(not isinstance(length, int | float) for length in lengths):
        return None
    return min(float(length) for length in lengths)  # type: ignore[arg-type]


def _judge_proxy(
    spec: RequirementSpec, profile: Profile, records: Sequence[CheckRecord], others: Sequence[Requirement]
) -> Requirement:
    """A proxy is fine if it lets everything through: not met when any failure is the proxy's own."""
    relevant = _relevant(RequirementKind.PROXY, records)
    proxy_faults = [
        record
        for record in records
        if record.result.status is Status.FAIL and entry(record.result.cause).family is Family.PROXY
    ]
    ids = tuple(dict.fromkeys([*(r.id for r in relevant), *(r.id for r in proxy_faults)]))
    title = title_of(spec, profile)
    if proxy_faults or any(r.result.status is Status.FAIL for r in relevant):
        return Requirement(spec.id, spec.kind, title, RequirementStatus.NOT_MET, ids)
    if not relevant or any(not r.result.status.lets_dependents_run for r in relevant):
        return Requirement(
            spec.id,
            spec.kind,
            title,
            RequirementStatus.NOT_TESTED,
            ids,
            tr("Fix what stopped these checks, then run again"),
        )
    if any(other.status is RequirementStatus.NOT_MET for other in others):
        return Requirement(spec.id, spec.kind, title, RequirementStatus.MET, ids)  # the failures are not the proxy's
    if any(other.status is RequirementStatus.NOT_TESTED for other in others) and _through_a_proxy(relevant):
        action = next(o.action for o in others if o.status is RequirementStatus.NOT_TESTED)
        return Requirement(spec.id, spec.kind, title, RequirementStatus.NOT_TESTED, ids, action)
    return Requirement(spec.id, spec.kind, title, RequirementStatus.MET, ids)


def _through_a_proxy(records: Sequence[CheckRecord]) -> bool:
    for record in records:
        routes = record.result.evidence.get("routes")
        if isinstance(routes, dict) and any(
            isinstance(route, dict) and route.get("mode") != "direct" for route in routes.values()
        ):
            return True
    return False


STATUS_MARKS = {RequirementStatus.MET: "✓", RequirementStatus.NOT_MET: "✗", RequirementStatus.NOT_TESTED: "?"}


def status_text(status: RequirementStatus | str) -> Text:
    """The requirement's status in words."""
    status = RequirementStatus(status)
    if status is RequirementStatus.MET:
        return tr("Met")
    if status is RequirementStatus.NOT_MET:
        return tr("Not met")
    return tr("Not tested yet")


def requirement_line(title: str | Text, status: RequirementStatus | str, action: str | Text | None) -> Text:
    """One row of the requirements table as text: mark, status, title, and what completes it."""
    status = RequirementStatus(status)
    if action:
        return tr(
            "{mark} {status}: {title} → {action}",
            mark=STATUS_MARKS[status],
            status=status_text(status),
            title=title,
            action=action,
        )
    return tr("{mark} {status}: {title}", mark=STATUS_MARKS[status], status=status_text(status), title=title)


def proof_sentence(requirements: Sequence[Requirement]) -> Text | None:
    """What a ready verdict proved, said plainly; None when every requirement was proven (or there are none)."""
    if not requirements or not untested(requirements):
        return None
    first = untested(requirements)[0]
    return tr(
        "Proven: {proven} of {total} requirements; not tested yet: {title}.",
        proven=len(proven(requirements)),
        total=len(requirements),
        title=first.title,
    )


def requirement_lines(requirements: Sequence[Requirement], lang: str) -> list[str]:
    """The requirements table as lines of text (the terminal, Copy for IT)."""
    return [requirement_line(r.title, r.status, r.action).render(lang) for r in requirements]


def requirements_strip(requirements: Sequence[Requirement]) -> Text | None:
    """The requirements on one line for the window's banner, with what completes the first one not tested."""
    if not requirements:
        return None
    line: Text = tr("{mark} {title}", mark=STATUS_MARKS[requirements[0].status], title=requirements[0].title)
    for requirement in requirements[1:]:
        line = tr("{line} · {mark} {title}", line=line, mark=STATUS_MARKS[requirement.status], title=requirement.title)
    waiting = untested(requirements)
    if waiting and waiting[0].action is not None:
        return tr("Requirements: {line}. To complete: {action}.", line=line, action=waiting[0].action)
    return tr("Requirements: {line}.", line=line)
