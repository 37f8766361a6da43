"""One way to put the real CLI in front of a hostile peer, and the four things every hostile case asserts.

The peer runs on this test's event loop, on loopback; `sparkgui --headless` runs as a child process, as a user
would start it. After it exits, `HostileRun.assert_well_behaved` checks:

1. it ended within the profile's deadlines plus a small margin (start-up, the report);
2. the check the peer targets ended with one of the specific causes the case names (never internal.error);
3. the JSON report it wrote validates against the schema;
4. nothing was left behind: no traceback on stderr, no process carrying this run's mark, no file besides the
   report in the working folder or the temporary folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sparkgui.core.demo.listener import Listener
from tests.hostile.peers import Behaviour
from tests.servers.dns_server import DnsServer
from tests.support import Ep, profile_toml, validate_report
from tests.ws_support import websocket_section

TIMEOUTS = {"dns": 1.0, "connect": 1.0, "tls": 1.5, "http": 2.0}
MARGIN_S = 6.0  # the interpreter's start-up, the plan, the report: generous on a loaded 2-core CI machine
MARK = "SPARKGUI_HOSTILE_RUN"


@dataclass
class HostileRun:
    """What one CLI run against a hostile peer produced."""

    code: int
    stdout: str
    stderr: str
    elapsed: float
    bound: float
    report: dict[str, Any]
    folder: Path
    mark: str
    results: dict[str, dict[str, Any]] = field(default_factory=dict)

    def result(self, prefix: str) -> dict[str, Any]:
        """The one result whose id starts with `prefix` (`tls:`, `ws-hold:`…)."""
        found = [r for check_id, r in self.results.items() if check_id.startswith(prefix)]
        assert len(found) == 1, (prefix, sorted(self.results))
        return found[0]

    def assert_well_behaved(self, prefix: str, causes: Iterable[str]) -> dict[str, Any]:
        """The four assertions of every hostile case; returns the targeted check's result for more."""
        assert self.elapsed < self.bound, f"took {self.elapsed:.1f} s, the deadlines allow {self.bound:.1f} s"
        assert "Traceback" not in self.stderr, self.stderr
        assert self.code in (0, 1, 2), (self.code, self.stderr)
        validate_report(self.report)
        everything = {check_id: r["cause"] for check_id, r in self.results.items()}
        assert "internal.error" not in everything.values(), everything
        target = self.result(prefix)
        wanted = set(causes)
        assert target["cause"] in wanted, f"{prefix} ended with {target['cause']}, wanted one of {sorted(wanted)}"
        assert _marked_processes(self.mark) == [], "a child process outlived the CLI"
        leftovers = sorted(p.name for p in self.folder.iterdir() if p.name not in {"profile.toml", "report.json"})
        assert leftovers == [], leftovers
        assert list((self.folder.parent / f"{self.folder.name}-tmp").iterdir()) == []
        return target


def hostile_profile(
    endpoints: Sequence[Ep], *, websocket_port: int | None = None, hold: float = 2, extra: str = ""
) -> str:
    """A profile with tight deadlines, so that every hostile case is bounded by a few seconds."""
    section = websocket_section(websocket_port, hold=hold, heartbeat=0.5) if websocket_port else ""
    return profile_toml(endpoints, timeouts=TIMEOUTS, extra=section + extra)


def deadline_for(profile_text: str, hold: float) -> float:
    """The longest a run may take: every stage's deadline in a row, the hold, and the margin."""
    return sum(TIMEOUTS.values()) + (hold + TIMEOUTS["http"] if "[websocket]" in profile_text else 0) + MARGIN_S


async def run_cli(
    folder: Path,
    profile_text: str,
    dns_port: int,
    *extra_args: str,
    hold: float = 2,
    env: dict[str, str] | None = None,
) -> HostileRun:
    """Write the profile into `folder`, run `sparkgui --headless` there against it, and gather what it left."""
    folder.mkdir(parents=True, exist_ok=True)
    scratch = folder.parent / f"{folder.name}-tmp"
    scratch.mkdir(exist_ok=True)
    (folder / "profile.toml").write_text(profile_text, encoding="utf-8")
    mark = uuid.uuid4().hex
    route = () if any(a.startswith(("--proxy", "--pac")) for a in extra_args) else ("--no-proxy",)
    args = ["--headless", "--lang", "en", "--profile", "profile.toml", "--json", "report.json"]
    held = ("--hold", str(hold)) if "[websocket]" in profile_text else ()
    args += ["--resolver", f"127.0.0.1:{dns_port}", *held, *route, *extra_args]
    bound = deadline_for(profile_text, hold)
    began = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sparkgui",
        *args,
        cwd=folder,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {}), "LANG": "C.UTF-8", "LC_ALL": "", "TMPDIR": str(scratch), MARK: mark},
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), bound + 30)
    except TimeoutError:
        process.kill()
        await process.wait()
        raise AssertionError(f"the CLI was still running {bound + 30:.0f} s after it started") from None
    elapsed = time.perf_counter() - began
    report_file = folder / "report.json"
    report = json.loads(report_file.read_text("utf-8")) if report_file.exists() else {}
    assert process.returncode is not None
    hostile = HostileRun(process.returncode, stdout.decode(), stderr.decode(), elapsed, bound, report, folder, mark)
    hostile.results = {r["id"]: r for r in report.get("checks", [])}
    return hostile


def _marked_processes(mark: str) -> list[int]:
    """Processes whose environment carries this run's mark: the CLI's children inherit it, orphans too."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if needle in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


async def run_against_peer(
    folder: Path,
    behaviour: Behaviour,
    *,
    host: str = "app.test",
    ssl_context: ssl.SSLContext | None = None,
    websocket: bool = False,
    hold: float = 2,
    extra_args: Sequence[str] = (),
    probe: bool = False,
) -> HostileRun:
    """Serve `behaviour` on loopback as the platform's only host (TLS first when `ssl_context` is given), and
    run the CLI against it; `probe`: that host is the platform's probe (it is also asked `/whoami`)."""
    listener = Listener(behaviour, ssl_context=ssl_context)
    port = await listener.start()
    try:
        return await run_against_port(
            folder, port, host=host, websocket=websocket, hold=hold, extra_args=extra_args, probe=probe
        )
    finally:
        await listener.stop()


async def run_against_port(
    folder: Path,
    port: int,
    *,
    host: str = "app.test",
    websocket: bool = False,
    hold: float = 2,
    extra_args: Sequence[str] = (),
    probe: bool = False,
) -> HostileRun:
    """Run the CLI against a peer already listening on `port`, named `host` by a loopback DNS server."""
    dns = await DnsServer({host: ["127.0.0.1"]}).start()
    try:
        path = "/healthz" if websocket else "/"
        endpoint = Ep(host, port, path, probe=probe)
        text = hostile_profile([endpoint], websocket_port=port if websocket else None, hold=hold)
        return await run_cli(folder, text, dns.port, *extra_args, hold=hold)
    finally:
        await dns.stop()
