"""The PDF's Evidence table, cell by cell: one fact per check kind, as IT reads them.

A host's addresses and resolver, its route, its certificate's issuer, and how long its WebSocket was held.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sparkgui.core.i18n import Text, tr
from sparkgui.core.ids import CheckKind
from sparkgui.core.model import Status
from sparkgui.core.presentation import status_word
from sparkgui.report.model import ReportCheck, RouteEvidence
from sparkgui.report.style import MUTED, STATUS_STYLE, esc, strip_credentials


class EvidenceCells:
    """The cells in `lang`; `default_route` is the run's own, for a host whose checks name none."""

    def __init__(self, lang: str, default_route: RouteEvidence) -> None:
        self.lang, self.default_route = lang, default_route

    def t(self, text: Text) -> str:
        """`text` in the report's language, HTML-safe."""
        return esc(text.render(self.lang))

    def dns(self, checks: Sequence[ReportCheck]) -> str:
        """The addresses (four at most) and the resolver that gave them."""
        dns = first(checks, CheckKind.DNS)
        if dns is None:
            return "—"
        evidence = dns.dns()
        addresses = evidence.addresses
        shown = "<br/>".join(esc(a) for a in addresses[:4])
        if len(addresses) > 4:
            shown += "<br/>" + self.t(tr("and {count} more", count=len(addresses) - 4))
        if not addresses:
            shown = f'<span style="color: {STATUS_STYLE["fail"][1]};">{self.t(tr("no address"))}</span>'
        resolvers = ", ".join(evidence.resolvers)
        via = self.t(tr("via {resolvers}", resolvers=resolvers)) if resolvers else ""
        return f'{shown}<br/><span style="color: {MUTED};">{via}</span>'

    def route(self, checks: Sequence[ReportCheck]) -> str:
        """The route the host's checks took."""
        route = next((check.route for check in checks if check.route is not None), None)
        return esc(self.route_text(route))

    def route_text(self, route: RouteEvidence | None) -> str:
        """A route in words (the run's own for None), never with the proxy's credentials."""
        data = route if route is not None else self.default_route
        proxy = strip_credentials(data.proxy)
        if data.mode == "direct" or not proxy:
            return tr("Direct").render(self.lang) if data.mode == "direct" else data.mode
        if data.mode == "pac":
            return tr("Proxy {proxy} (from the PAC file)", proxy=proxy).render(self.lang)
        return tr("Proxy {proxy}", proxy=proxy).render(self.lang)

    def issuer(self, checks: Sequence[ReportCheck]) -> str:
        """Who issued the certificate, marked when it is not the platform's."""
        tls = first(checks, CheckKind.TLS)
        if tls is None:
            return "—"
        issuer = tls.tls().issuer
        if not issuer:
            return self.t(tr("not run")) if tls.status is Status.SKIPPED else "—"
        if tls.cause in ("tls.intercepted", "tls.untrusted"):
            colour = STATUS_STYLE[str(tls.status)][1]
            note = self.t(tr("not the platform's: TLS inspection"))
            return f'{esc(issuer)}<br/><span style="color: {colour};">{note}</span>'
        return esc(issuer)

    def websocket(self, checks: Sequence[ReportCheck]) -> str:
        """How long the WebSocket was held, of how long was wanted."""
        hold = first(checks, CheckKind.WS_HOLD)
        if hold is None:
            return self.t(tr("not tested"))
        evidence = hold.hold()
        if evidence.held_s is None:
            return self.t(status_word(hold.status))
        if evidence.wanted_s is not None:
            return self.t(tr("{held} s of {wanted} s", held=f"{evidence.held_s:g}", wanted=f"{evidence.wanted_s:g}"))
        return self.t(tr("{held} s", held=f"{evidence.held_s:g}"))


def by_host(checks: Iterable[ReportCheck]) -> dict[str, list[ReportCheck]]:
    """Checks grouped by the host they target, in the order the hosts first appear."""
    groups: dict[str, list[ReportCheck]] = {}
    for check in checks:
        if check.kind in (CheckKind.PROXY, CheckKind.QUALITY):
            continue
        groups.setdefault(check.target.host or check.target.label, []).append(check)
    return groups


def first(checks: Sequence[ReportCheck], kind: CheckKind) -> ReportCheck | None:
    """The first check of `kind` among a host's checks, or None."""
    return next((c for c in checks if c.kind is kind), None)
