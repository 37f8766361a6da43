"""Peak memory of a WebSocket hold against a peer that floods frames, beside a clean hold (target: the flood
adds under 20 MB).

Run: .venv/bin/python bench/hostile_rss.py [ROUNDS]
Each measurement is its own process (peak RSS is per process): the real engine holds the probe's WebSocket for
6 s on loopback, once against a clean echo server, once against one that floods 4 KB frames from the second
second on. Prints the median peak RSS of each and the difference.
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys

from _util import ROOT, figure, median


async def _one(kind: str) -> None:
    import os
    import tempfile

    from sparkgui.core.engine import run_profile
    from tests.hostile.test_ws_peers import flooding
    from tests.servers.dns_server import DnsServer
    from tests.servers.tls_servers import LoopbackPki
    from tests.servers.ws_servers import start_ws_server
    from tests.support import loopback_network
    from tests.ws_support import WS_HOST, ws_profile

    pki = LoopbackPki()
    folder = tempfile.mkdtemp(prefix="sparkgui-bench-")
    os.environ["SSL_CERT_FILE"] = pki.write_ca(os.path.join(folder, "ca.pem"))
    handler = flooding(1.0) if kind == "flood" else flooding(3600.0)  # never floods within the hold
    runner, port = await start_ws_server(pki.server_context(WS_HOST), handler)
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    try:
        outcome = await run_profile(ws_profile(port, hold=6, heartbeat=1), loopback_network(dns.port))
    finally:
        await dns.stop()
        await runner.cleanup()
    hold = next((r for r in outcome.records if r.id.startswith(("ws-hold:", "ws:")) and r.result.cause != "ok"), None)
    print(f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} {hold.result.cause if hold else 'ok'}")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        asyncio.run(_one(sys.argv[2]))
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    peaks: dict[str, list[float]] = {"clean": [], "flood": []}
    causes: dict[str, str] = {}
    for _ in range(rounds):
        for kind in peaks:
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind], capture_output=True, text=True, check=True, cwd=ROOT
            ).stdout.split()
            peaks[kind].append(float(out[0]))
            causes[kind] = out[1]
    clean, flood = median(peaks["clean"]), median(peaks["flood"])
    figure("peak RSS, clean 6 s hold (median)", clean, "MB", f"{rounds} rounds")
    figure("peak RSS, flooding peer (median)", flood, "MB", f"cause {causes['flood']}")
    figure("added by the flood", flood - clean, "MB", "target < 20 MB")


if __name__ == "__main__":
    main()
