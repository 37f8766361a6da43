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
