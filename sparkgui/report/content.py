"""The PDF's content as Qt rich text (an HTML subset), built from the typed report model in one language.

Plain Python (no Qt import) so the wording and the structure can be tested without rendering. The order is
what a CIO needs: verdict, what to change, the allow-list, then the proof (all checks, evidence), then the
limits of the test. Everything taken from the report is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sparkgui.core.dates import local_when_text
from sparkgui.core.i18n import Text, minutes_number, number, tr, trn
from sparkgui.core.model import Status
from sparkgui.core.presentation import Tally, status_word, verdict_sentence
from sparkgui.core.problems import RuleLine, rule_lines
from sparkgui.core.quality_figures import QualityFigures, figures_of
from sparkgui.core.requirements import STATUS_MARKS, RequirementStatus, status_text
from sparkgui.core.tested_network import network_details
from sparkgui.report.attendee_section import attendees_html
from sparkgui.report.evidence_cells import EvidenceCells, by_host
from sparkgui.report.fixed_texts import CANNOT_SEE, KIND_LABELS, SUBJECT_LABELS
from sparkgui.report.model import Report
from sparkgui.report.speed_section import speed_html
from sparkgui.report.style import (
    ACCENT,
    FAMILY_COLOURS,
    FONT_FAMILY,
    INK,
    MONO_FAMILY,
    MUTED,
    RULE_LINE,
    STATUS_STYLE,
    VERDICT_STYLE,
    esc,
    strip_credentials,
    unbroken,
)

FIXED_MARK, BROKE_MARK = "✓", "✗"
HEADER_CELLS_PER_ROW = 3
MAX_SINCE_ROWS = 20  # the page is for acting on: the full list is in the JSON


@dataclass(frozen=True)
class PageChrome:
    """What is drawn on every page around the flowing content: running title, footer, DEMO mark."""

    title: str
    digest_label: str
    demo_mark: str  # "" when the report is not a demo
    lang: str

    def page_text(self, page: int, pages: int) -> str:
        """Write the footer's "Page N of M" in the report's language."""
        return tr("Page {page} of {pages}", page=page, pages=pages).render(self.lang)


@dataclass(frozen=True)
class Document:
    """The PDF's flowing content (Qt rich text), with what is drawn around it on every page."""

    html: str
    chrome: PageChrome
    title: str  # the PDF's metadata title
    figures: QualityFigures | None = None  # what the `chart:<kind>` images draw
    headings: tuple[str, ...] = ()  # each section heading's text: kept on the page of what follows it
    first_page_break: str = ""  # the heading that starts page 2, unless page 1 overflowed before it


def build_document(report: Mapping[str, Any], *, lang: str, digest: str) -> Document:
    """The whole document for `report` in `lang`; `digest` is the SHA-256 of the JSON report's bytes."""
    return _Builder(Report.parse(report), lang, digest).build()


class _Builder:
    def __init__(self, report: Report, lang: str, digest: str) -> None:
        self.report, self.lang, self.digest = report, lang, digest
        self.checks = report.checks
        self.problems = report.problems
        self.platform = report.platform
        self.demo = report.demo
        self.parts: list[str] = []
        self.headings: list[str] = []
        self.has_rules = False
        self.cells = EvidenceCells(lang, report.environment.route)
        self.figures = figures_of({str(check.id): check.evidence for check in report.checks})

    def t(self, text: Text) -> str:
        """Render and escape a translatable text."""
        return esc(text.render(self.lang))

    def build(self) -> Document:
        title = tr("{platform} network readiness report", platform=self.platform).render(self.lang)
        self.parts.append(f'<html><body style="font-family: {FONT_FAMILY}; color: {INK};">')
        self.header(title)
        self.verdict()
        self.requirements()
        self.since()
        self.watch()
        self.what_to_change()
        self.allowlist()
        self.speed()
        self.attendees()
        self.all_checks()
        self.evidence()
        self.cannot_see()
        self.parts.append("</body></html>")
        chrome = PageChrome(
            title=f"{title} — {self.when_text()}",
            digest_label=tr("SHA-256 of the JSON report: {digest}", digest=self.digest).render(self.lang),
            demo_mark=tr("DEMO").render(self.lang) if self.demo else "",
            lang=self.lang,
        )
        breaking = tr("All checks").render(self.lang) if self.has_rules else ""
        return Document("".join(self.parts), chrome, title, self.figures, tuple(self.headings), breaking)

    # -- sections --------------------------------------------------------------------------------------

    def header(self, title: str) -> None:
        band_right = self.t(tr("sparkgui {version}", version=self.report.version))
        self.parts.append(
            f'<table width="100%" cellspacing="0" cellpadding="10" style="background-color: {ACCENT};">'
            f'<tr><td><span style="color: #ffffff; font-size: 17pt; font-weight: bold;">{esc(title)}</span><br/>'
            f'<span style="color: #c9d6e8; font-size: 9.5pt;">{self.t(tr("Tested on {when}", when=self.when_text()))}'
            "</span></td>"
            f'<td align="right" valign="top"><span style="color: #c9d6e8; font-size: 8pt;">{band_right}</span></td>'
            "</tr></table>"
        )
        if self.demo:
            self.parts.append(
                '<table width="100%" cellspacing="0" cellpadding="6" style="background-color: #b3261e;">'
                '<tr><td align="center"><span style="color: #ffffff; font-size: 11pt; font-weight: bold;">'
                + self.t(tr("DEMO — sample results from a demonstration, not a test of this network."))
                + "</span></td></tr></table>"
            )
        event = self.report.event
        cells = []
        if event is not None:
            cells = [
                (tr("Event"), event.name),
                (tr("Venue"), event.venue),
                (tr("Contact"), event.contact),
                (tr("Attendees expected"), str(event.attendees) if event.attendees else ""),
            ]
        network = self.report.environment.network  # which network IT is asked to change, on the first page
        if network is not None:
            named = [network.ssid or network.interface, network.public_address]
            cells.append((tr("Network tested"), " · ".join(part for part in named if part)))
        shown = [(label, value) for label, value in cells if value]
        if shown:
            # Three to a row, each a third wide: five cells side by side break an e-mail address mid-word.
            rows = "".join(
                "<tr>"
                + "".join(
                    f'<td width="33%"><span style="color: {MUTED}; font-size: 8pt;">{self.t(label).upper()}</span>'
                    f'<br/><span style="font-size: 10.5pt; font-weight: bold;">{unbroken(value)}</span></td>'
                    for label, value in shown[start : start + HEADER_CELLS_PER_ROW]
                )
                + "</tr>"
                for start in range(0, len(shown), HEADER_CELLS_PER_ROW)
            )
            self.parts.append(
                f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-top: 4px;">{rows}</table>'
            )

    def verdict(self) -> None:
        verdict = self.report.verdict
        sentence = verdict_sentence(verdict, self.problems, self.platform)
        wanted = self.report.requirements
        if str(verdict) in ("ready", "ready_with_warnings") and any(r.status == "not_tested" for r in wanted):
            proven = sum(1 for r in wanted if r.status == "met")
            sentence = tr(
                "{verdict} Proven: {proven} of {total} requirements.",
                verdict=sentence,
                proven=proven,
                total=len(wanted),
            )
        mark, colour, background = VERDICT_STYLE[str(verdict)]
        tally = Tally.of((c.status for c in self.checks), (c.cause for c in self.checks))
        tally_line = tally.sentence(self.report.duration_ms / 1000)
        self.parts.append(
            f'<table width="100%" cellspacing="0" cellpadding="12" style="margin-top: 10px; '
            f'background-color: {background}; border-left: 6px solid {colour};">'
            f'<tr><td width="40" valign="middle"><span style="color: {colour}; font-size: 26pt; font-weight: bold;">'
            f"{mark}</span></td>"
            f'<td valign="middle"><span style="color: {colour}; font-size: 15pt; font-weight: bold;">'
            f"{self.t(sentence)}</span><br/>"
            f'<span style="color: {INK}; font-size: 9pt;">{self.t(tally_line)}</span></td></tr></table>'
        )

    def requirements(self) -> None:
        """The platform's requirements one by one: what this run proved, and what is still to test."""
        rows = self.report.requirements
        if not rows:
            return
        self.heading(tr("The platform's requirements"))
        styles = {"met": STATUS_STYLE["pass"], "not_met": STATUS_STYLE["fail"], "not_tested": STATUS_STYLE["skipped"]}
        cells = []
        for row in rows:
            _, colour, _background = styles[row.status]
            action = (
                f'<br/><span style="color: {MUTED}; font-size: 8.5pt;">→ {esc(row.action)}</span>' if row.action else ""
            )
            cells.append(
                f'<tr><td width="20%" valign="top" style="border-bottom: 1px solid '
                f'{RULE_LINE};"><span style="color: {colour}; font-weight: bold; font-size: 9.5pt;">'
                f"{STATUS_MARKS[RequirementStatus(row.status)]} {self.t(status_text(row.status))}</span></td>"
                f'<td valign="top" style="border-bottom: 1px solid {RULE_LINE};">'
                f'<span style="font-size: 10pt;">{esc(row.title)}</span>{action}</td></tr>'
            )
        self.parts.append(
            '<table width="100%" cellspacing="0" cellpadding="5" style="border-collapse: collapse;">'
            + "".join(cells)
            + "</table>"
        )

    def since(self) -> None:
        """What changed since the previous run at this venue (the site visit), when the history knew one."""
        since = self.report.since
        if since is None:
            return
        self.heading(tr("Since the run of {when}", when=local_when_text(since.started_at, self.lang)))
        self.paragraph(
            tr(
                "{fixed}, {broke}, {still}.",
                fixed=trn("{count} fixed", "{count} fixed", len(since.fixed)),
                broke=trn("{count} new problem", "{count} new problems", len(since.broke)),
                still=trn("{count} still to fix", "{count} still to fix", len(since.still)),
            )
        )
        rows = [(FIXED_MARK, tr("fixed"), c) for c in since.fixed] + [(BROKE_MARK, tr("new"), c) for c in since.broke]
        if rows:
            said = {str(check.id): check.summary for check in self.report.checks}  # today's words for each check
            items = "".join(
                f'<li style="margin-bottom: 2px;">{mark} '
                f"{self.t(tr('{state}: {check}', state=word, check=said.get(check_id) or check_id))} "
                f'<span style="font-family: {MONO_FAMILY}; color: {MUTED};">'
                f"{esc(check_id)}{f' ({esc(cause)})' if cause and cause != 'ok' else ''}</span></li>"
                for mark, word, (check_id, cause) in rows[:MAX_SINCE_ROWS]
            )
            self.parts.append(f'<ul style="margin-top: 0px; font-size: 9pt;">{items}</ul>')

    def watch(self) -> None:
        """A round of the event-day watch says so, with what the connection held all along proved."""
        watch = self.report.watch
        if watch is None:
            return
        self.heading(tr("Event-day watch"))
        said = tr(
            "Round {round} of the watch that began on {when}: every check but the long hold was run again.",
            round=watch.round,
            when=local_when_text(watch.started_at, self.lang),
        )
        if watch.held_open is not None:
            cuts = (
                trn("cut {count} time by the network", "cut {count} times by the network", watch.drops)
                if watch.drops
                else tr("never cut by the network")
            )
            held = tr(
                "One live connection has been held open since the watch began: {minutes} min at the longest, {cuts}.",
                minutes=number(watch.longest_s / 60, 0),
                cuts=cuts,
            )
            if watch.requirement_met:
                held = tr(
                    "{held} The {required}-minute requirement is met.",
                    held=held,
                    required=minutes_number(watch.required_s / 60),
                )
            said = tr("{said} {held}", said=said, held=held)
        self.paragraph(said)

    def what_to_change(self) -> None:
        rules = rule_lines(self.problems, proxy=strip_credentials(self.report.environment.route.proxy) or None)
        self.has_rules = bool(rules)
        self.heading(tr("What to change"), accent=VERDICT_STYLE[str(self.report.verdict)][1])
        if not rules:
            open_items = [r for r in self.report.requirements if r.status == "not_tested"]
            if open_items:
                self.paragraph(
                    tr(
                        "Nothing so far: every check that ran passed. Not tested yet: {first}. {action}.",
                        first=open_items[0].title,
                        action=open_items[0].action or tr("Run the check again"),
                    )
                )
                return
            self.paragraph(
                tr("Nothing: every check passed. Keep the allow-list rules below in place until the event is over.")
            )
            return
        self.paragraph(
            tr("Each rule below fixes one or more of the problems found. Apply them to the event's network."),
            muted=True,
        )
        rows = [self.rule_row(index, rule) for index, rule in enumerate(rules, start=1)]
        self.parts.append(
            '<table width="100%" cellspacing="0" cellpadding="6" style="border-collapse: collapse;">'
            + "".join(rows)
            + "</table>"
        )

    def rule_row(self, index: int, line: RuleLine) -> str:
        rule = line.rule
        colour = FAMILY_COLOURS[0] if line.severity is not Status.WARN else FAMILY_COLOURS[1]
        label = self.t(status_word(line.severity))
        findings = "<br/>".join(self.t(f) for f in line.findings if f.template)
        checks = ", ".join(esc(c) for c in line.check_ids)
        return (
            f'<tr><td width="5%" valign="top" style="border-bottom: 1px solid '
            f'{RULE_LINE};"><span style="color: {colour}; font-size: 13pt; font-weight: bold;">{index}</span></td>'
            f'<td width="22%" valign="top" style="border-bottom: 1px solid {RULE_LINE};">'
            f'<span style="color: {colour}; font-weight: bold; font-size: 9pt;">{self.t(rule.label).upper()}</span>'
            f'<br/><span style="color: {MUTED}; font-size: 8pt;">{label}</span></td>'
            f'<td valign="top" style="border-bottom: 1px solid {RULE_LINE};">'
            f'<span style="font-size: 10.5pt; font-weight: bold;">{self.t(rule.action)}</span><br/>'
            f'<span style="color: {MUTED}; font-size: 8.5pt;">{self.t(tr("Found:"))} {findings}</span><br/>'
            f'<span style="color: {MUTED}; font-size: 7.5pt; font-family: {MONO_FAMILY};">{checks}</span>'
            "</td></tr>"
        )

    def allowlist(self) -> None:
        rules = self.report.allowlist
        self.heading(tr("Allow-list for {platform}", platform=self.platform))
        if not rules:
            self.paragraph(tr("The profile lists no allow-list rules."), muted=True)
            return
        self.paragraph(
            tr("The platform needs these rules on the event's network, whatever this test found:"), muted=True
        )
        items = "".join(f'<li style="margin-bottom: 2px;">{esc(rule)}</li>' for rule in rules)
        self.parts.append(f'<ul style="margin-top: 0px; font-size: 10pt;">{items}</ul>')
        hosts = sorted({check.target.host for check in self.checks if check.kind == "dns" and check.target.host})
        if hosts:  # a firewall that takes no wildcard needs the names themselves
            self.paragraph(tr("Host names this test used: {hosts}.", hosts=", ".join(hosts)), muted=True)

    def speed(self) -> None:
        if self.figures is None:
            return
        self.heading(tr("Speed and connection quality"))
        self.parts.append(speed_html(self.figures, self.lang))

    def attendees(self) -> None:
        """Attendees' phones on the guest Wi-Fi, when the organiser showed the QR code during the run."""
        if self.report.attendees is None:
            return
        self.heading(tr("Attendees' phones"))
        self.parts.append(attendees_html(self.report.attendees, self.lang))

    def all_checks(self) -> None:
        # With changes to make, the proof starts on its own page: page 1 is the one to act on.
        self.heading(tr("All checks"), page_break=self.has_rules)
        head = (
            f'<thead><tr style="background-color: #eef0f3;">'
            f'<th width="18%" align="left">{self.t(tr("Result"))}</th>'
            f'<th width="26%" align="left">{self.t(tr("Check"))}</th>'
            f'<th align="left">{self.t(tr("What was found"))}</th></tr></thead>'
        )
        rows = []
        for check in self.checks:
            mark, colour, _background = STATUS_STYLE[str(check.status)]
            word = self.t(status_word(check.status, check.cause))
            subject = SUBJECT_LABELS.get((check.kind, str(check.target)))
            label = self.t(subject or KIND_LABELS[check.kind])
            target = (
                ""
                if subject is not None
                else f'<br/><span style="color: {MUTED}; font-size: 7.5pt; font-family: {MONO_FAMILY};">'
                f"{esc(str(check.target))}</span>"
            )
            rows.append(
                f'<tr><td valign="top" style="border-bottom: 1px solid {RULE_LINE};">'
                f'<span style="color: {colour}; font-weight: bold;">{mark} {word}</span></td>'
                f'<td valign="top" style="border-bottom: 1px solid {RULE_LINE};">{label}{target}</td>'
                f'<td valign="top" style="border-bottom: 1px solid {RULE_LINE};">'
                f"{esc(check.summary)}</td></tr>"
            )
        self.parts.append(
            '<table width="100%" cellspacing="0" cellpadding="4" style="border-collapse: collapse; font-size: 8.5pt;">'
            + head
            + "".join(rows)
            + "</table>"
        )

    def evidence(self) -> None:
        self.heading(tr("Evidence"))
        head = (
            f'<thead><tr style="background-color: #eef0f3;">'
            f'<th align="left">{self.t(tr("Host"))}</th>'
            f'<th align="left">{self.t(tr("DNS: resolver and addresses"))}</th>'
            f'<th align="left">{self.t(tr("Route"))}</th>'
            f'<th align="left">{self.t(tr("Certificate issuer"))}</th>'
            f'<th align="left">{self.t(tr("WebSocket held"))}</th></tr></thead>'
        )
        rows = []
        for host, checks in by_host(self.checks).items():
            cells = [
                f'<span style="font-family: {MONO_FAMILY};">{esc(host)}</span>',
                self.cells.dns(checks),
                self.cells.route(checks),
                self.cells.issuer(checks),
                self.cells.websocket(checks),
            ]
            rows.append(
                "<tr>"
                + "".join(f'<td valign="top" style="border-bottom: 1px solid {RULE_LINE};">{c}</td>' for c in cells)
                + "</tr>"
            )
        self.parts.append(
            '<table width="100%" cellspacing="0" cellpadding="4" style="border-collapse: collapse; font-size: 8pt;">'
            + head
            + "".join(rows)
            + "</table>"
        )
        self.machine()

    def machine(self) -> None:
        report = self.report
        resolvers = ", ".join(report.environment.resolvers) or "—"
        source = f" ({report.profile_source})" if report.profile_source else ""
        if report.profile_version:
            source += ", " + tr("version {version}", version=report.profile_version).render(self.lang)
        if report.profile_digest:
            source += f", SHA-256 {report.profile_digest}"  # whole: IT compares it with the platform's
        facts = [
            (tr("Operating system"), report.environment.os),
            (tr("Tool"), f"sparkgui {report.version}"),
            (tr("Profile"), f"{report.profile_name}{source}"),
            (tr("Network tested"), self.network_text()),
            (tr("DNS resolvers"), resolvers),
            (tr("Route"), self.cells.route_text(None)),
            (tr("Started / finished"), f"{report.started_at or '?'} / {report.finished_at or '?'}"),
        ]
        rows = "".join(
            f'<tr><td width="130" style="color: {MUTED};">{self.t(label)}</td><td>{esc(value)}</td></tr>'
            for label, value in facts
        )
        self.parts.append(
            f'<p style="margin-top: 8px; margin-bottom: 2px; font-weight: bold; font-size: 9.5pt;">'
            f"{self.t(tr('This computer and this run'))}</p>"
            f'<table cellspacing="0" cellpadding="2" style="font-size: 8pt;">{rows}</table>'
        )

    def network_text(self) -> str:
        """The interface, addresses, gateway, Wi-Fi name and public address, as far as they are known."""
        details = network_details(self.report.environment.network)  # beside its label: no "Network tested:" again
        return details.render(self.lang) if details is not None else "—"

    def cannot_see(self) -> None:
        self.heading(tr("What this test cannot see"))
        items = "".join(f'<li style="margin-bottom: 2px;">{self.t(text)}</li>' for text in CANNOT_SEE)
        self.parts.append(f'<ul style="margin-top: 0px; font-size: 9pt;">{items}</ul>')

    # -- helpers ---------------------------------------------------------------------------------------

    def heading(self, text: Text, accent: str = ACCENT, *, page_break: bool = False) -> None:
        top = "page-break-before: always; margin-top: 0px;" if page_break else "margin-top: 16px;"
        self.headings.append(text.render(self.lang))
        self.parts.append(
            f'<table width="100%" cellspacing="0" cellpadding="0" style="{top} margin-bottom: 6px;">'
            f'<tr><td style="border-bottom: 2px solid {accent};">'
            f'<span style="font-size: 13pt; font-weight: bold; color: {accent};">{self.t(text)}</span>'
            "</td></tr></table>"
        )

    def paragraph(self, text: Text, *, muted: bool = False) -> None:
        colour = MUTED if muted else INK
        self.parts.append(f'<p style="margin-top: 2px; margin-bottom: 6px; color: {colour};">{self.t(text)}</p>')

    def when_text(self) -> str:
        return local_when_text(self.report.started_at, self.lang)
