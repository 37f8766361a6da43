"""Capacity in the lab: the real CLI measures the speed to the real probe through the router. A link the
router polices with nftables to about 2 Mbit/s cannot carry 300 attendees (`net.low_bandwidth`, the remedy
naming the figure); the unpoliced link carries 10 without a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lab import topology as topo
from tests.lab.expect import expect
from tests.lab.lab import Lab

pytestmark = pytest.mark.lab

HOSTS = topo.PLATFORM_HOSTS[:2]  # the app and the probe
CAPACITY = """
[capacity]
download_kbps_per_attendee = 50
upload_kbps_per_attendee = 8
photo_bytes = 150000
photos_per_minute_per_100 = 5
max_seconds = 4
max_bytes = 20000000
"""
POLICED_KBYTES = 250  # per second, both directions together: about 2 Mbit/s


def capacity_profile(lab: Lab) -> Path:
    path = lab.write_profile(HOSTS, name="lab-capacity.toml")
    text = path.read_text().replace(
        f'host = "{topo.PROBE_HOST.name}"', f'host = "{topo.PROBE_HOST.name}"\nprobe = true', 1
    )
    path.write_text(text + CAPACITY)
    return path


def test_a_policed_link_cannot_carry_the_audience(lab: Lab) -> None:
    # Policing, as an ISP's or a venue's rate limit does: what goes over the rate is dropped, TCP backs off.
    lab.firewall(f"meta l4proto tcp limit rate over {POLICED_KBYTES} kbytes/second burst 64 kbytes drop")
    run = lab.run_sparkgui(capacity_profile(lab), "--attendees", "300", timeout=90)
    expect(run, "not_ready", failures={"quality:capacity": "net.low_bandwidth"})  # under half the audience
    checks = run.checks
    down = checks["quality:download"]["evidence"]["median_bps"]
    assert down <= 1.2 * POLICED_KBYTES * 8000, down  # the measurement saw the limit, not the veth's speed
    capacity = checks["quality:capacity"]
    assert capacity["evidence"]["attendees_carried"] < 300 and capacity["evidence"]["attendees_expected"] == 300
    assert "Mbit/s of download for the event" in capacity["remedy"] or "Mbit/s of upload" in capacity["remedy"]


def test_an_unpoliced_link_carries_a_small_audience_without_a_warning(lab: Lab) -> None:
    run = lab.run_sparkgui(capacity_profile(lab), "--attendees", "10", timeout=90)
    expect(run, "ready")
    checks = run.checks
    assert checks["quality:download"]["evidence"]["median_bps"] > 20e6  # far above the policed rate
    assert checks["quality:capacity"]["summary"].endswith("enough for the 10 expected.")
    log = lab.processes["probe"].output()  # the probe really served both directions
    assert "download peer=" in log and "upload peer=" in log, log[-2000:]
