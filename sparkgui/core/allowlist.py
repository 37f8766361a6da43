"""Allow-list rules as data: rendered in the reader's language, and exported as CSV or JSON for firewall consoles.

A rule is what the venue's IT types into a firewall or a proxy: a host pattern, a port, a protocol, and the
two settings live sessions need (an idle timeout long enough, no TLS inspection).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from sparkgui.core.i18n import Text, tr
from sparkgui.core.profile import AllowRule, Profile

SCHEMA = "sparkgui.allowlist/1"
CSV_COLUMNS = ("host", "port", "protocol", "direction", "idle_timeout_s", "no_tls_inspection", "purpose")


def rule_text(rule: AllowRule) -> Text:
    """The rule in one sentence, as IT reads it."""
    from sparkgui.core.requirements import duration_text

    base = tr(
        "{host} — {protocol} {port} outgoing (HTTPS and WebSocket)",
        host=rule.host,
        protocol=rule.protocol.upper(),
        port=rule.port,
    )
    settings: list[Text] = []
    if rule.idle_timeout_s:
        settings.append(tr("idle timeout of at least {duration}", duration=duration_text(rule.idle_timeout_s)))
    if rule.no_inspection:
        settings.append(tr("no TLS inspection"))
    if not settings:
        return base
    if len(settings) == 1:
        return tr("{rule}; {setting}", rule=base, setting=settings[0])
    return tr("{rule}; {first}; {second}", rule=base, first=settings[0], second=settings[1])


def rule_json(rule: AllowRule, lang: str = "en") -> dict[str, Any]:
    """The rule as the report's `profile.allow` and the JSON export hold it."""
    return {
        "host": rule.host,
        "port": rule.port,
        "protocol": rule.protocol,
        "direction": "outgoing",
        "purpose": rule.purpose,
        "idle_timeout_s": _whole(rule.idle_timeout_s),
        "no_tls_inspection": rule.no_inspection,
        "text": rule_text(rule).render(lang),
    }


def rule_texts(profile: Profile, lang: str = "en") -> list[str]:
    """Every rule in words: the structured ones, then the profile's free-text ones.

    Rules derived from the endpoints are shown only when the profile wrote none in words: they would repeat them.
    """
    structured = profile.allow_rules or (() if profile.allowlist else profile.allow)
    return [rule_text(rule).render(lang) for rule in structured] + note_texts(profile, lang)


def note_texts(profile: Profile, lang: str) -> list[str]:
    """The profile's free-text notes, as written, or in `lang` when the catalogue knows them (the bundled ones)."""
    return [Text(note).render(lang) for note in profile.allowlist]


def rules_csv(profile: Profile) -> str:
    """The rules as CSV, one row per rule, the columns firewall import tools map (host, port, protocol…)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rule in profile.allow:
        idle = f"{rule.idle_timeout_s:g}" if rule.idle_timeout_s else ""
        inspection = "yes" if rule.no_inspection else "no"
        writer.writerow([rule.host, rule.port, rule.protocol, "outgoing", idle, inspection, _cell(rule.purpose)])
    return buffer.getvalue()


def _whole(seconds: float) -> float | int:
    """600, not 600.0: what a firewall console's import expects of a whole number of seconds."""
    return int(seconds) if float(seconds).is_integer() else seconds


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: a cell starting with = + - @ (or a tab, a return) would be a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _hosts(profile: Profile) -> list[str]:
    names = {endpoint.host for endpoint in profile.endpoints}
    if profile.websocket is not None and profile.websocket.host:
        names.add(profile.websocket.host)
    return sorted(names)


def rules_document(profile: Profile, lang: str = "en") -> str:
    """The rules as a JSON document of their own (`sparkgui.allowlist/1`)."""
    document = {
        "schema": SCHEMA,
        "platform": profile.name,
        "rules": [rule_json(rule, lang) for rule in profile.allow],
        "notes": note_texts(profile, lang),
        "hosts": _hosts(profile),  # the names themselves, for consoles that take no wildcard (added in 0.4)
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
