"""sparkgui's speed figures against iperf3's, on the same rate-limited loopback path; and the speed tests' cost.

Run: .venv/bin/python bench/bandwidth_vs_iperf3.py   (needs iperf3: build/setup-dev.sh installs it)

1. A token-bucket relay on loopback (sparkgui/core/demo/delay_relay.py, the demo's slow link) limits each
   direction to RATES_MBIT. Through it, sparkgui measures download and upload to the real probe over TLS,
   and iperf3 measures the same relay (-R for the download direction). Prints each median and the ratio
   sparkgui / iperf3 (target within 10 %).
2. The quality phase: a full run of a profile with [capacity] against the same profile without it, both
   through a 20 Mbit/s relay: prints the time the speed tests add (target at most 12 s), and each run's
   DNS+TCP+TLS+HTTPS checks' durations, which must not grow (the speed tests start after them).

Only loopback addresses are used.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import tempfile
import time

from _util import figure, median

from sparkgui.core.demo.delay_relay import DelayRelay
from sparkgui.core.engine import run_profile
from sparkgui.core.profile import parse_profile
from sparkgui.probe import start_probe
from sparkgui.probe.app import ProbeConfig
from sparkgui.probe.transfers import TransferLimits
from tests.integration.test_speed import speed_profile
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.support import loopback_network

RATES_MBIT = (8.0, 40.0)
IPERF_SECONDS = 5
ROUNDS = 3
FIRST_CHECKS = ("dns:", "tcp:", "tls:", "https:")


def iperf3(port: int, reverse: bool) -> float:
    """iperf3's received rate in bit/s through the relay on `port` (reverse: the server sends)."""
    argv = ["iperf3", "-c", "127.0.0.1", "-p", str(port), "-t", str(IPERF_SECONDS), "-J"]
    done = subprocess.run([*argv, "-R"] if reverse else argv, capture_output=True, text=True, timeout=60, check=True)
    return float(json.loads(done.stdout)["end"]["sum_received"]["bits_per_second"])


async def sparkgui_rates(pki: LoopbackPki, relay_port: int, dns_port: int) -> tuple[float, float, float]:
    """Download and upload medians in bit/s through the relay, and the whole run's duration."""
    profile = parse_profile(speed_profile(relay_port, max_seconds=10), source="bench.toml")
    began = time.perf_counter()
    outcome = await run_profile(profile, loopback_network(dns_port))
    elapsed = time.perf_counter() - began
    records = {str(record.id): record for record in outcome.records}
    down, up = (records[f"quality:{name}"].result.evidence.get("median_bps") for name in ("download", "upload"))
    assert isinstance(down, int) and isinstance(up, int), [r.result for r in outcome.records]
    return float(down), float(up), elapsed


async def phase_cost(pki: LoopbackPki, relay_port: int, dns_port: int) -> tuple[float, float, float, float]:
    """(run with the speed tests, run without, first checks' max duration with, without), medians in s."""
    with_speed = parse_profile(speed_profile(relay_port, max_seconds=10), source="with.toml")
    text = speed_profile(relay_port).decode()
    without = parse_profile(text[: text.index("[capacity]")].encode(), source="without.toml")
    totals: dict[str, list[float]] = {"with": [], "without": []}
    firsts: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(ROUNDS):
        for key, profile in (("without", without), ("with", with_speed)):
            began = time.perf_counter()
            outcome = await run_profile(profile, loopback_network(dns_port))
            totals[key].append(time.perf_counter() - began)
            first = [r.result.duration_ms / 1000 for r in outcome.records if str(r.id).startswith(FIRST_CHECKS)]
            firsts[key].append(max(first))
    return (
        median(totals["with"]),
        median(totals["without"]),
        median(firsts["with"]),
        median(firsts["without"]),
    )


async def main() -> None:
    if shutil.which("iperf3") is None:
        raise SystemExit("iperf3 is not installed: run build/setup-dev.sh (or apt-get install iperf3)")
    pki = LoopbackPki()
    folder = tempfile.mkdtemp()
    os.environ["SSL_CERT_FILE"] = pki.write_ca(os.path.join(folder, "ca.pem"))
    os.environ["SSL_CERT_DIR"] = folder
    # The bench moves gigabytes through one address: lift the public probe's per-address budget for it.
    config = ProbeConfig(transfers=TransferLimits(budget_bytes_per_client=100_000_000_000))
    context = pki.server_context("probe.test")
    runner, probe_port = await start_probe(ssl_context=context, config=config, shutdown_timeout=0.5)
    dns = await DnsServer({"probe.test": ["127.0.0.1"]}).start()
    iperf_port = _free_port()  # iperf3 cannot pick a free port itself
    iperf_server = await asyncio.create_subprocess_exec(
        *("iperf3", "-s", "-B", "127.0.0.1", "-p", str(iperf_port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    await asyncio.sleep(0.5)
    try:
        for rate in RATES_MBIT:
            probe_relay = await DelayRelay("127.0.0.1", probe_port, 0.005, rate_bps=rate * 1e6).start()
            iperf_relay = await DelayRelay("127.0.0.1", iperf_port, 0.005, rate_bps=rate * 1e6).start()
            ours = [await sparkgui_rates(pki, probe_relay.port, dns.port) for _ in range(ROUNDS)]
            down = statistics.median(o[0] for o in ours)
            up = statistics.median(o[1] for o in ours)
            # iperf3 is a blocking subprocess: run it off the loop so the relay keeps pumping.
            theirs_down = median([await asyncio.to_thread(iperf3, iperf_relay.port, True) for _ in range(ROUNDS)])
            theirs_up = median([await asyncio.to_thread(iperf3, iperf_relay.port, False) for _ in range(ROUNDS)])
            await probe_relay.stop()
            await iperf_relay.stop()
            print(f"-- relay at {rate:g} Mbit/s each way, +5 ms each way")
            figure("sparkgui download (median)", down / 1e6, "Mb/s")
            figure("iperf3 download (median)", theirs_down / 1e6, "Mb/s")
            figure("ratio sparkgui / iperf3 download", down / theirs_down, "x", "(target 0.9 to 1.1)")
            figure("sparkgui upload (median)", up / 1e6, "Mb/s")
            figure("iperf3 upload (median)", theirs_up / 1e6, "Mb/s")
            figure("ratio sparkgui / iperf3 upload", up / theirs_up, "x", "(target 0.9 to 1.1)")
        relay = await DelayRelay("127.0.0.1", probe_port, 0.005, rate_bps=20e6).start()
        with_s, without_s, first_with, first_without = await phase_cost(pki, relay.port, dns.port)
        await relay.stop()
        print("-- the quality phase, through a 20 Mbit/s relay")
        figure("full run without [capacity] (median)", without_s, "s")
        figure("full run with [capacity] (median)", with_s, "s")
        figure("added by the speed tests (target <= 12)", with_s - without_s, "s")
        figure("slowest DNS/TCP/TLS/HTTPS check, without", first_without, "s")
        figure("slowest DNS/TCP/TLS/HTTPS check, with", first_with, "s")
        figure("ratio with / without (target ~1.0)", first_with / first_without, "x")
    finally:
        iperf_server.terminate()
        await asyncio.wait_for(iperf_server.wait(), 5)
        await dns.stop()
        await runner.cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    asyncio.run(main())
