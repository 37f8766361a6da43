"""How checks are grouped for a person, by what they mean for the event, and what each group's header says.

Cards sit in the group of what they test; a problem is counted in the group of its family (a proxy that wants
a password is the Proxy's problem even when the TCP check met it). A check that did not run never counts as
done or passed. Qt-free, so the header's sentence is tested without a window.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sparkgui.core.catalogue import Family
from sparkgui.core.causes import Cause
from sparkgui.core.i18n import Text, tr, trn
from sparkgui.core.ids import CheckId, CheckKind
from sparkgui.core.model import CheckInfo, CheckRecord, Status
from sparkgui.core.problems import Problem


@dataclass(frozen=True)
class Group:
    """A heading of the check list: its title, the kinds of check it shows, the families it answers for."""

    key: str
    title: Text
    kinds: tuple[CheckKind, ...]
    families: tuple[Family, ...] = ()


GROUPS: tuple[Group, ...] = (
    # The IPv6 path sits with the Internet link; its fault (a route IPv6 lacks) is the firewall family's.
    Group("internet", tr("Internet & DNS"), (CheckKind.DNS, CheckKind.IPV6), (Family.DNS, Family.FIREWALL)),
    # The web request sits with the firewall: a portal or a filter page is what stops it, not the certificate.
    Group("firewall", tr("Firewall (HTTPS)"), (CheckKind.TCP, CheckKind.HTTPS), (Family.FIREWALL,)),
    Group("secure", tr("Secure connection"), (CheckKind.TLS,), (Family.TLS,)),
    Group("proxy", tr("Proxy"), (CheckKind.PROXY,), (Family.PROXY,)),
    Group("live", tr("Live connection (WebSocket)"), (CheckKind.WS, CheckKind.WS_HOLD), (Family.WEBSOCKET,)),
    Group("quality", tr("Connection quality"), (CheckKind.QUALITY,), (Family.QUALITY,)),
)
OTHER = Group("other", tr("Other checks"), ())

_BY_KIND = {kind: group for group in GROUPS for kind in group.kinds}
_BY_FAMILY = {group.families[0]: group for group in GROUPS if group.families}  # each family's own group


def group_for(kind: str) -> Group:
    """The group a check kind belongs to; kinds added later land in "Other checks" rather than vanish."""
    try:
        return _BY_KIND.get(CheckKind(kind), OTHER)
    except ValueError:
        return OTHER


def ordered_groups() -> tuple[Group, ...]:
    """Every group, in the order the list shows them."""
    return (*GROUPS, OTHER)


def filed_under(problem: Problem) -> Group:
    """The group a problem is counted in: its first check's, when that group answers for the problem's family.

    Else it is the family's own group (a proxy refusing the TCP check is the Proxy's problem).
    """
    where = group_for(problem.check_ids[0].kind)
    if problem.family in where.families or problem.family in (Family.PLATFORM, Family.CHECKER):
        return where
    return _BY_FAMILY.get(problem.family, where)


def group_title(group: Group, infos: Sequence[CheckInfo | CheckId]) -> Text:
    """The group's title; the firewall's names the ports its checks test (the platform's, 443 for Sparkup)."""
    if group.key != "firewall":
        return group.title
    ports = sorted({info.target.port for info in infos if info.kind in group.kinds})
    if not ports:
        return group.title
    return tr("Firewall (HTTPS {ports})", ports=", ".join(map(str, ports)))


def group_note(
    group: Group, members: Sequence[tuple[CheckInfo, CheckRecord | None]], problems: Sequence[Problem]
) -> Text | None:
    """What the group's header adds to its title, or None before any of its checks is done.

    `members` are the group's checks with their record so far; `problems` are the run's so far (every finished
    check's), so a problem is counted once, in its family's group.
    """
    done = [record for _, record in members if record is not None]
    if not done:
        return None
    here = [p for p in problems if filed_under(p) is group]
    if here:
        found = trn("{count} problem to look at", "{count} problems to look at", len(here))
        shown_in = {g.key: g for g in (group_for(check_id.kind) for p in here for check_id in p.check_ids)}
        if group.key not in shown_in and len(shown_in) == 1:  # a proxy's refusal, met by the firewall's checks
            (other,) = shown_in.values()
            return tr("{found}: it stopped the checks under “{group}”", found=found, group=_title_seen(other, problems))
        return found
    total = len(members)
    passed = sum(1 for r in done if r.result.status is Status.PASS)
    not_applicable = sum(1 for r in done if r.result.cause is Cause.SKIPPED_NOT_APPLICABLE)
    failed = sum(1 for r in done if r.result.status in (Status.FAIL, Status.ERROR))  # their problem is filed elsewhere
    warned = sum(1 for r in done if r.result.status is Status.WARN)
    faulty = failed + warned
    missing = len(done) - passed - not_applicable - faulty  # did not run: stopped by a problem filed elsewhere
    if any(r.result.cause is Cause.SKIPPED_CANCELLED for r in done):
        return trn("{count} of {total} finished before the cancel", "{count} of {total} finished before the cancel",
                   passed, total=total)  # fmt: skip
    if not missing and not faulty:
        return trn("{count} of {total} done, no problem", "{count} of {total} done, no problem", len(done), total=total)
    elsewhere = _where_filed(done, problems)
    if elsewhere is not None and elsewhere.key == group.key:
        elsewhere = None  # a group does not send the reader to itself
    if not passed and not faulty and elsewhere is not None:
        return trn(
            "{count} of {total} not run: see the problem under “{group}”",
            "{count} of {total} not run: see the problem under “{group}”",
            missing,
            total=total,
            group=_title_seen(elsewhere, problems),
        )
    if not passed and not faulty:
        return trn(
            "{count} of {total} not run: see the problem in another group",
            "{count} of {total} not run: see the problem in another group",
            missing,
            total=total,
        )
    counts = [
        *([trn("{count} passed", "{count} passed", passed)] if passed else []),
        *([trn("{count} failed", "{count} failed", failed)] if failed else []),
        *([trn("{count} warning", "{count} warnings", warned)] if warned else []),
        *([trn("{count} not run", "{count} not run", missing)] if missing else []),
    ]
    said = counts[0]
    for more in counts[1:]:
        said = tr("{counts}, {more}", counts=said, more=more)
    if elsewhere is not None:
        return tr("{counts}: see the problem under “{group}”", counts=said, group=_title_seen(elsewhere, problems))
    return tr("{counts}: see the problem in another group", counts=said)


def _title_seen(group: Group, problems: Sequence[Problem]) -> Text:
    """A group's title as its header shows it (the firewall's with its ports), from the problems' checks."""
    return group_title(group, [check_id for problem in problems for check_id in problem.check_ids])


def _where_filed(done: Sequence[CheckRecord], problems: Sequence[Problem]) -> Group | None:
    """The one group where the problems that failed or stopped these checks are counted, if there is one."""
    ids: set[str] = {str(r.id) for r in done if r.result.status in (Status.FAIL, Status.ERROR, Status.WARN)}
    ids |= {
        str(record.result.evidence.get("prerequisite"))
        for record in done
        if record.result.status is Status.SKIPPED and record.result.evidence.get("prerequisite")
    }
    groups = {g.key: g for g in (filed_under(p) for p in problems if ids & {str(c) for c in p.check_ids})}
    return next(iter(groups.values())) if len(groups) == 1 else None
