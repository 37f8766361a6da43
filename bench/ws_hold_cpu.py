"""CPU cost of the WebSocket hold: over a 60 s hold the checker should use under 1 % of one core.

Run: .venv/bin/python bench/ws_hold_cpu.py [SECONDS]
Runs the real engine (dns, tcp, tls, https, ws, ws-hold) against the probe server in another process on
loopback, and prints the CPU time this process used during the ws-hold check against its wall time.
Baseline, in the same script: an event loop doing nothing but a 1-second progress tick for as long.
"""

from __future__ import annotations

import asyncio
import math
import sys
import time

from _probe import PROBE_HOST, probe_process, trust_test_ca
from _util import figure

from sparkgui.core.engine import run_profile
from sparkgui.core.events import NullSink
from sparkgui.core.model import CheckInfo, CheckRecord
from sparkgui.core.plan import PlanOptions
from tests.servers.dns_server import DnsServer
from tests.support import loopback_network
from tests.ws_support import ws_profile


class HoldMeter(NullSink):
    """Reads the process's CPU time when the hold check starts and when it finishes."""

    def __init__(self) -> None:
        self.cpu = self.wall = 0.0
        self.result: CheckRecord | None = None

    def check_started(self, info: CheckInfo) -> None:
        if info.kind == "ws-hold":
            self.cpu, self.wall = time.process_time(), time.perf_counter()

    def check_finished(self, record: CheckRecord) -> None:
        if record.info.kind == "ws-hold":
            self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall
            self.result = record


async def idle_baseline(seconds: float) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for tick in range(math.ceil(seconds)):
        await asyncio.sleep(min(1.0, seconds - tick))
    return time.process_time() - cpu, time.perf_counter() - wall


async def main(seconds: float) -> None:
    pki = trust_test_ca()
    async with probe_process(pki) as port:
        dns = await DnsServer({PROBE_HOST: ["127.0.0.1"]}).start()
        try:
            meter = HoldMeter()
            profile = ws_profile(port, hold=seconds, heartbeat=25, timeouts={"http": 8})
            await run_profile(profile, loopback_network(dns.port), meter, options=PlanOptions(seconds))
        finally:
            await dns.stop()
    assert meter.result is not None and meter.result.result.status == "pass", meter.result
    base_cpu, base_wall = await idle_baseline(seconds)
    figure(f"ws-hold wall time ({seconds:g} s hold)", meter.wall, "s")
    figure("ws-hold CPU time of this process", meter.cpu * 1000, "ms")
    figure("ws-hold CPU use (target < 1 % of one core)", 100 * meter.cpu / meter.wall, "%")
    figure("baseline: idle loop, 1 s tick, same length", 100 * base_cpu / base_wall, "%")


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) if len(sys.argv) > 1 else 60.0))
