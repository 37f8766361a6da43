"""Concurrency: 8 endpoints, each behind a relay adding 100 ms, cost at most 1.3× one endpoint.

Run: .venv/bin/python bench/engine_concurrency.py
Prints the median wall time of a full DNS+TCP+TLS+HTTPS run for 1 and for 8 endpoints, and their ratio.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time

from _util import figure, median

from sparkgui.core.engine import run_profile
from tests.servers.delay_relay import DelayRelay
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, loopback_network, make_profile

DELAY = 0.100
ROUNDS = 5


async def one_run(count: int, pki: LoopbackPki, upstream_port: int, dns_port: int) -> float:
    relays = [await DelayRelay("127.0.0.1", upstream_port, DELAY).start() for _ in range(count)]
    profile = make_profile(
        [Ep(f"host{i}.test", relay.port) for i, relay in enumerate(relays)],
        timeouts={"dns": 3, "connect": 4, "tls": 5, "http": 8},
    )
    began = time.perf_counter()
    outcome = await run_profile(profile, loopback_network(dns_port))
    elapsed = time.perf_counter() - began
    for relay in relays:
        await relay.stop()
    assert str(outcome.verdict) == "ready", [r.result for r in outcome.records if r.result.status != "pass"]
    return elapsed


async def main() -> None:
    pki = LoopbackPki()
    folder = tempfile.mkdtemp()
    os.environ["SSL_CERT_FILE"] = pki.write_ca(os.path.join(folder, "ca.pem"))
    os.environ["SSL_CERT_DIR"] = folder
    names = [f"host{i}.test" for i in range(8)]
    runner, port = await start_https(pki.server_context(*names))
    dns = await DnsServer({name: ["127.0.0.1"] for name in names}).start()
    try:
        await one_run(1, pki, port, dns.port)  # warm-up: imports, trust store
        single = [await one_run(1, pki, port, dns.port) for _ in range(ROUNDS)]
        eight = [await one_run(8, pki, port, dns.port) for _ in range(ROUNDS)]
    finally:
        await runner.cleanup()
        await dns.stop()
    figure("1 endpoint, +100 ms relay (median)", median(single), "s")
    figure("8 endpoints, +100 ms relay each (median)", median(eight), "s")
    figure("ratio 8 / 1 (target <= 1.3)", median(eight) / median(single), "x")


if __name__ == "__main__":
    asyncio.run(main())
