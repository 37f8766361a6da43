"""Rendering texts: words that came from outside (an error message, a summary read back from a report) are
shown as they are, even with braces, instead of crashing the renderer (found by the fuzz test)."""

from __future__ import annotations

from sparkgui.core.i18n import Text, tr


def test_verbatim_text_with_braces_renders_as_is() -> None:
    for words in ("{", "}", "{host}", "a {0} b", "{{x}}"):
        assert Text(words).render() == words
        assert Text(words).render("fr") == words


def test_verbatim_text_inside_a_template_renders_as_is() -> None:
    assert tr("Finding: {finding}", finding=Text("{broken")).render() == "Finding: {broken"


def test_network_text_in_a_sentence_loses_terminal_escapes_and_direction_marks() -> None:
    issuer = "Evil\x1b]0;PWNED\x07\x1b[41mRED\u202eesrever"
    said = tr("The certificate comes from {issuer}.", issuer=issuer).render("en")
    assert "\x1b" not in said and "\x07" not in said and "\u202e" not in said
    assert said.startswith("The certificate comes from Evil") and "esrever" in said
    assert "\x1b" not in Text("verbatim \x1b[2J summary").render("fr")


def test_a_comparison_prints_no_escape_from_a_report() -> None:
    from sparkgui.core.history.compare import compare

    check = {"id": "tls:app.test:443", "status": "warn", "cause": "tls.intercepted"}
    before = {"started_at": "2026-12-01T10:00:00+00:00", "checks": [{**check, "evidence": {"issuer": "A"}}]}
    after = {
        "started_at": "2026-12-02T10:00:00+00:00",
        "checks": [{**check, "summary": "from \x1b[41mB", "evidence": {"issuer": "B\x1b]0;x\x07\u202e"}}],
    }
    lines = compare(before, after).lines("fr")
    assert lines and not any(mark in line for line in lines for mark in ("\x1b", "\x07", "\u202e"))
    assert any("(émetteur du certificat)\u00a0:" in line for line in lines), lines
