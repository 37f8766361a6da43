"""Text people typed or a profile carries, made safe to print: no terminal escapes, no direction marks."""

from __future__ import annotations

# Terminal escapes (ESC, BEL…) and the marks that reverse the direction of text: typed or pasted, they would
# recolour a terminal, retitle its window or turn "Venue" into "euneV" in a report.
_CONTROLS = dict.fromkeys(
    [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
     *range(0x2066, 0x206A)]
)  # fmt: skip


def plain_text(text: str) -> str:
    """`text` without control characters or direction marks (tabs and line ends stay, as spaces elsewhere)."""
    return text.translate(_CONTROLS)
