"""The speed and latency figures of a run, in one place, for the window's charts and the PDF's.

Read from the checks' evidence (`quality:download`, `quality:upload`, `quality:photo_upload`,
`quality:capacity`, `quality:latency`), so a run on screen, a report file and a run from the history give the
same pictures. Qt-free: the painters live with the front ends.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sparkgui.core.i18n import Number, Text, number, tr

Point = tuple[float, float]  # (seconds since the transfer's first byte, bit/s)


def mbit(bps: float) -> Number:
    """A rate in Mbit/s as people read it: 0.85, 4.2, 30, 240."""
    value = bps / 1e6
    return number(value, 2 if value < 1 else 1 if value < 10 else 0)


@dataclass(frozen=True)
class QualityFigures:
    """What the speed and latency checks measured; a field is None (or empty) when its check did not."""

    download_bps: float | None = None
    upload_bps: float | None = None
    download_samples: tuple[Point, ...] = ()
    upload_samples: tuple[Point, ...] = ()
    photo_seconds: float | None = None
    photo_bytes: int | None = None  # what moved
    photo_size: int | None = None  # the photo's size: more than what moved when it did not finish
    latency_ms: float | None = None
    p95_ms: float | None = None
    jitter_ms: float | None = None
    loss_ratio: float | None = None
    rtt_samples_ms: tuple[float, ...] = ()
    attendees_carried: int | None = None
    attendees_expected: int | None = None

    @property
    def has_rates(self) -> bool:
        """Whether a speed was measured, so a rate chart has something to draw."""
        return bool(self.download_samples or self.upload_samples)

    @property
    def has_round_trips(self) -> bool:
        """Whether round trips were measured."""
        return bool(self.rtt_samples_ms)


def figures_of(evidence: Mapping[str, Mapping[str, Any]]) -> QualityFigures | None:
    """The figures from each check's evidence, by check id; None when no speed or latency was measured."""
    down, up = evidence.get("quality:download", {}), evidence.get("quality:upload", {})
    photo, capacity = evidence.get("quality:photo_upload", {}), evidence.get("quality:capacity", {})
    latency = evidence.get("quality:latency", {})
    figures = QualityFigures(
        download_bps=_number(down.get("median_bps")),
        upload_bps=_number(up.get("median_bps")),
        download_samples=_points(down.get("samples")),
        upload_samples=_points(up.get("samples")),
        photo_seconds=_number(photo.get("seconds")) if _whole(photo.get("bytes")) else None,
        photo_bytes=_whole(photo.get("bytes")),
        photo_size=_whole(photo.get("photo_size_bytes")),
        latency_ms=_number(latency.get("latency_ms")),
        p95_ms=_number(latency.get("p95_ms")),
        jitter_ms=_number(latency.get("jitter_ms")),
        loss_ratio=_number(latency.get("loss_ratio")),
        rtt_samples_ms=tuple(v for v in (_number(x) for x in _list(latency.get("rtt_samples_ms"))) if v is not None),
        attendees_carried=_whole(capacity.get("attendees_carried")),
        attendees_expected=_whole(capacity.get("attendees_expected")),
    )
    if not (figures.has_rates or figures.has_round_trips or figures.download_bps or figures.upload_bps):
        return None
    return figures


def about(count: int) -> int:
    """An audience size as people say it, rounded down so it never claims more: 59, 790 (of 794), 1500."""
    step = 1 if count < 100 else 10 if count < 1000 else 100
    return count // step * step


def capacity_words(figures: QualityFigures) -> Text | None:
    """The capacity verdict in a line: enough for the audience or not, and what the link carries."""
    carried, expected = figures.attendees_carried, figures.attendees_expected
    if carried is None:
        return None
    if expected is None:
        return tr("This link carries about {count} attendees.", count=about(carried))
    if carried >= expected:
        return tr(
            "Enough for {expected} attendees: this link carries about {count}.", expected=expected, count=about(carried)
        )
    return tr(
        "Not enough for {expected} attendees: this link carries about {count}.", expected=expected, count=about(carried)
    )


def rate_words(figures: QualityFigures) -> Text | None:
    """The measured speeds in a line."""
    if figures.download_bps is None and figures.upload_bps is None:
        return None
    return tr("Download {down}, upload {up}.", down=_mbit(figures.download_bps), up=_mbit(figures.upload_bps))


def latency_words(figures: QualityFigures) -> Text | None:
    """The round trips in a line: the median, the 95th percentile, the jitter and the loss."""
    if figures.latency_ms is None:
        return None
    return tr(
        "Round trips {median} ms (95% within {p95} ms), jitter {jitter} ms, {loss}% lost.",
        median=number(figures.latency_ms, 0),
        p95=number(figures.p95_ms or figures.latency_ms, 0),
        jitter=number(figures.jitter_ms or 0.0, 1),
        loss=number((figures.loss_ratio or 0.0) * 100, 0),
    )


def _mbit(bps: float | None) -> Text:
    """`30 Mbit/s`, or `not measured`: the unit belongs to the number, not to the sentence."""
    return tr("not measured") if bps is None else tr("{rate} Mbit/s", rate=mbit(bps))


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0 else None


def _whole(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _points(raw: object) -> tuple[Point, ...]:
    points = []
    for item in _list(raw):
        if isinstance(item, list | tuple) and len(item) == 2:
            at, rate = _number(item[0]), _number(item[1])
            if at is not None and rate is not None:
                points.append((at, rate))
    return tuple(points)
