"""A check with nothing to test here (no IPv6 address) reads "Not applicable", and is not counted as not run."""

from __future__ import annotations

from sparkgui.core.model import Status
from sparkgui.core.presentation import Tally, status_word
from sparkgui.report.content import build_document


def _report() -> dict[str, object]:
    def check(kind: str, status: str, cause: str) -> dict[str, object]:
        return {"id": f"{kind}:a.test", "kind": kind, "target": "a.test", "status": status, "cause": cause,
                "summary": "…", "remedy": "", "evidence": {}, "duration_ms": 1}  # fmt: skip

    return {
        "schema": "sparkgui.report/1", "tool": {"name": "sparkgui", "version": "0"},
        "profile": {"name": "P", "source": "p.toml"}, "demo": False, "started_at": "2026-12-01T09:00:00+00:00",
        "finished_at": "2026-12-01T09:00:05+00:00", "duration_ms": 5600, "verdict": "ready",
        "environment": {"os": "x", "route": {"mode": "direct", "proxy": None}, "resolvers": []},
        "checks": [check("dns", "pass", "ok"), check("ipv6", "skipped", "skipped.not_applicable")],
    }  # fmt: skip


def test_not_applicable_is_its_own_word_and_count_in_both_languages() -> None:
    assert status_word(Status.SKIPPED, "skipped.not_applicable").render("fr") == "Sans objet"
    assert status_word(Status.SKIPPED, "skipped.prerequisite").render("en") == "Not run"
    tally = Tally.of([Status.PASS, Status.SKIPPED], ["ok", "skipped.not_applicable"])
    assert tally.skipped == 0 and tally.not_applicable == 1
    assert tally.sentence(5.6).render("en") == "1 passed, 0 warnings, 0 failed, 0 not run, 1 not applicable (5.6 s)."
    strip = "Passed: 1 · Warnings: 0 · Failed: 0 · Not run: 0 · Not applicable: 1 · took 5.6 s"
    assert tally.strip(5.6).render("en") == strip  # the duration last, never between two counts
    assert (
        tally.sentence(5.6).render("fr")
        == "1 réussie, 0 avertissement, 0 échec, 0 non effectuée, 1 sans objet (5,6 s)."
    )


def test_the_pdf_says_not_applicable_and_counts_it_apart() -> None:
    html = build_document(_report(), lang="en", digest="0" * 64).html
    assert "Not applicable" in html and "1 not applicable (5.6 s)" in html
    french = build_document(_report(), lang="fr", digest="0" * 64).html
    assert "Sans objet" in french and "(5,6 s)" in french
