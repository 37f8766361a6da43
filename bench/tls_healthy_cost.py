"""A healthy network pays nothing for the diagnoses of issue 17: the TLS check with its path-MTU and clock
follow-ups in place, against the same check with them switched off, on one healthy loopback platform.

The follow-ups only run after a stall or an out-of-date certificate, so the two medians should match; the
ratio is printed. Run: .venv/bin/python bench/tls_healthy_cost.py
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from _probe import trust_test_ca
from _util import figure, median

from sparkgui.core.checks.tls_check import TlsCheck
from sparkgui.core.engine import run_profile
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import start_https
from tests.support import Ep, loopback_network, make_profile

ROUNDS = 25


async def _none(*_: Any, **__: Any) -> None:
    return None


async def _timed_run(profile: Any, network: Any, host: str) -> float:
    began = time.perf_counter()
    outcome = await run_profile(profile, network)
    took = time.perf_counter() - began
    tls = next(r for r in outcome.records if r.id.startswith(f"tls:{host}"))
    assert tls.result.cause == "ok", tls.result
    return took


async def main() -> None:
    pki = trust_test_ca()
    runner, port = await start_https(pki.server_context("app.test"))
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    try:
        profile, network = make_profile([Ep("app.test", port)]), loopback_network(dns.port)
        for _ in range(3):  # warm-up: imports, first handshakes
            await _timed_run(profile, network, "app.test")
        with_follow_ups, without = [], []
        saved = TlsCheck._mtu_black_hole, TlsCheck._clock_is_wrong
        for _ in range(ROUNDS):  # interleaved, so drift (another process, the CPU's clock) hits both alike
            with_follow_ups.append(await _timed_run(profile, network, "app.test"))
            TlsCheck._mtu_black_hole, TlsCheck._clock_is_wrong = _none, _none  # type: ignore[method-assign]
            try:
                without.append(await _timed_run(profile, network, "app.test"))
            finally:
                TlsCheck._mtu_black_hole, TlsCheck._clock_is_wrong = saved  # type: ignore[method-assign]
    finally:
        await runner.cleanup()
        await dns.stop()
    figure(f"healthy run, follow-ups in place (median of {ROUNDS})", median(with_follow_ups) * 1000, "ms")
    figure(f"healthy run, follow-ups switched off (median of {ROUNDS})", median(without) * 1000, "ms")
    figure("ratio (target 1.0)", median(with_follow_ups) / median(without), "×")


if __name__ == "__main__":
    asyncio.run(main())
