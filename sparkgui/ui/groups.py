"""How checks are grouped for a person: by what they mean for the event, not by protocol layer."""

from __future__ import annotations

from dataclasses import dataclass

from sparkgui.core.i18n import Text, tr


@dataclass(frozen=True)
class Group:
    key: str
    title: Text
    kinds: tuple[str, ...]


GROUPS: tuple[Group, ...] = (
    Group("internet", tr("Internet & DNS"), ("dns", "ipv6")),
    # The web request sits with the firewall: a portal or a filter page is what stops it, not the certificate.
    Group("firewall", tr("Firewall (HTTPS 443)"), ("tcp", "https")),
    Group("secure", tr("Secure connection"), ("tls",)),
    Group("proxy", tr("Proxy"), ("proxy",)),
    Group("live", tr("Live connection (WebSocket)"), ("ws", "ws-hold")),
    Group("quality", tr("Connection quality"), ("quality",)),
)
OTHER = Group("other", tr("Other checks"), ())

_BY_KIND = {kind: group for group in GROUPS for kind in group.kinds}


def group_for(kind: str) -> Group:
    """The group a check kind belongs to; kinds added later land in "Other checks" rather than vanish."""
    return _BY_KIND.get(kind, OTHER)


def ordered_groups() -> tuple[Group, ...]:
    return (*GROUPS, OTHER)
