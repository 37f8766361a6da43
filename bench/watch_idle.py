"""Event-day watch: between rounds it uses under 1 % of one core, and its RSS grows under 5 MB over 30 rounds.

Run: .venv/bin/python bench/watch_idle.py [ROUNDS] [ROUND_SECONDS]
The issue's case is a 30-minute watch with a 1-minute round; this runs the same number of rounds (30 by
default) with shortened rounds (6 s by default), the heartbeat shortened in proportion (25 s of 60 → 2.5 s),
so the held connection pings ten times as often as in real use: the CPU figure is an upper bound. The probe
runs in another process on loopback; the watch, its rounds and its held connection run in this one, and
every round is kept in a temporary history, as in use.

Printed: CPU use while idle between rounds (CPU time over wall time of the waits), RSS after round 2 (warm)
and after the last round, and a baseline in the same script: an event loop idling with the watch's 5 s tick.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time

from _probe import PROBE_HOST, probe_process, trust_test_ca
from _util import figure

from sparkgui.app.session import RunRequest
from sparkgui.app.watch import TICK_S, Alert, HoldState, Watch, WatchRound
from sparkgui.core.history.store import keep_run
from tests.servers.dns_server import DnsServer
from tests.support import loopback_network
from tests.ws_support import ws_profile


def rss_mb() -> float:
    """Resident memory now (Linux /proc), in MB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


class IdleMeter:
    """Sums CPU and wall time between a round's end and the next round's start; reads RSS per round."""

    def __init__(self) -> None:
        self.idle_cpu = self.idle_wall = 0.0
        self.mark: tuple[float, float] | None = None
        self.rss: list[float] = []
        self.verdicts: list[str] = []

    def round_started(self, number: int) -> None:
        if self.mark is not None:
            cpu, wall = self.mark
            self.idle_cpu += time.process_time() - cpu
            self.idle_wall += time.monotonic() - wall
            self.mark = None

    def round_finished(self, watch_round: WatchRound) -> None:
        self.verdicts.append(str(watch_round.verdict))
        self.rss.append(rss_mb())
        self.mark = (time.process_time(), time.monotonic())

    def alert(self, alert: Alert) -> None:
        print("alert:", [line.render("en") for line in alert.lines])

    def hold_changed(self, hold: HoldState) -> None:
        pass


async def idle_baseline(seconds: float) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.monotonic()
    for _ in range(max(1, round(seconds / TICK_S))):
        await asyncio.sleep(TICK_S)
    return time.process_time() - cpu, time.monotonic() - wall


async def main(rounds: int, round_s: float) -> None:
    os.environ["SPARKGUI_DATA_DIR"] = tempfile.mkdtemp(prefix="sparkgui-bench-watch-")
    pki = trust_test_ca()
    async with probe_process(pki) as port:
        dns = await DnsServer({PROBE_HOST: ["127.0.0.1"]}).start()
        try:
            profile = ws_profile(port, hold=5, long_hold=600, heartbeat=25 * round_s / 60, timeouts={"http": 8})
            meter = IdleMeter()
            watch = Watch(
                RunRequest(profile, loopback_network(dns.port)),
                round_s,
                meter,
                lang="en",
                rounds=rounds,
                keep=lambda report: keep_run(report).run_id,
            )
            began = time.monotonic()
            summary = await watch.run()
            wall = time.monotonic() - began
        finally:
            await dns.stop()
    assert all(v == "ready" for v in meter.verdicts), meter.verdicts
    base_cpu, base_wall = await idle_baseline(min(30.0, meter.idle_wall))
    figure(f"watch: {rounds} rounds, {round_s:g} s apart", wall, "s", f"{len(summary.alerts)} warnings")
    figure("idle between rounds (target < 1 % of one core)", 100 * meter.idle_cpu / meter.idle_wall, "%")
    figure("baseline: idle loop, same 5 s tick", 100 * base_cpu / base_wall, "%")
    figure("RSS after round 2 (warm)", meter.rss[1], "MB")
    figure(f"RSS after round {rounds}", meter.rss[-1], "MB")
    figure("RSS growth (target < 5 MB)", meter.rss[-1] - meter.rss[1], "MB")
    hold = summary.hold
    if hold is not None:
        figure("held connection: longest hold", hold.longest_s(), "s", f"{hold.drops} cuts")


if __name__ == "__main__":
    arguments = [float(value) for value in sys.argv[1:3]]
    asyncio.run(main(int(arguments[0]) if arguments else 30, arguments[1] if len(arguments) > 1 else 6.0))
