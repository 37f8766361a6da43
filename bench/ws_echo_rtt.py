"""Echo round trip over loopback: what the ws check reports vs what a raw aiohttp client measures.

Run: .venv/bin/python bench/ws_echo_rtt.py
The probe runs in its own process. Prints medians of (a) the `rtt_ms` the ws check reports over full engine
runs, (b) the check's echo path (WatchedSocket.echo) and (c) a raw aiohttp client doing send_str + receive,
(b) and (c) interleaved on connections open side by side. Target: the check within 2 ms of the raw client.
"""

from __future__ import annotations

import asyncio
import ssl
import time

import aiohttp
from _probe import PROBE_HOST, probe_process, trust_test_ca
from _util import figure, median

from sparkgui.core.engine import run_profile
from sparkgui.core.net.pinned_resolver import PinnedResolver
from sparkgui.core.net.websocket import open_websocket
from tests.servers.dns_server import DnsServer
from tests.support import loopback_network
from tests.ws_support import ws_profile

ENGINE_RUNS = 15
ECHOES = 300


async def check_reported_rtts(port: int) -> list[float]:
    dns = await DnsServer({PROBE_HOST: ["127.0.0.1"]}).start()
    rtts = []
    try:
        for _ in range(ENGINE_RUNS):
            outcome = await run_profile(ws_profile(port, hold=0.1), loopback_network(dns.port))
            ws = next(r for r in outcome.records if r.info.kind == "ws")
            assert ws.result.status == "pass", ws.result
            rtts.append(float(ws.result.evidence["rtt_ms"]))
    finally:
        await dns.stop()
    return rtts


async def side_by_side(port: int) -> tuple[list[float], list[float]]:
    context = ssl.create_default_context()
    url = f"wss://{PROBE_HOST}:{port}/ws"
    checked: list[float] = []
    raw: list[float] = []
    connector = aiohttp.TCPConnector(ssl=context, resolver=PinnedResolver(["127.0.0.1"]))
    async with aiohttp.ClientSession(connector=connector) as session:
        ours = await open_websocket(session, url, 5, answer_pings=True)
        plain = await session.ws_connect(url)
        try:
            for index in range(ECHOES):
                checked.append(await ours.echo(f"check {index}", 5))
                began = time.perf_counter()
                await plain.send_str(f"raw {index}")
                message = await plain.receive(timeout=5)
                raw.append((time.perf_counter() - began) * 1000)
                assert message.data == f"raw {index}"
        finally:
            await ours.close()
            await plain.close()
    return checked, raw


async def main() -> None:
    pki = trust_test_ca()
    async with probe_process(pki) as port:
        reported = await check_reported_rtts(port)
        checked, raw = await side_by_side(port)
    figure(f"ws check rtt_ms, {ENGINE_RUNS} engine runs (median)", median(reported), "ms")
    figure(f"check echo path, {ECHOES} echoes (median)", median(checked), "ms")
    figure(f"raw aiohttp send_str+receive, {ECHOES} (median)", median(raw), "ms")
    figure("check echo path - raw (target within 2 ms)", median(checked) - median(raw), "ms")
    figure("reported rtt_ms - raw (target within 2 ms)", median(reported) - median(raw), "ms")


if __name__ == "__main__":
    asyncio.run(main())
