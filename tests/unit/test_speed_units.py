"""The speed tests' logic: when they are planned, how the rate is sampled and judged stable, how the probe's
own samples are read (and refused when they make no sense), and the attendee arithmetic."""

from __future__ import annotations

import pytest

from sparkgui.core.checks.speed_check import CapacityCheck
from sparkgui.core.net.throughput import Measurement, RateMeter, RateSample, _probe_samples
from sparkgui.core.plan import PlanOptions, PlanPart, plan_checks
from sparkgui.core.profile import CapacitySpec, load_bundled_profile, parse_profile
from sparkgui.core.quality_figures import mbit

BARE = 'schema = 1\nname = "x"\n[[endpoint]]\nhost = "a.example"\n[[endpoint]]\nhost = "p.example"\nprobe = true\n'


def planned(text: str, part: PlanPart = PlanPart.FULL) -> list[str]:
    profile = parse_profile(text.encode(), source="p.toml")
    return [str(check.info.id) for check in plan_checks(profile, PlanOptions(part=part))]


def test_speed_checks_are_planned_only_with_capacity_and_only_in_a_full_run() -> None:
    speed = ["quality:download", "quality:upload", "quality:photo_upload", "quality:capacity"]
    assert all(name in planned(BARE + "[capacity]\n") for name in speed)
    assert not any(name in planned(BARE) for name in speed)
    # A watch's quick rounds never move tens of megabytes every few minutes.
    assert not any(name in planned(BARE + "[capacity]\n", PlanPart.QUICK) for name in speed)
    bundled = [str(check.info.id) for check in plan_checks(load_bundled_profile())]
    assert all(name in bundled for name in speed)
    assert bundled.index("quality:latency") < bundled.index("quality:download")  # one measurement at a time


def test_the_meter_samples_each_interval_and_waits_for_the_minimum_time() -> None:
    meter = RateMeter(began=0.0)
    for step in range(1, 41):  # 10 s at a steady 8 Mbit/s: 250 KB every quarter second
        meter.feed(step * 250_000, now=step * 0.25)
        if step * 0.25 < 3.0:
            assert not meter.stable()
    assert meter.stable() and meter.rate() == pytest.approx(8e6)
    assert len(meter.samples) == 40


def test_a_rate_still_climbing_is_not_stable() -> None:
    meter = RateMeter(began=0.0)
    total, per_interval = 0, 100_000.0
    for step in range(1, 41):  # 10 % more each half second: a window that is still opening
        per_interval *= 1.1**0.5
        total += int(per_interval)
        meter.feed(total, now=step * 0.25)
    assert not meter.stable()


def test_the_median_leaves_out_the_first_interval() -> None:
    samples = (RateSample(0.25, 1e6), RateSample(0.5, 10e6), RateSample(0.75, 10e6), RateSample(1.0, 11e6))
    measured = Measurement("download", 1_000_000, 1.0, samples, "time")
    assert measured.median_bps == 10e6
    evidence = measured.evidence()
    assert evidence["median_bps"] == 10_000_000 and evidence["samples"][0] == [0.25, 1_000_000]


@pytest.mark.parametrize(
    "raw",
    [None, "x", [[0, 0]], [[0, 0], [250, "many"]], [[0, 0], [250, 100], [200, 200]], [[0, 0], [250, 100], [500, 50]]],
    ids=["none", "text", "one-point", "not-numbers", "time-backwards", "bytes-backwards"],
)
def test_the_probes_samples_are_refused_when_they_make_no_sense(raw: object) -> None:
    assert _probe_samples(raw) == ()


def test_the_probes_samples_become_interval_rates() -> None:
    assert _probe_samples([[0, 0], [250, 250_000], [500, 500_000]]) == (RateSample(0.25, 8e6), RateSample(0.5, 8e6))


def test_one_attendee_needs_the_live_features_and_a_share_of_the_peaks_photos() -> None:
    spec = CapacitySpec(download_kbps_per_attendee=50, upload_kbps_per_attendee=8, photo_bytes=3_000_000)
    down, up = CapacityCheck.__new__(CapacityCheck), None
    down.spec = spec
    need_down, need_up = down.needs_bps()
    assert need_down == 50_000
    # 5 photos a minute per 100 attendees: 0.05 photo, 3 MB, over 60 s, per attendee, on top of 8 kbit/s.
    assert need_up == pytest.approx(8_000 + 0.05 * 3_000_000 * 8 / 60)
    assert up is None


def test_rates_read_as_people_read_them() -> None:
    assert (mbit(850_000).render("en"), mbit(4_250_000).render("en"), mbit(30_000_000).render("en")) == (
        "0.85",
        "4.2",
        "30",
    )
    assert mbit(4_250_000).render("fr") == "4,2"
