"""One meaning per result, through the real CLI and the real PDF content: one root cause is one problem,
failures come before warnings everywhere, and a checker error has one word and one count."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from sparkgui.report.content import build_document
from tests.integration.test_cli import _cli_against, sparkgui
from tests.servers.tls_servers import LoopbackPki
from tests.support import Ep, minimal_report, profile_toml, run, validate_report


@pytest.fixture
def silent_resolver() -> Iterator[str]:
    """A UDP port on loopback that takes DNS queries and never answers: a dead resolver."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        yield f"127.0.0.1:{sock.getsockname()[1]}"


def test_one_dead_resolver_is_one_problem(tmp_path: Path, silent_resolver: str) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_text(profile_toml([Ep("app.test", 443), Ep("studio.test", 443)]), encoding="utf-8")
    code, out, err = run(
        sparkgui("--headless", "--profile", str(profile), "--resolver", silent_resolver, "--json", "-")
    )
    assert code == 2, err
    report = json.loads(out)
    validate_report(report)
    assert "Not ready: the venue's DNS does not find Test platform.\n" in err  # not "…and 1 more problem"
    dns_checks = [c["id"] for c in report["checks"] if c["kind"] == "dns"]
    assert [(p["cause"], p["family"], p["checks"]) for p in report["problems"]] == [("dns.timeout", "dns", dns_checks)]


def test_failures_come_before_warnings_in_the_terminal_summary(tmp_path: Path, pki: LoopbackPki) -> None:
    # app.test comes first in the plan and only warns (its issuer is not the expected one); closed.test fails.
    code, out, err = run(
        _cli_against(tmp_path, pki, [("app.test", "ok"), ("closed.test", "refused")], "--json", "-",
                     expected_issuers=["Amazon"])
    )  # fmt: skip
    assert code == 2, err
    summary = err[err.index("What to ask the venue's IT:") :]
    assert summary.index("[tcp.refused]") < summary.index("[tls.intercepted]"), summary
    report = json.loads(out)
    assert [p["severity"] for p in report["problems"]] == ["fail", "warn"]
    assert report["problems"][0]["rule"]["action"].startswith("Allow outgoing TCP")


def _report_with_a_checker_error() -> dict[str, object]:
    check = {"status": "pass", "cause": "ok", "summary": "Fine.", "remedy": "", "evidence": {}, "duration_ms": 1}
    return minimal_report(
        profile={"name": "Sparkup", "source": "sparkup.toml"},
        started_at="2025-05-01T09:30:00+00:00",
        finished_at="2025-05-01T09:30:02+00:00",
        duration_ms=2000,
        verdict="incomplete",
        checks=[
            {**check, "id": "dns:app.sparkup.app", "kind": "dns", "target": "app.sparkup.app"},
            {
                **check,
                "id": "tcp:app.sparkup.app:443",
                "kind": "tcp",
                "target": "app.sparkup.app:443",
                "status": "error",
                "cause": "internal.error",
                "summary": "The checker itself failed.",
            },
        ],
    )


def test_a_checker_error_has_one_word_and_its_own_count_in_the_pdf() -> None:
    document = build_document(_report_with_a_checker_error(), lang="en", digest="0" * 64)
    assert "Checker error" in document.html  # the word the window's card uses, not "Error"
    assert ">! Error<" not in document.html
    assert "1 passed, 0 warnings, 0 failed, 0 not run (2.0 s). Checker errors: 1." in document.html
