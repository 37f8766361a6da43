"""The PDF's "Speed and connection quality" section: the capacity verdict in words, the figures, two charts.

The charts are images the PDF renderer draws (`CHARTS`, referenced as `chart:<kind>`); this module only writes
the rich text around them, so it stays Qt-free.
"""

from __future__ import annotations

from sparkgui.core.i18n import Text, number, tr
from sparkgui.core.quality_figures import QualityFigures, capacity_words, latency_words, rate_words
from sparkgui.report.style import INK, MUTED, esc

CHART_WIDTH_PX = 322  # in CSS pixels (1/96 inch): two side by side fill the A4 body
CHART_HEIGHT_PX = 150


def chart_kinds(figures: QualityFigures) -> tuple[str, ...]:
    """The charts this run has data for, in the order they are shown."""
    return tuple(kind for kind, has in (("rates", figures.has_rates), ("round_trips", figures.has_round_trips)) if has)


def speed_lines(figures: QualityFigures) -> list[Text]:
    """The section's sentences: the capacity verdict first, then the speeds, the photo, the round trips."""
    lines = [line for line in (capacity_words(figures), rate_words(figures)) if line is not None]
    if figures.photo_seconds is not None and figures.photo_bytes:
        if figures.photo_size and figures.photo_bytes < figures.photo_size:
            lines.append(
                tr(
                    "One {size} MB photo did not finish uploading: {moved} MB in {seconds} s.",
                    size=number(figures.photo_size / 1e6, 1),
                    moved=number(figures.photo_bytes / 1e6, 1),
                    seconds=number(figures.photo_seconds, 1),
                )
            )
        else:
            lines.append(
                tr(
                    "One {size} MB photo took {seconds} s to upload.",
                    size=number(figures.photo_bytes / 1e6, 1),
                    seconds=number(figures.photo_seconds, 1),
                )
            )
    latency = latency_words(figures)
    if latency is not None:
        lines.append(latency)
    return lines


def speed_html(figures: QualityFigures, lang: str) -> str:
    """The section's body (its heading is the builder's): the lines, then the charts side by side."""
    lines = speed_lines(figures)
    parts = []
    for index, line in enumerate(lines):
        weight = "bold" if index == 0 and figures.attendees_carried is not None else "normal"
        parts.append(
            f'<p style="margin-top: 1px; margin-bottom: 3px; color: {INK}; font-weight: {weight};">'
            f"{esc(line.render(lang))}</p>"
        )
    note = tr("Measured from this computer to the platform's probe, through the route the checks used.")
    parts.append(
        f'<p style="margin-top: 0px; margin-bottom: 2px; color: {MUTED}; font-size: 8pt;">{esc(note.render(lang))}</p>'
    )
    size = f'width="{CHART_WIDTH_PX}" height="{CHART_HEIGHT_PX}"'
    cells = "".join(
        f'<td width="50%" valign="top"><img src="chart:{kind}" {size}/></td>' for kind in chart_kinds(figures)
    )
    if cells:
        parts.append(
            f'<table width="100%" cellspacing="0" cellpadding="2" style="margin-top: 4px;"><tr>{cells}</tr></table>'
        )
    # One row around it all: the pagination keeps a row on one page, so the figures stay with their words
    return f'<table width="100%" cellspacing="0" cellpadding="0"><tr><td>{"".join(parts)}</td></tr></table>'
