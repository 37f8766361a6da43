"""The cause catalogue and the problems built on it: every cause has one entry, and several checks that
share a root cause are one problem, filed under its family, failures first."""

from __future__ import annotations

import pytest

from sparkgui.core.catalogue import CATALOGUE, Family, LocalFix, Severity, entry_for_code
from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import failed, passed, skipped, warned
from sparkgui.core.i18n import tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckRecord, CheckResult, Status
from sparkgui.core.problems import problems_of, rule_lines
from sparkgui.ui.groups import filed_under


def _record(check_id: CheckId, result: CheckResult) -> CheckRecord:
    return CheckRecord(CheckInfo(check_id), result)


def _fail(check_id: CheckId, cause: Cause) -> CheckRecord:
    return _record(check_id, failed(cause, tr("found"), tr("fix")))


def test_every_cause_has_exactly_one_entry_that_says_what_to_do() -> None:
    assert set(CATALOGUE) == set(Cause)
    for cause, entry in CATALOGUE.items():
        assert entry.cause is cause
        if entry.is_problem:
            assert entry.phrase is not None and entry.rule is not None, cause
        else:
            assert cause is Cause.OK or cause.startswith("skipped."), cause


def test_a_newer_cause_code_gets_its_familys_entry_and_a_stranger_none() -> None:
    brand_new = entry_for_code("dns.brand_new")
    assert brand_new is not None and brand_new.family is Family.DNS
    assert entry_for_code("mystery.thing") is None


def test_one_dead_resolver_is_one_problem_whatever_the_number_of_names() -> None:
    records = [_fail(CheckId.dns(host), Cause.DNS_TIMEOUT) for host in ("a.sparkup.app", "b.sparkup.app")]
    (problem,) = problems_of(records)
    assert problem.family is Family.DNS and problem.check_ids == tuple(r.id for r in records)
    assert "a.sparkup.app, b.sparkup.app" in problem.rule().action.render()


def test_a_proxy_sign_in_is_one_problem_filed_under_the_proxy() -> None:
    records = [
        _fail(CheckId.tcp("a.sparkup.app", 443), Cause.PROXY_AUTH_REQUIRED),
        _fail(CheckId.tcp("b.sparkup.app", 443), Cause.PROXY_AUTH_REQUIRED),
        _record(CheckId.tls("a.sparkup.app", 443), skipped(Cause.SKIPPED_PREREQUISITE, tr("not run"))),
    ]
    (problem,) = problems_of(records)
    assert problem.local_fix is LocalFix.SIGN_IN and filed_under(problem).key == "proxy"


def test_different_domains_or_hosts_stay_different_problems() -> None:
    refused = [_fail(CheckId.tcp(host, 443), Cause.TCP_REFUSED) for host in ("a.sparkup.app", "b.other.app")]
    assert len(problems_of(refused)) == 2
    expired = [_fail(CheckId.tls(host, 443), Cause.TLS_EXPIRED) for host in ("a.sparkup.app", "b.sparkup.app")]
    assert len(problems_of(expired)) == 2  # one host's certificate says nothing of another's


def test_failures_come_first_and_identical_rules_are_one_line() -> None:
    records = [
        _record(CheckId.tls("a.sparkup.app", 443), warned(Cause.TLS_INTERCEPTED, tr("x"), tr("y"))),
        _fail(CheckId.dns("a.sparkup.app"), Cause.DNS_NXDOMAIN),
        _fail(CheckId.dns("a.sparkup.app:8443"), Cause.DNS_SERVFAIL),
        _record(CheckId.dns("ok.sparkup.app"), passed(tr("fine"))),
    ]
    problems = problems_of(records)
    assert [(p.code, p.severity) for p in problems] == [
        ("dns.nxdomain", Status.FAIL),
        ("dns.servfail", Status.FAIL),
        ("tls.intercepted", Status.WARN),
    ]
    lines = rule_lines(problems)
    assert [line.severity for line in lines] == [Status.FAIL, Status.FAIL, Status.WARN]


@pytest.mark.parametrize("cause", [c for c in Cause if CATALOGUE[c].severity is not Severity.NONE])
def test_every_problem_cause_renders_a_rule_in_both_languages(cause: Cause) -> None:
    (problem,) = problems_of([_fail(CheckId.ws("wss://probe.sparkup.app/ws"), cause)])
    rule = problem.rule("proxy.venue:3128")
    for lang in ("en", "fr"):
        assert rule.action.render(lang) and "{" not in rule.action.render(lang)
        assert problem.phrase("Sparkup").render(lang)
