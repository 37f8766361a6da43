"""The PAC worker never outlives the CLI (a signal during the evaluation killed the CLI and left the worker
spinning at 100 % CPU), and a PAC file that cannot be read (a FIFO) is a named error within the deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support import Ep, profile_toml

ENDLESS_PAC = "function FindProxyForURL(u, h) { while (true) {} }\n"


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines() if line.startswith("PPid:")), "")
        if ppid == str(pid) and b"--pac-worker" in cmdline:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return False
    return " Z " not in state and "zombie" not in state


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_the_pac_worker_dies_with_the_cli(tmp_path: Path, how: signal.Signals) -> None:
    pac = tmp_path / "loop.pac"
    pac.write_text(ENDLESS_PAC, encoding="utf-8")
    profile = tmp_path / "profile.toml"
    profile.write_text(profile_toml([Ep("app.test", 443)], timeouts={"http": 30}), encoding="utf-8")
    cli = subprocess.Popen(
        [sys.executable, "-m", "sparkgui", "--headless", "--profile", str(profile), "--pac", pac.as_uri(),
         "--resolver", "127.0.0.1:9"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 15
        workers: list[int] = []
        while not workers and time.monotonic() < deadline:
            time.sleep(0.1)
            workers = _children(cli.pid)
        assert workers, "the PAC worker never started"
        time.sleep(1)  # it is now deep in the endless loop
        cli.send_signal(how)
        cli.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers), f"PAC worker(s) {workers} outlived the CLI"
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.wait()
        for worker in _children(cli.pid):
            os.kill(worker, signal.SIGKILL)


def test_a_fifo_as_the_pac_file_is_an_error_not_a_hang(tmp_path: Path) -> None:
    import asyncio

    from sparkgui.core.net.pac import PacError, fetch_pac

    fifo = tmp_path / "proxy.pac"
    os.mkfifo(fifo)
    began = time.perf_counter()
    with pytest.raises(PacError, match="not a regular file"):
        asyncio.run(fetch_pac(fifo.as_uri(), timeout=2))
    assert time.perf_counter() - began < 2
