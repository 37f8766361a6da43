"""The lab itself: it builds and tears down in seconds and leaves nothing behind."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.lab.conftest import new_lab
from tests.lab.lab import DnsMode
from tests.lab.netns import namespaces

pytestmark = pytest.mark.lab


def test_lab_builds_and_tears_down_without_leftovers(lab_available: None, tmp_path: Path) -> None:
    lab = new_lab(tmp_path)
    began = time.monotonic()
    lab.build()
    try:
        assert set(lab.all_namespaces) <= set(namespaces())
        lab.dns(DnsMode.SERVFAIL)  # a fault with its own extra process
        lab.sni_filter("app.sparkup.test")
        lab.delay(rtt_ms=50)
        pids = [int(p.read_text()) for p in tmp_path.glob("*.pid")]
        assert len(pids) >= 5
    finally:
        lab.teardown()
    elapsed = time.monotonic() - began
    assert lab.leftovers() == []
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
    assert elapsed < 30, f"build + teardown took {elapsed:.1f} s"  # generous: it normally takes about 1 s
