"""The PDF's logic without rendering: file names, rules per cause, event handling, French texts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sparkgui.core.causes import Cause
from sparkgui.core.dates import local_when_text as format_when
from sparkgui.core.event import EventInfo
from sparkgui.core.ids import Target
from sparkgui.core.problems import Rule, RuleLine, problems_of, rule_lines
from sparkgui.core.report import with_event
from sparkgui.report.content import build_document
from sparkgui.report.model import ReportCheck
from sparkgui.report.naming import default_file_name
from sparkgui.report.style import strip_credentials as _strip_credentials


@pytest.mark.parametrize(
    ("platform", "venue", "ext", "expected"),
    [
        ("Sparkup", "Palais des Congrès", "pdf", "Sparkup_Palais-des-Congres_2025-03-14_0905.pdf"),
        ("Sparkup", None, ".json", "Sparkup_2025-03-14_0905.json"),
        ("Spark/up", "  Hall B: «Main» / 2 ", "PDF", "Spark-up_Hall-B-Main-2_2025-03-14_0905.pdf"),
        ("ÉÉ", "東京", "pdf", "EE_2025-03-14_0905.pdf"),
        ("", "", "pdf", "sparkgui_2025-03-14_0905.pdf"),
        ("Sparkup", "Straße der Ærø, Łódź", "pdf", "Sparkup_Strasse-der-AEro-Lodz_2025-03-14_0905.pdf"),
    ],
)
def test_default_file_name(platform: str, venue: str | None, ext: str, expected: str) -> None:
    assert default_file_name(platform, venue, dt.datetime(2025, 3, 14, 9, 5), ext) == expected


def test_a_demo_file_says_demo_in_its_name() -> None:
    name = default_file_name("Sparkup", "Palais", dt.datetime(2025, 3, 14, 9, 5), "pdf", demo=True)
    assert name == "DEMO_Sparkup_Palais_2025-03-14_0905.pdf"


def test_default_file_name_is_bounded() -> None:
    name = default_file_name("P" * 300, "V" * 300, dt.datetime(2025, 3, 14), "pdf")
    assert len(name) < 110


KIND_OF_FAMILY = {
    "http": "https",
    "net": "quality",
    "host": "tls",
    "internal": "dns",
    "mystery": "dns",
    "skipped": "dns",
}


def _check(cause: str, target: str = "app.sparkup.app", status: str = "fail", **evidence: Any) -> dict[str, Any]:
    kind = KIND_OF_FAMILY.get(cause.split(".")[0], cause.split(".")[0])
    return {"id": f"{kind}:{target}", "kind": kind, "target": target, "status": status, "cause": cause,
            "summary": f"{cause} happened", "remedy": "ask IT", "evidence": evidence}  # fmt: skip


def _parsed(check: dict[str, Any]) -> ReportCheck:
    parsed = ReportCheck.parse(check)
    assert parsed is not None
    return parsed


def rule_text(check: dict[str, Any], proxy: str | None = None) -> tuple[Any, Any]:
    """(label, action) of the one problem a failed check makes, as the PDF renders it."""
    rule: Rule = problems_of([_parsed(check).finding])[0].rule(proxy)
    return rule.label, rule.action


def rules_for(checks: list[dict[str, Any]]) -> list[RuleLine]:
    return rule_lines(problems_of(_parsed(check).finding for check in checks))


@pytest.mark.parametrize("cause", [c for c in Cause if c is not Cause.OK and not c.startswith("skipped.")])
def test_every_cause_code_has_a_concrete_rule(cause: Cause) -> None:
    family, action = rule_text(_check(str(cause)))
    assert family.render("en") != "Other"
    assert action.render("en") and "{" not in action.render("en")


def test_rules_name_host_port_and_setting() -> None:
    assert "TCP 8443 to app.sparkup.app" in rule_text(_check("tcp.refused", "app.sparkup.app:8443"))[1].render()
    assert "*.sparkup.app" in rule_text(_check("http.blocked", "app.sparkup.app"))[1].render()
    intercepted = rule_text(_check("tls.intercepted", status="warn"))[1].render()
    assert "Exempt app.sparkup.app (TCP 443) from TLS inspection" in intercepted
    ws = rule_text(_check("ws.idle_timeout", "wss://probe.sparkup.app/ws", idle_s=120))[1].render()
    assert "probe.sparkup.app (TCP 443)" in ws and "at least 10 minutes" in ws and "after 120 s" in ws
    assert "without authentication" in rule_text(_check("proxy.auth_required"))[1].render()
    unreachable = rule_text(_check("proxy.unreachable"), proxy="proxy.venue:3128")[1].render("fr")
    assert "proxy.venue:3128" in unreachable and "joignable" in unreachable


def test_unknown_cause_falls_back_to_its_family_then_to_the_remedy() -> None:
    assert rule_text(_check("dns.brand_new"))[0].render() == "DNS"
    family, action = rule_text(_check("mystery.thing"))
    assert family.render() == "Other" and action.render() == "ask IT"


def test_rules_merge_identical_ones_and_put_failures_first() -> None:
    checks = [
        _check("tls.intercepted", "a.sparkup.app", status="warn"),
        _check("http.blocked", "a.sparkup.app"),
        _check("http.blocked", "b.sparkup.app"),  # same rule: allow *.sparkup.app
        {**_check("dns.nxdomain"), "status": "skipped"},
    ]
    rules = rules_for(checks)
    assert [r.severity for r in rules] == ["fail", "warn"]
    assert rules[0].check_ids == ("https:a.sparkup.app", "https:b.sparkup.app")


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("app.sparkup.app", ("app.sparkup.app", 443)),
        ("app.sparkup.app:8443", ("app.sparkup.app", 8443)),
        ("wss://probe.sparkup.app/ws", ("probe.sparkup.app", 443)),
        ("ws://probe.sparkup.app:8080/ws", ("probe.sparkup.app", 8080)),
    ],
)
def test_target_of(target: str, expected: tuple[str, int]) -> None:
    parsed = Target.parse("tls", target)
    assert (parsed.host, parsed.port) == expected and parsed.label == target


def test_event_is_normalised_and_only_given_fields_are_kept() -> None:
    event = EventInfo("  Spring\nSummit ", "", "x" * 500)
    assert event.name == "Spring Summit" and len(event.contact) == 200
    assert event.as_json() == {"name": "Spring Summit", "contact": "x" * 200}
    assert EventInfo.from_options(None, "", None) is None
    assert EventInfo.from_json({"venue": "Hall B"}) == EventInfo(venue="Hall B")


def test_with_event_replaces_or_removes_it() -> None:
    report = {"schema": "s", "started_at": "t", "event": {"name": "old"}}
    assert with_event(report, EventInfo("new"))["event"] == {"name": "new"}
    assert list(with_event(report, EventInfo("new"))) == ["schema", "event", "started_at"]
    assert "event" not in with_event(report, None)
    assert report["event"] == {"name": "old"}  # the given dict is not changed


def test_dates_are_written_for_people() -> None:
    iso = dt.datetime(2025, 3, 14, 9, 5, tzinfo=dt.UTC).isoformat()
    assert "March 2025" in format_when(iso, "en") and "mars 2025" in format_when(iso, "fr")
    assert format_when("not a date", "en") == "not a date"


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("http://alice:s3cret@proxy.venue:3128", "http://proxy.venue:3128"),
        ("alice:s3cret@proxy.venue:3128", "proxy.venue:3128"),
        ("proxy.venue:3128", "proxy.venue:3128"),
    ],
)
def test_credentials_are_stripped_from_proxy_text(given: str, shown: str) -> None:
    assert _strip_credentials(given) == shown


def test_report_text_is_escaped() -> None:
    report = {"profile": {"name": "<b>x</b>", "allowlist": ["<script>"]}, "checks": [], "verdict": "ready"}
    html = build_document(report, lang="en", digest="0" * 64).html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;x&lt;/b&gt;" in html


def test_two_reports_in_one_minute_keep_both_files(tmp_path: Path) -> None:
    from sparkgui.report.naming import free_path

    assert free_path(tmp_path, "Sparkup_Palais_2026-12-03_1042.pdf").name == "Sparkup_Palais_2026-12-03_1042.pdf"
    (tmp_path / "Sparkup_Palais_2026-12-03_1042.pdf").write_bytes(b"%PDF")
    (tmp_path / "Sparkup_Palais_2026-12-03_1042_2.pdf").write_bytes(b"%PDF")
    assert free_path(tmp_path, "Sparkup_Palais_2026-12-03_1042.pdf").name == "Sparkup_Palais_2026-12-03_1042_3.pdf"
