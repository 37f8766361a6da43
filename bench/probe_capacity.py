"""Capacity of one probe process: N idle WebSockets with server heartbeats, its RSS per connection and CPU use.

Target (from the issue): 5,000 connections on one core under 500 MB.

Run: .venv/bin/python bench/probe_capacity.py [--connections 5000] [--hold 30] [--heartbeat 10] [--tls]
Quick smoke: .venv/bin/python bench/probe_capacity.py --connections 200 --hold 5

Starts `python -m sparkgui.probe --heartbeat H --max-connections N+margin` as a subprocess pinned to one core
(the bench and its client keep to the other cores), with RLIMIT_NOFILE raised to the hard limit for both. A
separate client process (this script with `--client`) speaks RFC 6455 itself over asyncio (handshake checked,
every server ping answered with a masked pong, nothing else sent): it opens the N WebSockets, at most
`--batch` handshakes at a time, and holds them idle for `--hold` seconds. At the end it counts the ones still
open, the pings each answered, and echoes one message on a sample. The probe's VmRSS and utime+stime come
from /proc/<pid>/status and /proc/<pid>/stat: before the connections (after a few warm-up ones), once all are
open, at the end of the hold, and after they close. Prints RSS per connection = (RSS at end of hold - baseline)
/ N, total RSS, the probe's CPU during the idle hold as % of one core, the open time and what was still open.
`--tls` serves WSS with a test-CA certificate (the deployed configuration terminates TLS in the probe).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import json
import os
import re
import resource
import ssl
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _util import ROOT, figure, median

from sparkgui.probe.server import BACKLOG

TARGET_CONNECTIONS = 5000
TARGET_RSS_MB = 500.0
HOST = "127.0.0.1"
TLS_NAME = "probe.test"
MARGIN = 16  # probe limit above N: the warm-up connections may not all be forgotten yet
WARMUP = 8
FD_SPARE = 256  # files a process needs besides its sockets
HANDSHAKE_S = 15.0  # one connection: TCP + (TLS) + HTTP upgrade
STEP_S = 60.0  # deadline of each client step beyond the time it should take
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3


# -- the client process: a minimal RFC 6455 client, one asyncio Protocol per connection --


class WsClient(asyncio.Protocol):
    """One client WebSocket: the upgrade, unfragmented frames, pongs to every ping, a close handshake."""

    def __init__(self, port: int) -> None:
        loop = asyncio.get_running_loop()
        self.port = port
        self.key = base64.b64encode(os.urandom(16))
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.closed = False
        self.close_code: int | None = None
        self.pings = 0
        self.opened: asyncio.Future[None] = loop.create_future()
        self.lost: asyncio.Future[None] = loop.create_future()
        self.reply: asyncio.Future[bytes] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(
            b"GET /ws HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (HOST.encode(), self.port, self.key)
        )

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded:
            head, found, rest = bytes(self.buffer).partition(b"\r\n\r\n")
            if not found:
                if len(self.buffer) > 16384:
                    self._fail("headers too long")
                return
            self._upgrade(head)
            if not self.upgraded:
                return
            self.buffer = bytearray(rest)
        self._frames()

    def _upgrade(self, head: bytes) -> None:
        lines = head.decode("latin-1").split("\r\n")
        status = lines[0].split(" ", 2)
        headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        accept = base64.b64encode(hashlib.sha1(self.key + GUID).digest()).decode()
        if len(status) < 2 or status[1] != "101":
            self._fail(f"HTTP {status[1] if len(status) > 1 else '?'}")
        elif headers.get("sec-websocket-accept") != accept:
            self._fail("bad Sec-WebSocket-Accept")
        else:
            self.upgraded = True
            if not self.opened.done():
                self.opened.set_result(None)

    def _frames(self) -> None:
        buf = self.buffer
        while len(buf) >= 2:
            length, start = buf[1] & 0x7F, 2
            if buf[1] & 0x80:
                self._fail("masked frame from the server")
                return
            if length == 126:
                if len(buf) < 4:
                    return
                length, start = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length, start = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < start + length:
                return
            fin, opcode, payload = buf[0] & 0x80, buf[0] & 0x0F, bytes(buf[start : start + length])
            del buf[: start + length]
            self._frame(bool(fin), opcode, payload)

    def _frame(self, fin: bool, opcode: int, payload: bytes) -> None:
        if opcode == 0x9:  # ping: answer with the same payload
            self.pings += 1
            self.send(0xA, payload)
        elif opcode in (0x1, 0x2) and fin:
            if self.reply is not None and not self.reply.done():
                self.reply.set_result(payload)
        elif opcode == 0x8:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            if not self.closed:
                self.closed = True
                self.send(0x8, payload[:2])
            if self.transport is not None:
                self.transport.close()
        elif opcode != 0xA:
            self._fail(f"unexpected frame opcode={opcode} fin={fin}")

    def send(self, opcode: int, payload: bytes) -> None:
        """Send one masked, unfragmented frame."""
        if self.transport is None or self.transport.is_closing():
            return
        mask, size = os.urandom(4), len(payload)
        if size < 126:
            header = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        key = int.from_bytes((mask * (size // 4 + 1))[:size], "big")
        masked = (int.from_bytes(payload, "big") ^ key).to_bytes(size, "big") if size else b""
        self.transport.write(header + mask + masked)

    def _fail(self, reason: str) -> None:
        if not self.opened.done():
            self.opened.set_exception(ConnectionError(reason))
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        error = ConnectionError(f"connection lost ({exc or 'closed'})")
        if not self.opened.done():
            self.opened.set_exception(error)
        if self.reply is not None and not self.reply.done():
            self.reply.set_exception(error)
        if not self.lost.done():
            self.lost.set_result(None)

    @property
    def is_open(self) -> bool:
        return self.upgraded and not self.closed and self.transport is not None and not self.transport.is_closing()

    async def echo(self, text: str, timeout: float) -> float:
        """Send `text`, wait for it to come back; return the round trip in milliseconds."""
        self.reply = asyncio.get_running_loop().create_future()
        began = time.perf_counter()
        self.send(0x1, text.encode())
        data = await asyncio.wait_for(self.reply, timeout)
        if data != text.encode():
            raise ConnectionError("echo mismatch")
        return (time.perf_counter() - began) * 1000

    async def close(self, timeout: float) -> None:
        """Close handshake with 1000, then wait (bounded) for the server to end the TCP connection."""
        if self.is_open:
            self.closed = True
            self.send(0x8, (1000).to_bytes(2, "big"))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(self.lost), timeout)
        if self.transport is not None and not self.lost.done():
            self.transport.abort()


async def open_one(port: int, context: ssl.SSLContext | None) -> WsClient:
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(HANDSHAKE_S):
        _, client = await loop.create_connection(
            lambda: WsClient(port), HOST, port, ssl=context, server_hostname=TLS_NAME if context else None
        )
        await client.opened
    return client


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timeout"
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{type(exc).__name__}[{os.strerror(exc.errno)}]"
    return f"{type(exc).__name__}: {exc}"


def say(**fields: Any) -> None:
    print(json.dumps(fields), flush=True)


async def read_command() -> str:
    line: str = await asyncio.to_thread(sys.stdin.readline)
    return line.strip()


async def client_main(port: int, connections: int, batch: int, sample: int, ca: str | None) -> None:
    """The client process: warm up, then open, check and close on the parent's commands (stdin, JSON out)."""
    context = ssl.create_default_context(cafile=ca) if ca else None
    for _ in range(WARMUP):  # the probe's one-off costs (first upgrade, first echo) land before its baseline
        client = await open_one(port, context)
        await client.echo("warm-up", 5)
        await client.close(5)
    say(step="ready")
    if await read_command() != "open":
        return
    gate = asyncio.Semaphore(batch)
    failures: Counter[str] = Counter()

    async def gated() -> WsClient | None:
        async with gate:
            try:
                return await open_one(port, context)
            except (OSError, TimeoutError, ssl.SSLError) as exc:
                failures[_reason(exc)] += 1
                return None

    began = time.perf_counter()
    opened = [c for c in await asyncio.gather(*(gated() for _ in range(connections))) if c is not None]
    say(step="opened", opened=len(opened), seconds=time.perf_counter() - began, failures=dict(failures))
    if await read_command() != "check":
        return
    still = [c for c in opened if c.is_open]
    codes = Counter(str(c.close_code) for c in opened if not c.is_open)
    picked = still[:: max(1, len(still) // sample)][:sample] if still else []
    rtts: list[float] = []
    echo_failures: Counter[str] = Counter()
    for index, client in enumerate(picked):
        try:
            rtts.append(await client.echo(f"sample {index}", 5))
        except (OSError, TimeoutError) as exc:
            echo_failures[_reason(exc)] += 1
    pings = [c.pings for c in opened] or [0]
    say(
        step="checked",
        still_open=len(still),
        closed_codes=dict(codes),
        pings_min=min(pings),
        pings_median=statistics.median(pings),
        pings_total=sum(pings),
        sampled=len(picked),
        echoed=len(rtts),
        echo_median_ms=median(rtts) if rtts else None,
        echo_failures=dict(echo_failures),
    )
    if await read_command() != "close":
        return
    began = time.perf_counter()
    await asyncio.gather(*(c.close(10) for c in opened))
    say(step="closed", seconds=time.perf_counter() - began)


# -- the bench: the probe process, the client process, /proc --


@dataclass
class Sample:
    """The probe's memory and CPU time at one moment."""

    rss_kb: int
    hwm_kb: int
    cpu_s: float
    fds: int
    at: float = field(default_factory=time.perf_counter)


def sample(pid: int) -> Sample:
    status = Path(f"/proc/{pid}/status").read_text()
    rss = int(re.search(r"^VmRSS:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]
    hwm = int(re.search(r"^VmHWM:\s+(\d+) kB", status, re.M).group(1))  # type: ignore[union-attr]
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)
    return Sample(rss, hwm, cpu, len(os.listdir(f"/proc/{pid}/fd")))


def listen_overflows() -> int:
    """The system's count of connections dropped because a listen queue was full (TcpExt ListenOverflows)."""
    lines = [line.split() for line in Path("/proc/net/netstat").read_text().splitlines() if line.startswith("TcpExt:")]
    return int(dict(zip(lines[0], lines[1], strict=True)).get("ListenOverflows", 0)) if len(lines) == 2 else 0


def raise_nofile(needed: int) -> int:
    """Raise this process's RLIMIT_NOFILE (its children inherit it) to the hard limit; return the soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max(soft, needed) if hard == resource.RLIM_INFINITY else hard
    if wanted > soft:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


@dataclass
class ProbeLog:
    """What the probe logged on stderr: its port, refusals, closed-connection lines and anything worse."""

    port: asyncio.Future[int]
    refused: Counter[str] = field(default_factory=Counter)
    ends: Counter[str] = field(default_factory=Counter)
    problems: Counter[str] = field(default_factory=Counter)  # by message, warnings and errors other than 503s
    lines: int = 0

    def read(self, line: str) -> None:
        self.lines += 1
        found = re.search(r"listening on https?://127\.0\.0\.1:(\d+)", line)
        if found and not self.port.done():
            self.port.set_result(int(found.group(1)))
        try:
            entry = json.loads(line)
        except ValueError:
            entry = {"level": "?", "message": line.strip()}
        if "reason" in entry:
            self.refused[str(entry["reason"])] += 1
        elif "end" in entry:
            self.ends[f"{entry['end']}/{entry.get('close_code')}"] += 1
        elif entry.get("level") not in ("info", "debug"):
            text = entry.get("message") or f"{entry.get('event')} … ({entry.get('error', '').splitlines()[-1:]})"
            self.problems[f"{entry.get('level')}: {text}"[:200]] += 1


async def drain(stream: asyncio.StreamReader, log: ProbeLog) -> None:
    while line := await stream.readline():
        log.read(line.decode(errors="replace"))


class Client:
    """The client process, driven by one command a line."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    async def step(self, command: str | None, deadline: float) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        if command:
            self.process.stdin.write(command.encode() + b"\n")
            await self.process.stdin.drain()
        line = await asyncio.wait_for(self.process.stdout.readline(), deadline)
        if not line:
            raise RuntimeError(f"the client process ended (exit {await self.process.wait()})")
        return dict(json.loads(line))


async def stop(process: asyncio.subprocess.Process | None, terminate: bool) -> None:
    if process is None or process.returncode is not None:
        return
    if terminate:
        process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 20)
    except TimeoutError:
        process.kill()
        await asyncio.wait_for(process.wait(), 10)


def tls_files() -> tuple[str, str, str]:
    """A test CA (its PEM for the client) and a certificate for TLS_NAME issued by it (for the probe)."""
    from _probe import _certificate_files

    from tests.servers.tls_servers import LoopbackPki

    pki = LoopbackPki()
    ca = pki.write_ca(os.path.join(tempfile.mkdtemp(prefix="sparkgui-bench-"), "ca.pem"))
    cert, key = _certificate_files(pki, (TLS_NAME,))
    return ca, str(cert), str(key)


def count(name: str, value: int, note: str = "") -> None:
    print(f"{name:<44} {value:10d}     {note}")


async def bench(args: argparse.Namespace) -> None:
    n = args.connections
    heartbeat = args.heartbeat or min(10.0, args.hold / 2)
    limit = args.probe_max_connections or n + MARGIN
    nofile = raise_nofile(n + FD_SPARE)  # for this process, the client and the probe (they inherit it)
    probe_nofile = min(args.nofile, nofile) if args.nofile else nofile
    cpus = sorted(os.sched_getaffinity(0))
    probe_cpu, others = cpus[0], set(cpus[1:]) or set(cpus)
    os.sched_setaffinity(0, others)  # the bench and its client (inheriting it) keep off the probe's core
    tls = tls_files() if args.tls else None
    command = [sys.executable, "-m", "sparkgui.probe", "--host", HOST, "--port", "0", "--heartbeat", f"{heartbeat:g}"]
    command += ["--max-connections", str(limit), "--max-connections-per-address", str(limit), "--log-format", "json"]
    if tls:
        command += ["--cert", tls[1], "--key", tls[2]]
    print(
        f"probe: {n} WebSockets, heartbeat {heartbeat:g} s, hold {args.hold:g} s, {'WSS' if tls else 'WS'}, "
        f"--max-connections {limit}, RLIMIT_NOFILE {probe_nofile}, probe on CPU {probe_cpu}, "
        f"client on CPU {','.join(map(str, sorted(others)))}, Python {sys.version.split()[0]}"
    )
    if len(cpus) < 2:
        print("note: one CPU only: the client shares the probe's core, so the CPU figure is an upper bound")
    if probe_nofile < n + FD_SPARE:
        print(f"note: RLIMIT_NOFILE {probe_nofile} < {n + FD_SPARE}: expect the probe to run out of files")
    if nofile < n + FD_SPARE:
        print(f"note: RLIMIT_NOFILE {nofile} < {n + FD_SPARE} for the client too: it may run out first")
    probe = client_process = None
    log = ProbeLog(asyncio.get_running_loop().create_future())
    drainer: asyncio.Task[None] | None = None
    try:
        probe = await asyncio.create_subprocess_exec(
            *command, stdin=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE, cwd=ROOT
        )
        assert probe.stderr is not None
        pinned = True
        try:
            os.sched_setaffinity(probe.pid, {probe_cpu})
        except OSError as exc:
            pinned = False
            print(f"note: cannot pin the probe to one core ({exc})")
        if args.nofile:  # a lower soft limit for the probe alone, to see what it does when it runs out
            resource.prlimit(
                probe.pid, resource.RLIMIT_NOFILE, (probe_nofile, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
            )
        drainer = asyncio.ensure_future(drain(probe.stderr, log))
        port = await asyncio.wait_for(log.port, 20)
        client_command = [sys.executable, __file__, "--client", str(port), "--connections", str(n)]
        client_command += ["--batch", str(args.batch), "--sample", str(args.sample)]
        if tls:
            client_command += ["--ca", tls[0]]
        client_process = await asyncio.create_subprocess_exec(
            *client_command, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, cwd=ROOT
        )
        client = Client(client_process)
        await client.step(None, STEP_S)  # ready: warm-up done
        idle = sample(probe.pid)
        await asyncio.sleep(2)
        base, overflows = sample(probe.pid), listen_overflows()
        opened = await client.step("open", STEP_S + n * HANDSHAKE_S / args.batch)
        after_open, overflows = sample(probe.pid), listen_overflows() - overflows
        for _ in range(int(args.hold * 10)):  # the idle hold, in bounded steps
            if probe.returncode is not None:
                raise RuntimeError(f"the probe ended during the hold (exit {probe.returncode})")
            await asyncio.sleep(0.1)
        end = sample(probe.pid)
        checked = await client.step("check", STEP_S)
        closed = await client.step("close", STEP_S)
        await asyncio.sleep(1)
        after_close = sample(probe.pid)
    finally:
        if client_process is not None and client_process.stdin is not None:
            client_process.stdin.close()  # EOF: the client stops at its next command
        await stop(client_process, terminate=False)
        await stop(probe, terminate=True)
        if drainer is not None:
            await asyncio.wait_for(drainer, 10)

    mb = 1024.0
    held, idle_cpu = end.at - after_open.at, 100 * (base.cpu_s - idle.cpu_s) / (base.at - idle.at)
    hold_cpu = 100 * (end.cpu_s - after_open.cpu_s) / held
    got = max(1, opened["opened"])  # N when every connection opened
    per_connection = (end.rss_kb - base.rss_kb) / got
    count("connections asked", n)
    count("connections opened", opened["opened"], f"failures {opened['failures'] or 'none'}")
    count("still open at the end of the hold", checked["still_open"], f"closed {checked['closed_codes'] or 'none'}")
    count("sample echoed at the end", checked["echoed"], f"of {checked['sampled']} {checked['echo_failures'] or ''}")
    count("pings answered per connection (min)", checked["pings_min"], f"median {checked['pings_median']:g}")
    count("probe's open sockets (fds end - baseline)", end.fds - base.fds)
    count("probe's 503 refusals logged", sum(log.refused.values()), str(dict(log.refused) or ""))
    count("listen queue overflows while opening", overflows, f"system-wide TcpExt ListenOverflows; backlog {BACKLOG}")
    figure("open time, all connections", opened["seconds"], "s", f"{opened['opened'] / opened['seconds']:.0f}/s")
    figure("probe CPU per connection opened", 1000 * (after_open.cpu_s - base.cpu_s) / got, "ms")
    figure("probe RSS baseline (after warm-up)", base.rss_kb / mb, "MB")
    figure("probe RSS, all open", after_open.rss_kb / mb, "MB")
    figure("probe RSS, end of hold", end.rss_kb / mb, "MB", f"peak {end.hwm_kb / mb:.1f} MB")
    figure("probe RSS after the clients closed", after_close.rss_kb / mb, "MB")
    figure("RSS per connection (end - baseline) / opened", per_connection, "KB")
    figure("probe CPU, idle before connections", idle_cpu, "%")
    figure(f"probe CPU during the {held:.0f} s idle hold", hold_cpu, "%", "of one core")
    if checked["echo_median_ms"] is not None:
        figure("echo round trip on the sample (median)", checked["echo_median_ms"], "ms")
    figure("client close time, all connections", closed["seconds"], "s")
    for message, times in log.problems.most_common(5):
        print(f"probe logged {times} × {message}")

    all_held = checked["still_open"] == n and checked["echoed"] == checked["sampled"] > 0
    projected = (base.rss_kb + TARGET_CONNECTIONS * per_connection) / mb
    projected_cpu = hold_cpu * TARGET_CONNECTIONS / got
    figure(f"projected RSS for {TARGET_CONNECTIONS} connections", projected, "MB", "baseline + 5000 × per-connection")
    figure(f"projected hold CPU for {TARGET_CONNECTIONS}", projected_cpu, "%", f"at a {heartbeat:g} s heartbeat")
    met = all_held and pinned and n >= TARGET_CONNECTIONS and end.rss_kb / mb < TARGET_RSS_MB and hold_cpu < 100
    print(
        f"target {TARGET_CONNECTIONS} connections on one core under {TARGET_RSS_MB:.0f} MB: "
        + ("met" if met else "NOT met" if n >= TARGET_CONNECTIONS else "not measured (fewer connections)")
        + f" (held {checked['still_open']}/{n}, {end.rss_kb / mb:.1f} MB, {hold_cpu:.1f} % of one core"
        + ("" if pinned else ", not pinned")
        + ")"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--connections", type=int, default=TARGET_CONNECTIONS, help="WebSockets to hold (5000)")
    parser.add_argument("--hold", type=float, default=30.0, help="seconds to hold them idle (30)")
    parser.add_argument("--heartbeat", type=float, help="the probe's --heartbeat (10, or hold/2 if shorter)")
    parser.add_argument("--batch", type=int, default=100, help="handshakes in flight at once (100)")
    parser.add_argument("--sample", type=int, default=100, help="connections echoed at the end (100)")
    parser.add_argument("--tls", action="store_true", help="serve WSS with a test-CA certificate")
    parser.add_argument("--probe-max-connections", type=int, help="the probe's --max-connections (N + 16)")
    parser.add_argument("--nofile", type=int, help="the probe's RLIMIT_NOFILE (default: the hard limit)")
    parser.add_argument("--client", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--ca", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        asyncio.run(client_main(args.client, args.connections, args.batch, args.sample, args.ca))
    else:
        asyncio.run(bench(args))


if __name__ == "__main__":
    main()
