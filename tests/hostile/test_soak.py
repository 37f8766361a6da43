"""Many runs in one process (as a window left open all day, or the event-day watch) leave no file
descriptor behind and do not grow memory: each run's sockets, tasks and servers are released."""

from __future__ import annotations

import gc
import os
import resource

from sparkgui.core.engine import run_profile
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port, start_https
from tests.support import Ep, loopback_network, make_profile, run

ROUNDS = 40
WARM_UP = 5


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def test_many_runs_leave_no_descriptor_and_no_growth(pki: LoopbackPki) -> None:
    async def scenario() -> list[tuple[int, float]]:
        runner, port = await start_https(pki.server_context("app.test", "gone.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"], "closed.test": ["127.0.0.1"]}).start()
        profile = make_profile([Ep("app.test", port), Ep("gone.test", 443), Ep("closed.test", closed_port())])
        network = loopback_network(dns.port)
        samples: list[tuple[int, float]] = []
        try:
            for _ in range(ROUNDS):  # a healthy host, an unknown name and a refused port, each round
                await run_profile(profile, network)
                gc.collect()
                samples.append((_open_fds(), _rss_mb()))
        finally:
            await runner.cleanup()
            await dns.stop()
        return samples

    samples = run(scenario(), timeout=240)
    settled = samples[WARM_UP:]
    assert max(fds for fds, _ in settled) - min(fds for fds, _ in settled) <= 2, samples
    growth = settled[-1][1] - settled[0][1]
    assert growth < 10, f"RSS grew {growth:.1f} MB over {len(settled)} runs"
