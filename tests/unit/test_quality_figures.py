"""The figures the charts and the words are drawn from: read from the checks' evidence, robust to missing or
odd values (a report from another version, a check that did not run), and said in words in both languages."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sparkgui.core.event import EventInfo
from sparkgui.core.quality_figures import capacity_words, figures_of, latency_words, rate_words
from sparkgui.report.speed_section import chart_kinds, speed_html, speed_lines

EVIDENCE: dict[str, dict[str, Any]] = {
    "quality:download": {"median_bps": 12_400_000, "samples": [[0.25, 11e6], [0.5, 12.4e6], ["x", 1]]},
    "quality:upload": {"median_bps": 3_000_000, "samples": [[0.25, 3e6]]},
    "quality:photo_upload": {"bytes": 3_000_000, "seconds": 8.2},
    "quality:capacity": {"attendees_carried": 59, "attendees_expected": 300},
    "quality:latency": {
        "latency_ms": 42.0,
        "p95_ms": 61.5,
        "jitter_ms": 3.2,
        "loss_ratio": 0.05,
        "rtt_samples_ms": [40.0, 42.0, "bad", 61.5],
    },
}


def test_figures_are_read_from_the_evidence_and_odd_values_are_left_out() -> None:
    figures = figures_of(EVIDENCE)
    assert figures is not None
    assert figures.download_samples == ((0.25, 11e6), (0.5, 12.4e6))  # the malformed point is dropped
    assert figures.rtt_samples_ms == (40.0, 42.0, 61.5)
    assert (figures.attendees_carried, figures.attendees_expected, figures.photo_seconds) == (59, 300, 8.2)
    assert chart_kinds(figures) == ("rates", "round_trips")


def test_no_quality_checks_no_figures() -> None:
    assert figures_of({"dns:a.example": {"addresses": ["192.0.2.1"]}}) is None
    assert figures_of({"quality:download": {"median_bps": True}}) is None  # a boolean is not a rate


def test_the_words_in_english_and_french() -> None:
    figures = figures_of(EVIDENCE)
    assert figures is not None
    capacity, rates, latency = capacity_words(figures), rate_words(figures), latency_words(figures)
    assert capacity is not None and rates is not None and latency is not None
    assert capacity.render("en") == "Not enough for 300 attendees: this link carries about 59."
    assert capacity.render("fr") == "Pas assez pour 300 participants\u00a0: ce lien en porte environ 59."
    assert rates.render("en") == "Download 12 Mbit/s, upload 3.0 Mbit/s."
    half = rate_words(replace(figures, upload_bps=None))
    assert half is not None and half.render("en") == "Download 12 Mbit/s, upload not measured."
    assert half.render("fr") == "Réception 12 Mbit/s, émission non mesurée."
    assert latency.render("en") == "Round trips 42 ms (95% within 62 ms), jitter 3.2 ms, 5% lost."
    assert latency.render("fr").startswith("Allers-retours 42 ms") and "3,2 ms" in latency.render("fr")
    lines = [line.render("en") for line in speed_lines(figures)]
    assert lines[0].startswith("Not enough") and "One 3.0 MB photo took 8.2 s to upload." in lines
    # A photo that did not finish is never said to have "taken" what moved.
    unfinished = figures_of({**EVIDENCE, "quality:photo_upload": {"bytes": 2_000_000, "seconds": 5.4,
                                                                  "photo_size_bytes": 3_000_000}})  # fmt: skip
    assert unfinished is not None
    lines = [line.render("en") for line in speed_lines(unfinished)]
    assert "One 3.0 MB photo did not finish uploading: 2.0 MB in 5.4 s." in lines


def test_the_pdf_section_references_its_charts_and_escapes_nothing_unsafe() -> None:
    figures = figures_of(EVIDENCE)
    assert figures is not None
    html = speed_html(figures, "en")
    assert 'src="chart:rates"' in html and 'src="chart:round_trips"' in html
    assert "Measured from this computer to the platform's probe" in html.replace("&#x27;", "'")


def test_attendees_are_part_of_the_event_and_bad_counts_are_dropped() -> None:
    event = EventInfo("Forum", attendees=300)
    assert event.as_json() == {"name": "Forum", "attendees": 300}
    assert EventInfo.from_json({"attendees": 300}) == EventInfo(attendees=300)
    assert EventInfo.from_json({"attendees": -4}) is None and EventInfo.from_json({"attendees": "many"}) is None
    assert EventInfo(attendees=10**9).attendees is None


def test_an_audience_is_said_rounded_down_never_more_than_measured() -> None:
    from sparkgui.core.quality_figures import about

    assert [about(n) for n in (59, 100, 794, 999, 1549)] == [59, 100, 790, 990, 1500]
