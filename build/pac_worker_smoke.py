"""Smoke test of a frozen program's PAC worker: one request in, the PAC file's answer out, within 20 s.

The worker leaves as soon as its stdin ends (its parent is gone), so the pipe is held open until the answer
comes, as sparkgui itself does. Run: python build/pac_worker_smoke.py PROGRAM
"""

from __future__ import annotations

import json
import subprocess
import sys

REQUEST = {"pac": 'function FindProxyForURL(u, h) { return "PROXY 192.0.2.1:3128"; }', "urls": ["https://a.example/"]}


def main(program: str) -> int:
    worker = subprocess.Popen([program, "--pac-worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert worker.stdin is not None and worker.stdout is not None
    try:
        worker.stdin.write(json.dumps(REQUEST).encode() + b"\n")
        worker.stdin.flush()
        answer = json.loads(worker.stdout.read() or b"{}")
        worker.wait(20)
    finally:
        worker.kill()
    if answer.get("results", {}).get("https://a.example/") != "PROXY 192.0.2.1:3128":
        print(f"pac-worker smoke test: unexpected answer {answer}", file=sys.stderr)
        return 1
    print("pac-worker smoke test: ok")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
