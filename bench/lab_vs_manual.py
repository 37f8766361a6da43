"""sparkgui against checking by hand, in the network lab at 300 ms RTT with 6 endpoints.

The baseline is what an IT person does: for each endpoint in turn, `dig` A and AAAA, then `curl` the HTTPS
URL. sparkgui runs the headless CLI (no WebSocket hold) on the same client host, through the same delay relay.
Prints both times, the ratio (target >= 4x) and sparkgui's time in round trips (target <= 5; the physical
floor of one endpoint's DNS+TCP+TLS+HTTP chain is 4). Needs root (network namespaces).

Run: sudo .venv/bin/python bench/lab_vs_manual.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from _util import figure, median

from tests.lab import topology as topo
from tests.lab.lab import Lab
from tests.lab.netns import unavailable_reason

RTT_MS = 300.0
RUNS = 3


def manual_script(lab: Lab) -> str:
    """The sequential checks an IT person would type, one endpoint after the other."""
    lines = ["set -u"]
    for host in topo.PLATFORM_HOSTS:
        lines += [
            f"dig +short +tries=2 +time=3 A {host.name} >/dev/null",
            f"dig +short +tries=2 +time=3 AAAA {host.name} >/dev/null",
            f"curl -sS -o /dev/null -m 20 --cacert {lab.ca_file} https://{host.name}{host.path}",
        ]
    return "\n".join(lines) + "\n"


def curl_chain_seconds(lab: Lab) -> float:
    """One endpoint's DNS+TCP+TLS+HTTP chain, as curl measures it (the physical floor is 4 round trips)."""
    host = topo.PLATFORM_HOSTS[0]
    done = lab.client(
        "curl", "-sS", "-o", "/dev/null", "-w", "%{time_total}", "--cacert", str(lab.ca_file),
        f"https://{host.name}{host.path}",
    )  # fmt: skip
    return float(done.stdout)


def main() -> int:
    reason = unavailable_reason()
    if reason:
        print(f"lab_vs_manual: cannot run: {reason}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sparkgui-lab-bench-") as folder:
        lab = Lab(Path(folder), f"sg{os.getpid()}b").build()
        try:
            lab.delay(rtt_ms=RTT_MS)
            profile = lab.write_profile(
                topo.PLATFORM_HOSTS, timeouts={"dns": 3, "connect": 4, "tls": 5, "http": 8}, websocket=None
            )
            script = Path(folder) / "manual.sh"
            script.write_text(manual_script(lab))
            lab.run_sparkgui(profile)  # warm the file cache for a fair first figure
            cli, engine, manual, chains = [], [], [], []
            for _ in range(RUNS):
                run = lab.run_sparkgui(profile)
                if run.verdict != "ready":
                    print(f"lab_vs_manual: sparkgui did not judge the lab ready:\n{run.explain()}", file=sys.stderr)
                    return 1
                cli.append(run.elapsed_s)
                engine.append(run.report["duration_ms"] / 1000)
                began = time.monotonic()
                done = lab.client("bash", str(script), timeout=300)
                manual.append(time.monotonic() - began)
                if done.returncode != 0:
                    print(f"lab_vs_manual: the manual script failed: {done.stderr}", file=sys.stderr)
                    return 1
                chains.append(curl_chain_seconds(lab))
        finally:
            lab.teardown()
    rtt = RTT_MS / 1000
    print(f"network lab, {RTT_MS:g} ms RTT, {len(topo.PLATFORM_HOSTS)} endpoints, median of {RUNS} runs")
    figure("manual: dig A + dig AAAA + curl, sequential", median(manual), "s")
    figure("sparkgui headless CLI (process start to exit)", median(cli), "s")
    figure("sparkgui engine (report duration_ms)", median(engine), "s")
    figure("ratio manual / sparkgui CLI", median(manual) / median(cli), "x", "(target >= 4)")
    figure("ratio manual / sparkgui engine", median(manual) / median(engine), "x")
    figure("one endpoint's chain, curl (DNS+TCP+TLS+HTTP)", median(chains), "s", f"= {median(chains) / rtt:.1f} RTT")
    figure("sparkgui engine, in round trips", median(engine) / rtt, "RTT", "(target <= 5, floor 4)")
    figure("sparkgui CLI, in round trips", median(cli) / rtt, "RTT")
    return 0


if __name__ == "__main__":
    sys.exit(main())
