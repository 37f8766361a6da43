"""The window's plain-Python parts: grouping, evidence lines, the countdown, the verdict sentence, the IT text."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator

import pytest

from sparkgui.app.it_text import it_text
from sparkgui.app.session import RunRequest, SessionOutcome
from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed, passed, warned
from sparkgui.core.context import NetworkSettings
from sparkgui.core.i18n import tr
from sparkgui.core.model import Countdown, RunOutcome, Verdict
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.presentation import verdict_sentence
from sparkgui.core.problems import problems_of
from sparkgui.ui.evidence_text import evidence_lines, humanise
from sparkgui.ui.groups import group_for
from tests.support import Ep, make_profile, record


def test_checks_are_grouped_for_a_person_and_unknown_kinds_are_not_lost() -> None:
    assert [group_for(k).key for k in ("dns", "ipv6", "tcp", "https", "tls", "proxy", "ws", "ws-hold", "quality")] == [
        "internet", "internet", "firewall", "firewall", "secure", "proxy", "live", "live", "quality",
    ]  # fmt: skip
    assert group_for("something-new").key == "other"


def test_evidence_reads_as_lines() -> None:
    lines = evidence_lines(
        {"addresses": ["192.0.2.1", "2001:db8::1"], "elapsed_ms": 12, "queries": [{"type": "A", "ms": 3}],
         "hijack": "", "tls": {"issuer": "Amazon"}, "ok": True},
        "fr",
    )  # fmt: skip
    assert lines == [
        ("addresses", "192.0.2.1, 2001:db8::1"),
        ("elapsed (ms)", "12"),
        ("queries 1", "type: A, ms: 3"),
        ("hijack", "—"),
        ("tls", "issuer: Amazon"),
        ("ok", "oui"),
    ]
    assert humanise("after_s") == "after (s)"
    assert len(evidence_lines({"body": "x" * 5000})[0][1]) <= 400


def test_countdown_reads_as_a_kitchen_timer() -> None:
    hold = Countdown(135, 465)
    assert hold.clock == "7:45" and hold.fraction == 135 / 600
    assert Countdown(0, 0).fraction == 1.0 and Countdown(5, -3).clock == "0:00"


def test_verdict_sentence_names_the_problem() -> None:
    ws = record("ws", "wss://a/ws", failed(Cause.WS_UPGRADE_REJECTED, tr("x"), tr("y")))
    tcp = record("tcp", "a:443", failed(Cause.TCP_TIMEOUT, tr("x"), tr("y")))
    warn = record("tls", "a", warned(Cause.TLS_INTERCEPTED, tr("x"), tr("y")))
    other_warn = record("ipv6", "a", warned(Cause.IPV6_BROKEN, tr("x"), tr("y")))
    ok = record("dns", "a", passed(tr("x")))
    assert str(verdict_sentence(Verdict.NOT_READY, problems_of([ok, ws]), "Sparkup")) == (
        "Not ready: WebSockets are blocked."
    )
    assert verdict_sentence(Verdict.NOT_READY, problems_of([tcp, ws]), "Sparkup").render("fr") == (
        "Pas prêt\u00a0: le pare-feu bloque les connexions à Sparkup, et 1 autre problème à régler."
    )
    assert str(verdict_sentence(Verdict.READY_WITH_WARNINGS, problems_of([ok, warn, other_warn]), "Sparkup")) == (
        "Ready for Sparkup, with 2 problems to look at, the first: the network inspects secure connections "
        "(TLS inspection)."
    )
    assert str(verdict_sentence(Verdict.READY_WITH_WARNINGS, problems_of([ok, other_warn]), "Sparkup")) == (
        "Ready for Sparkup, with 1 problem to look at: IPv6 connections to Sparkup fail (IPv4 works)."
    )
    assert str(verdict_sentence(Verdict.READY, problems_of([ok]), "Sparkup")) == "This network is ready for Sparkup."


@pytest.fixture
def paris_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This process's local time is Paris's (the organiser's), and back to what it was afterwards."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("paris_time")
def test_it_summary_leads_with_what_to_change_and_the_allow_list() -> None:
    now = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.UTC)
    tcp = record("tcp", "a.test:443", failed(Cause.TCP_REFUSED, tr("Refused."), tr("Allow TCP 443.")))
    outcome = RunOutcome((record("dns", "a.test", passed(tr("Resolved."))), tcp), False, now, now, 1500)
    network = NetworkSettings(resolvers=ResolverConfig(("192.0.2.53",)))
    session = SessionOutcome.of(RunRequest(make_profile([Ep("a.test", 443)]), network), outcome, network, None)
    text = it_text(session, "en")
    assert text.splitlines()[:5] == [
        "Network check for Test platform (sparkgui)",
        "Not ready: the firewall blocks connections to Test platform.",
        "1 passed, 0 warnings, 1 failed, 0 not run (1.5 s).",
        "Checked on 1 May 2025, 11:30 (UTC+02:00), profile test.toml.",
        "DNS servers used: 192.0.2.53.",
    ]
    assert "- [FAIL] Check a.test:443 (tcp:a.test:443, tcp.refused)\n  Refused.\n  → Allow TCP 443." in text
    assert "Allow-list rules for Test platform:\n- *.test — TCP 443 (HTTPS and WebSocket)" in text
    assert "PASS  dns:a.test: Resolved." in text


def test_copy_for_it_lists_failures_before_warnings_with_a_rule_per_problem() -> None:
    now = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.UTC)
    warn = record("tls", "a.test", warned(Cause.TLS_INTERCEPTED, tr("Inspected."), tr("Exempt it.")))
    fail = record("tcp", "b.test:443", failed(Cause.TCP_REFUSED, tr("Refused."), tr("Allow TCP 443.")))
    outcome = RunOutcome((warn, fail), False, now, now, 1500)  # the warning comes first in the plan
    network = NetworkSettings(resolvers=ResolverConfig(("192.0.2.53",)))
    profile = make_profile([Ep("a.test", 443), Ep("b.test", 443)])
    text = it_text(SessionOutcome.of(RunRequest(profile, network), outcome, network, None), "en")
    change = text[text.index("What to change:") : text.index("All results:")]
    assert change.index("[FAIL]") < change.index("[WARN]")
    assert "  ⇒ Firewall: Allow outgoing TCP 443 to b.test" in change
    assert "  ⇒ TLS inspection: Exempt a.test (TCP 443) from TLS inspection" in change


def test_a_group_whose_checks_failed_of_a_problem_filed_elsewhere_says_they_failed() -> None:
    from sparkgui.core.checks.base import skipped
    from sparkgui.ui.groups import group_note

    tcp = [record("tcp", f"{host}:443", failed(Cause.PROXY_AUTH_REQUIRED, tr("x"), tr("y"))) for host in "ab"]
    ipv6 = [record("ipv6", f"{host}:443", skipped(Cause.SKIPPED_PREREQUISITE, tr("z"))) for host in "ab"]
    members = [(r.info, r) for r in (*tcp, *ipv6)]
    note = group_note(group_for("tcp"), members, problems_of([*tcp, *ipv6]))
    assert note is not None and str(note) == "2 failed, 2 not run: see the problem under “Proxy”"
    assert note.render("fr") == "2 échecs, 2 non effectuées\u00a0: voir le problème sous «\u00a0Proxy\u00a0»"
    discovery = record("proxy", "discovery", passed(tr("no proxy")))
    proxy = group_note(group_for("proxy"), [(discovery.info, discovery)], problems_of([*tcp, *ipv6, discovery]))
    assert str(proxy) == "1 problem to look at: it stopped the checks under “Firewall (HTTPS 443)”"  # as shown


def test_the_capacity_rule_names_the_figure_it_needs() -> None:
    evidence = {"needed_bps": 15_000_000, "limited_by": "download", "download_bps": 2_999_883}
    capacity = record("quality", "capacity", warned(Cause.NET_LOW_BANDWIDTH, tr("x"), tr("y"), evidence))
    rule = problems_of([capacity])[0].rule()
    assert "at least 15 Mbit/s of download (measured: 3.0 Mbit/s)." in rule.action.render("en")
    assert "au moins 15 Mbit/s en réception (mesuré\u00a0: 3,0 Mbit/s)." in rule.action.render("fr")


def test_a_link_short_both_ways_names_both_figures() -> None:
    evidence = {
        "needed_bps": 30_000_000, "limited_by": "download", "download_bps": 3_000_000, "upload_bps": 3_000_000,
        "needed_download_bps": 30_000_000, "needed_upload_bps": 8_400_000,
    }  # fmt: skip
    capacity = record("quality", "capacity", warned(Cause.NET_LOW_BANDWIDTH, tr("x"), tr("y"), evidence))
    rule = problems_of([capacity])[0].rule()
    assert "at least 30 Mbit/s of download and 8.4 Mbit/s of upload (measured: 3.0 and 3.0 Mbit/s)" in str(rule.action)


def test_a_note_names_the_firewall_group_as_its_header_shows_it() -> None:
    from sparkgui.ui.groups import _title_seen

    tcp = record("tcp", "app.test:8443", failed(Cause.TCP_REFUSED, tr("refused"), tr("allow")))
    assert str(_title_seen(group_for("tcp"), problems_of([tcp]))) == "Firewall (HTTPS 8443)"
