"""The window's plain-Python parts: grouping, evidence lines, the countdown, the verdict sentence, the IT text."""

from __future__ import annotations

import datetime as dt

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed, passed, warned
from sparkgui.core.i18n import tr
from sparkgui.core.it_summary import it_summary
from sparkgui.core.model import CheckInfo, CheckRecord, Verdict
from sparkgui.core.runner import RunOutcome
from sparkgui.core.verdict_text import verdict_sentence
from sparkgui.ui.countdown import countdown_of
from sparkgui.ui.evidence_text import evidence_lines, humanise
from sparkgui.ui.groups import group_for
from tests.support import Ep, make_profile


def _record(kind: str, target: str, result: object) -> CheckRecord:
    return CheckRecord(CheckInfo(kind, target, (), tr("Check {target}", target=target)), result)  # type: ignore[arg-type]


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


def test_countdown_needs_both_integer_params() -> None:
    hold = countdown_of(tr("Holding", elapsed_s=135, remaining_s=465))
    assert hold is not None and hold.clock == "7:45" and hold.fraction == 135 / 600
    assert countdown_of(tr("Holding", elapsed_s=1)) is None
    assert countdown_of(tr("Holding", elapsed_s="1", remaining_s=2)) is None
    assert countdown_of(tr("Holding", elapsed_s=True, remaining_s=2)) is None


def test_verdict_sentence_names_the_problem() -> None:
    ws = _record("ws", "wss://a/ws", failed(Cause.WS_UPGRADE_REJECTED, tr("x"), tr("y")))
    tcp = _record("tcp", "a:443", failed(Cause.TCP_TIMEOUT, tr("x"), tr("y")))
    warn = _record("tls", "a", warned(Cause.TLS_INTERCEPTED, tr("x"), tr("y")))
    ok = _record("dns", "a", passed(tr("x")))
    assert str(verdict_sentence(Verdict.NOT_READY, [ok, ws], "Sparkup")) == "Not ready: WebSockets are blocked."
    assert verdict_sentence(Verdict.NOT_READY, [tcp, ws], "Sparkup").render("fr") == (
        "Pas prêt\u00a0: le pare-feu bloque les connexions à Sparkup, et 1 autre problème à régler."
    )
    assert str(verdict_sentence(Verdict.READY_WITH_WARNINGS, [ok, warn, warn], "Sparkup")) == (
        "Ready for Sparkup, with 2 warnings."
    )
    assert str(verdict_sentence(Verdict.READY, [ok], "Sparkup")) == "This network is ready for Sparkup."


def test_it_summary_leads_with_what_to_change_and_the_allow_list() -> None:
    now = dt.datetime(2025, 5, 1, 9, 30, tzinfo=dt.UTC)
    tcp = _record("tcp", "a.test:443", failed(Cause.TCP_REFUSED, tr("Refused."), tr("Allow TCP 443.")))
    outcome = RunOutcome((_record("dns", "a.test", passed(tr("Resolved."))), tcp), False, now, now, 1500)
    text = it_summary(outcome, make_profile([Ep("a.test", 443)]), "en", ("192.0.2.53",))
    assert text.splitlines()[:5] == [
        "Network check for Test platform (sparkgui)",
        "Not ready: the firewall blocks connections to Test platform.",
        "1 passed, 0 warnings, 1 failed, 0 skipped (1.5 s).",
        "Checked at 2025-05-01 09:30 (UTC), profile test.toml.",
        "DNS servers used: 192.0.2.53.",
    ]
    assert "- [FAIL] Check a.test:443 (tcp:a.test:443, tcp.refused)\n  Refused.\n  → Allow TCP 443." in text
    assert "Allow-list rules for Test platform:\n- *.test — TCP 443 (HTTPS and WebSocket)" in text
    assert "PASS  dns:a.test: Resolved." in text
