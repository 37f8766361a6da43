"""Blackhole: a silently dropped port gives its verdict within the connect deadline (4 s by default).

Run: .venv/bin/python bench/blackhole_verdict.py
"""

from __future__ import annotations

import asyncio
import time

from _util import figure, median

from sparkgui.core.engine import run_profile
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import DnsServer
from tests.support import Ep, by_id, loopback_network, make_profile


async def main() -> None:
    dns = await DnsServer({"drop.test": ["127.0.0.1"]}).start()
    times: list[float] = []
    with BlackholePort() as hole:
        profile = make_profile([Ep("drop.test", hole.port)], timeouts={"dns": 3, "connect": 4, "tls": 5, "http": 8})
        for _ in range(3):
            began = time.perf_counter()
            outcome = await run_profile(profile, loopback_network(dns.port))
            times.append(time.perf_counter() - began)
            assert by_id(outcome)[f"tcp:drop.test:{hole.port}"].result.cause == "tcp.timeout"
    await dns.stop()
    figure("time to tcp.timeout verdict (median of 3)", median(times), "s", "(deadline 4 s)")


if __name__ == "__main__":
    asyncio.run(main())
