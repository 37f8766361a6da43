"""PDF rendering speed: a 30-endpoint report from a real engine run on loopback (target: under 1 s).

Run: .venv/bin/python bench/pdf_render.py

The report comes from real checks against a loopback venue (26 hosts answer, 2 unknown names, 1 refused
port, 1 web-filter block: 150 checks). Prints the median time to render and write the PDF, against a
baseline in the same script: the 2-endpoint report of the bundled profile's size.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from _util import figure, median

from sparkgui.core.engine import run_profile
from sparkgui.core.event import EventInfo
from sparkgui.core.report import Environment, build_report
from sparkgui.report.content import build_document
from sparkgui.report.pdf import ensure_gui_application, write_pdf
from tests.servers.tls_servers import LoopbackPki
from tests.servers.venue import LoopbackVenue

ROUNDS = 7


def hosts(count: int) -> list[tuple[str, str]]:
    problems = {3: "nxdomain", 11: "nxdomain", 17: "refused", 23: "blocked"}
    return [(f"h{i:02d}.sparkup.test", problems.get(i, "ok")) for i in range(count)]


async def report_for(pki: LoopbackPki, count: int) -> dict[str, Any]:
    async with LoopbackVenue(pki, hosts(count)) as venue:
        profile = venue.profile(name="Sparkup", allowlist=("*.sparkup.test — TCP 443 (HTTPS and WebSocket)",))
        outcome = await run_profile(profile, venue.network())
        assert venue.dns is not None
        event = EventInfo("Bench Congress", "Hall B", "bench@example.invalid")
        return build_report(outcome, profile, Environment(resolvers=[venue.dns.address]), event=event)


def timed(report: dict[str, Any], path: Path) -> float:
    began = time.perf_counter()
    write_pdf(report, path, lang="en")
    return time.perf_counter() - began


def main() -> None:
    pki = LoopbackPki()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["SSL_CERT_FILE"] = pki.write_ca(str(Path(tmp) / "ca.pem"))
        os.environ["SSL_CERT_DIR"] = tmp
        large = asyncio.run(report_for(pki, 30))
        small = asyncio.run(report_for(pki, 2))
        began = time.perf_counter()
        ensure_gui_application()
        startup = time.perf_counter() - began
        first = timed(large, Path(tmp) / "first.pdf")
        large_times = [timed(large, Path(tmp) / "large.pdf") for _ in range(ROUNDS)]
        small_times = [timed(small, Path(tmp) / "small.pdf") for _ in range(ROUNDS)]
        content_times = []
        for _ in range(ROUNDS):
            began = time.perf_counter()
            build_document(large, lang="en", digest="0" * 64)
            content_times.append(time.perf_counter() - began)
        pages = (Path(tmp) / "large.pdf").read_bytes().count(b"/Type /Page\n")
        size_kib = (Path(tmp) / "large.pdf").stat().st_size / 1024
    figure("offscreen QGuiApplication start", startup * 1000, "ms")
    figure("first 30-endpoint PDF (fonts loaded)", first * 1000, "ms")
    figure(f"30-endpoint PDF, {len(large['checks'])} checks (median/{ROUNDS})", median(large_times) * 1000, "ms",
           f"(target < 1000 ms; {size_kib:.0f} KiB, {pages or '?'} pages)")  # fmt: skip
    figure(f"baseline: 2-endpoint PDF (median/{ROUNDS})", median(small_times) * 1000, "ms")
    figure("ratio 30-endpoint / 2-endpoint", median(large_times) / median(small_times), "x")
    figure("  of which content (HTML) building", median(content_times) * 1000, "ms")


if __name__ == "__main__":
    main()
