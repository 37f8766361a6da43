"""The test link page speaks the browser's language: Accept-Language with its weights, or `?lang=`."""

from __future__ import annotations

import pytest

from sparkgui.probe.page_texts import page_language


@pytest.mark.parametrize(
    ("header", "asked", "language"),
    [
        ("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7", "", "fr"),
        ("en-GB,en;q=0.9,fr;q=0.8", "", "en"),
        ("de-DE,de;q=0.9,fr;q=0.5", "", "fr"),  # the best language the page speaks
        ("de-DE,de;q=0.9", "", "en"),
        ("fr;q=0.2,en;q=0.8", "", "en"),
        ("fr-CA", "", "fr"),
        ("", "", "en"),
        ("fr;q=abc,en", "", "en"),
        ("en", "fr", "fr"),
        ("fr", "de", "fr"),  # an unknown ?lang= is ignored
    ],
)
def test_the_page_language(header: str, asked: str, language: str) -> None:
    assert page_language(header, asked) == language
