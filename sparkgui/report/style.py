"""The PDF's look, shared by its parts: fonts, colours, the marks of each status, and HTML-safe text."""

from __future__ import annotations

import html
import re

MAX_UNBROKEN = 32  # longer words may be cut: kept whole, they would push the table wider than the page
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Helvetica Neue", "Arial"]  # what QFont and the charts ask for
MONO_FAMILIES = ["DejaVu Sans Mono", "Consolas", "Menlo"]
FONT_FAMILY = ", ".join(FONT_FAMILIES) + ", sans-serif"  # the same, for rich text
MONO_FAMILY = ", ".join(MONO_FAMILIES) + ", monospace"

INK = "#1f2933"
MUTED = "#5f6b7a"
RULE_LINE = "#d5dae1"
ACCENT = "#1d3557"

# status -> (mark, colour, background)
STATUS_STYLE: dict[str, tuple[str, str, str]] = {
    "pass": ("✔", "#1e7b34", "#e6f4ea"),
    "warn": ("⚠", "#8a5a00", "#fff4d6"),
    "fail": ("✖", "#b3261e", "#fde7e5"),
    "skipped": ("–", "#5f6b7a", "#eef0f3"),
    "error": ("!", "#6b2fa3", "#f1e8fa"),
}
VERDICT_STYLE: dict[str, tuple[str, str, str]] = {
    "ready": ("✔", "#1e7b34", "#e6f4ea"),
    "ready_with_warnings": ("⚠", "#8a5a00", "#fff4d6"),
    "not_ready": ("✖", "#b3261e", "#fde7e5"),
    "incomplete": ("?", "#5f6b7a", "#eef0f3"),
}
FAMILY_COLOURS = ("#b3261e", "#8a5a00")  # fail, warn

CREDENTIALS = re.compile(r"^[a-z][a-z0-9+.-]*://[^@/\s]*@|^[^@/\s:]+(:[^@/\s]*)?@", re.IGNORECASE)


def strip_credentials(text: str) -> str:
    """`user:secret@proxy:3128` → `proxy:3128`: the report should never hold them, and the PDF never shows them."""
    return CREDENTIALS.sub(lambda m: m.group(0).split("://")[0] + "://" if "://" in m.group(0) else "", text)


def esc(text: str) -> str:
    """Text made safe inside the PDF's rich-text HTML."""
    return html.escape(text, quote=True)


def unbroken(value: str) -> str:
    """`value` as HTML whose short words (an e-mail address, "Marie-Christine") line breaking must not cut.

    Qt breaks after a hyphen and inside a word too long for its cell ("it-" / "contact@example.o" / "rg");
    words of up to MAX_UNBROKEN characters are kept whole, and a space between digits ("+33 6 12 34 56 78")
    does not break. The characters stay as written, so an address copied from the PDF still works.
    """
    words = re.split(r"(?<![\d+]) | (?!\d)", value)
    return " ".join(
        f'<span style="white-space: nowrap;">{esc(word)}</span>' if 1 < len(word) <= MAX_UNBROKEN else esc(word)
        for word in words
    )
