"""Evidence (a JSON-ready dict of technical facts) as readable lines for the details of a check."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sparkgui.core.i18n import tr

MAX_VALUE_CHARS = 400  # a certificate chain or a page body must not flood the window


def evidence_lines(evidence: Mapping[str, Any], lang: str = "en") -> list[tuple[str, str]]:
    """(label, value) pairs: nested records become one line each, lists of plain values are joined."""
    lines: list[tuple[str, str]] = []
    for key, value in evidence.items():
        label = humanise(str(key))
        if isinstance(value, list | tuple) and value and all(isinstance(v, Mapping) for v in value):
            for index, item in enumerate(value, start=1):
                lines.append((f"{label} {index}", _inline(item, lang)))
        else:
            lines.append((label, _inline(value, lang)))
    return lines


def humanise(key: str) -> str:
    """`elapsed_ms` -> `elapsed (ms)`; `connected_to` -> `connected to`."""
    for suffix, unit in (("_ms", "ms"), ("_s", "s")):
        if key.endswith(suffix):
            return f"{key[: -len(suffix)].replace('_', ' ')} ({unit})"
    return key.replace("_", " ")


def _inline(value: Any, lang: str) -> str:
    if isinstance(value, Mapping):
        text = ", ".join(f"{humanise(str(k))}: {_inline(v, lang)}" for k, v in value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        text = ", ".join(_inline(v, lang) for v in value) if value else "—"
    elif value is None or value == "":
        text = "—"
    elif isinstance(value, bool):
        text = (tr("yes") if value else tr("no")).render(lang)
    else:
        text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"
