"""Units of logic in the core: verdicts, translation rendering, resolver options, error classification."""

from __future__ import annotations

import errno
import json
import subprocess
import sys

import pytest

from sparkgui.core.causes import Cause
from sparkgui.core.checks.base import Check, passed
from sparkgui.core.context import CheckScope, NetworkSettings, RunContext
from sparkgui.core.events import RecordingSink
from sparkgui.core.i18n import Text, render, system_language, tr
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckRecord, CheckResult, Status, Verdict, verdict_of
from sparkgui.core.net.connector import Outcome, classify_error, interleave
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.runner import Run
from tests.support import Ep, make_profile, run


def _record(status: Status) -> CheckRecord:
    return CheckRecord(CheckInfo(CheckId.dns(status.value)), CheckResult(status, Cause.DNS_TIMEOUT, Text("s")))


@pytest.mark.parametrize(
    ("statuses", "verdict"),
    [
        ([Status.PASS, Status.SKIPPED], Verdict.READY),
        ([Status.PASS, Status.WARN], Verdict.READY_WITH_WARNINGS),
        ([Status.WARN, Status.FAIL], Verdict.NOT_READY),
        ([Status.FAIL, Status.ERROR], Verdict.INCOMPLETE),
    ],
)
def test_verdict(statuses: list[Status], verdict: Verdict) -> None:
    assert verdict_of([_record(s) for s in statuses]) is verdict


def test_cancelled_run_is_incomplete() -> None:
    assert verdict_of([_record(Status.PASS)], cancelled=True) is Verdict.INCOMPLETE


def test_text_renders_nested_params_and_survives_a_broken_translation() -> None:
    inner = tr("DNS lookup of {host}", host="a.test")
    outer = tr("Not run because “{prerequisite}” did not pass.", prerequisite=inner)
    assert str(outer) == "Not run because “DNS lookup of a.test” did not pass."
    assert render("{a} and {b}", {"a": 1, "b": 2}) == "1 and 2"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "fr_FR.UTF-8"}, "fr"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANGUAGE": "fr:en"}, "fr"),
        ({}, "en"),
        ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),  # C wins, as gettext has it
        ({"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}, "fr"),  # the first language we have in the list
        ({"LC_ALL": "en_US.UTF-8", "LANGUAGE": "fr"}, "fr"),  # LANGUAGE comes first
        ({"LANGUAGE": "en:fr", "LANG": "fr_FR.UTF-8"}, "en"),
    ],
)
def test_system_language(env: dict[str, str], lang: str) -> None:
    assert system_language(env) == lang


def test_resolver_option_parsing() -> None:
    assert ResolverConfig.parse(["192.0.2.53"]) == ResolverConfig(("192.0.2.53",), 53)
    assert ResolverConfig.parse(["127.0.0.1:5353"]) == ResolverConfig(("127.0.0.1",), 5353)
    assert ResolverConfig.parse(["[::1]:5300"]) == ResolverConfig(("::1",), 5300)
    assert ResolverConfig.parse(["2001:db8::53"]) == ResolverConfig(("2001:db8::53",), 53)
    with pytest.raises(ValueError, match="not an IP address"):
        ResolverConfig.parse(["dns.example"])
    with pytest.raises(ValueError, match="invalid port"):
        ResolverConfig.parse(["127.0.0.1:99999"])
    assert ResolverConfig.parse(["127.0.0.1:5353", "127.0.0.2:5353"]).port == 5353
    with pytest.raises(ValueError, match="different ports"):
        ResolverConfig.parse(["127.0.0.1:5353", "127.0.0.2"])
    with pytest.raises(ValueError, match="never closes"):
        ResolverConfig.parse(["[::1"])


def test_error_classification() -> None:
    assert classify_error(ConnectionRefusedError()) is Outcome.REFUSED
    assert classify_error(TimeoutError()) is Outcome.TIMEOUT
    assert classify_error(OSError(errno.ENETUNREACH, "unreachable")) is Outcome.UNREACHABLE
    assert classify_error(OSError(errno.EHOSTUNREACH, "no route")) is Outcome.UNREACHABLE
    assert classify_error(OSError(errno.EPERM, "odd")) is Outcome.ERROR


def test_interleave_starts_with_the_first_family() -> None:
    assert interleave(["::1", "::2", "10.0.0.1", "10.0.0.2"]) == ["::1", "10.0.0.1", "::2", "10.0.0.2"]
    assert interleave(["10.0.0.1", "::1", "::2"]) == ["10.0.0.1", "::1", "::2"]


class _Broken(Check):
    async def run(self, scope: CheckScope) -> CheckResult:
        raise RuntimeError("boom")


class _Fine(Check):
    async def run(self, scope: CheckScope) -> CheckResult:
        scope.progress(0.5, tr("half way"))
        return passed(tr("fine"))


def test_a_check_that_crashes_is_an_error_not_a_crash_and_its_dependents_are_skipped() -> None:
    checks = [
        _Broken(CheckInfo(CheckId.dns("a"), (), tr("Broken check"))),
        _Fine(CheckInfo(CheckId.tcp("a", 443), (CheckId.dns("a"),))),
        _Fine(CheckInfo(CheckId.dns("b"))),
    ]
    sink = RecordingSink()
    context = RunContext(make_profile([Ep("a.test", 443)]), NetworkSettings())
    outcome = run(Run(checks, context, sink).execute())
    records: dict[str, CheckResult] = {r.id: r.result for r in outcome.records}
    assert records["dns:a"].status is Status.ERROR and records["dns:a"].cause == Cause.INTERNAL_ERROR
    assert "boom" in records["dns:a"].evidence["message"]
    assert records["tcp:a:443"].status is Status.SKIPPED and "Broken check" in str(records["tcp:a:443"].summary)
    assert records["dns:b"].status is Status.PASS
    assert outcome.verdict is Verdict.INCOMPLETE
    assert ("check_progress", ("dns:b", 0.5, "half way")) in sink.events


def test_plan_must_be_consistent() -> None:
    context = RunContext(make_profile([Ep("a.test", 443)]), NetworkSettings())
    with pytest.raises(ValueError, match="requires unplanned"):
        Run([_Fine(CheckInfo(CheckId.tcp("a", 443), (CheckId.dns("a"),)))], context)


def test_core_does_not_import_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, sparkgui.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'sparkgui.core.'): importlib.import_module(m.name)\n"
        "import sparkgui.cli.headless\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'shiboken6', 'qasync')))\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_bug_in_a_run_exits_4_with_the_traceback_for_support(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sparkgui.cli.headless as headless
    from sparkgui.cli.main import main

    def broken(_args: object) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(headless, "run_headless", broken)
    assert main(["--headless", "--demo", "ready"]) == 4  # "internal error", never 1 ("ready, with warnings")
    err = capsys.readouterr().err
    assert "RuntimeError: a bug" in err and "internal error" in err


def test_text_that_is_not_utf8_still_makes_a_valid_report() -> None:
    from sparkgui.core.report import _jsonable, dumps

    hostile = {"location": "/\udcff\udcfe", "nested": ["PROXY a:1; \ud800"]}
    data = dumps({"evidence": _jsonable(hostile), "summary": "cut \udc80"})
    assert json.loads(data.decode("utf-8"))["evidence"] == {"location": "/??", "nested": ["PROXY a:1; ?"]}


def test_typed_text_loses_terminal_escapes_and_direction_marks() -> None:
    from sparkgui.core.event import EventInfo

    event = EventInfo("\x1b]0;pwned\x07Gala", "Palais\u202edes\u2066 Congrès", "a@b.c\x1b[31m")
    assert (event.name, event.venue, event.contact) == ("]0;pwnedGala", "Palaisdes Congrès", "a@b.c[31m")


def test_a_long_cname_chain_is_followed_as_stub_resolvers_do_and_a_loop_is_named() -> None:
    import dns.message
    import dns.rrset
    import pytest

    from sparkgui.core.net.resolver import CnameChainError, chained_addresses

    def answer(links: list[tuple[str, str]], final: str | None) -> dns.message.QueryMessage:
        query = dns.message.make_query("app.test.", "A")
        response = dns.message.make_response(query)
        for name, target in links:
            response.answer.append(dns.rrset.from_text(name, 60, "IN", "CNAME", target))
        if final is not None:
            response.answer.append(dns.rrset.from_text(links[-1][1] if links else "app.test.", 60, "IN", "A", final))
        assert isinstance(response, dns.message.QueryMessage)
        return response

    chain = [("app.test." if i == 0 else f"c{i}.cdn.test.", f"c{i + 1}.cdn.test.") for i in range(20)]
    assert chained_addresses(answer(chain, "192.0.2.7")) == ("192.0.2.7",)  # 20 links: dnspython stops at 16
    assert chained_addresses(answer([], "192.0.2.8")) == ("192.0.2.8",)
    assert chained_addresses(answer(chain[:3], None)) == ()  # no address at its end: no answer
    with pytest.raises(CnameChainError, match="loops"):
        chained_addresses(answer([("app.test.", "b.test."), ("b.test.", "app.test.")], None))
