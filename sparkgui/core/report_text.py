"""Copy for IT from a kept run: the plain-text summary, made from its JSON report alone.

A run from the history is only its report (the engine's objects are long gone), so this reads the report
the way the PDF does, in the language the report was made in, with the same parts as the window's Copy
for IT: the verdict, when and where, the requirements, what to change, the allow-list rules, every result.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from sparkgui.core.dates import local_when_text
from sparkgui.core.i18n import tr
from sparkgui.core.model import Status
from sparkgui.core.presentation import status_tag, tag_width
from sparkgui.core.requirements import requirement_line
from sparkgui.core.tested_network import NetworkIdentity, network_sentence

VERDICT_LINES = {
    "ready": tr("Ready: every check passed."),
    "ready_with_warnings": tr("Ready, with warnings: see what to change below."),
    "not_ready": tr("Not ready: see what to change below."),
    "incomplete": tr("Incomplete: the check did not finish."),
}


def report_text(report: Mapping[str, Any]) -> str:
    """The summary of a kept report, in its own language, ending with a newline."""
    lang = str(report.get("language") or "en")
    profile = report.get("profile") or {}
    platform = str(profile.get("name") or "?")
    lines: list[str] = []
    if report.get("demo"):
        lines += [tr("DEMO (simulated venue): nothing below describes a real network.").render(lang), ""]
    lines.append(tr("Network check for {platform} (sparkgui)", platform=platform).render(lang))
    verdict = VERDICT_LINES.get(str(report.get("verdict")))
    if verdict is not None:
        lines.append(verdict.render(lang))
    when = local_when_text(str(report.get("finished_at") or report.get("started_at") or ""), lang)
    source = profile_file_name(str(profile.get("source") or "")) or platform
    lines.append(tr("Checked on {when}, profile {profile}.", when=when, profile=source).render(lang))
    event = report.get("event") or {}
    if event.get("venue") or event.get("name"):
        lines.append(" · ".join(str(event[key]) for key in ("name", "venue") if event.get(key)))
    environment = report.get("environment") or {}
    network = _identity(environment.get("network") or {})
    sentence = network_sentence(network)
    if sentence is not None:
        lines.append(sentence.render(lang))
    resolvers = [str(r) for r in environment.get("resolvers") or []]
    if resolvers:
        lines.append(tr("DNS servers used: {resolvers}.", resolvers=", ".join(resolvers)).render(lang))
    requirements = report.get("requirements") or []
    if requirements:
        lines += ["", tr("The platform's requirements:").render(lang)]
        for item in requirements:
            line = requirement_line(str(item.get("title", "")), str(item.get("status")), item.get("action"))
            lines.append(f"  {line.render(lang)}")
    checks = {str(c.get("id")): c for c in report.get("checks") or []}
    problems = report.get("problems") or []
    if problems:
        lines += ["", tr("What to change:").render(lang)]
        for problem in problems:
            for check_id in problem.get("checks") or []:
                check = checks.get(str(check_id), {})
                tag = status_tag(Status(str(check.get("status", "fail"))), str(check.get("cause", "")), lang)
                lines.append(f"- [{tag}] {check_id} ({check.get('cause', problem.get('cause'))})")
                lines.append(f"  {check.get('summary', '')}")
                if check.get("remedy"):
                    lines.append(f"  → {check['remedy']}")
            rule = problem.get("rule") or {}
            if rule:
                said = tr("{label}: {action}", label=str(rule.get("label", "")), action=str(rule.get("action", "")))
                lines.append(f"  ⇒ {said.render(lang)}")
    rules = [str(rule) for rule in profile.get("allowlist") or []]
    if rules:
        lines += ["", tr("Allow-list rules for {platform}:", platform=platform).render(lang)]
        lines += [f"- {rule}" for rule in rules]
    lines += ["", tr("All results:").render(lang)]
    width = tag_width(lang)
    for check_id, check in checks.items():
        tag = status_tag(Status(str(check.get("status", "error"))), str(check.get("cause", "")), lang)
        lines.append(f"{tag:<{width}} {check_id}: {check.get('summary', '')}")
    return "\n".join(lines) + "\n"


def profile_file_name(source: str) -> str:
    """The profile by its file name only: a full local path says more about this laptop than IT needs."""
    if source.startswith(("bundled:", "published:", "cache:")):
        return source
    return PurePath(source.replace("\\", "/")).name


def _identity(network: Mapping[str, Any]) -> NetworkIdentity:
    return NetworkIdentity(
        str(network.get("interface") or ""),
        tuple(str(a) for a in network.get("addresses") or ()),
        str(network.get("gateway") or ""),
        str(network.get("ssid") or ""),
        str(network.get("public_address") or ""),
    )
