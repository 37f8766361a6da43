"""Low-level lab plumbing: run `ip`/`nft` commands, and start and stop lab processes by their pid files.

Every process the lab starts gets a pid file and a log under the lab's folder; teardown kills exactly
those pids (and any pid still inside one of the lab's own namespaces), never anything found by name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

COMMAND_TIMEOUT = 10.0


class LabError(RuntimeError):
    """The lab could not be set up or driven; the message has the command and its error output."""


def sh(*argv: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise LabError(f"{' '.join(argv)}: no answer within {COMMAND_TIMEOUT:g} s") from None
    if check and done.returncode != 0:
        raise LabError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def ip(ns: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return sh("ip", "-n", ns, *args, check=check)


def in_ns(ns: str, *argv: str, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    return sh("ip", "netns", "exec", ns, *argv, stdin=stdin, check=check)


def nft(ns: str, script: str) -> None:
    """Apply an nftables script atomically inside `ns`."""
    in_ns(ns, "nft", "-f", "-", stdin=script)


def sysctl(ns: str, *settings: str) -> None:
    in_ns(ns, "sysctl", "-q", "-w", *settings)


def namespaces() -> list[str]:
    out = sh("ip", "netns", "list").stdout
    return [line.split()[0] for line in out.splitlines() if line.strip()]


def pids_in(ns: str) -> list[int]:
    done = sh("ip", "netns", "pids", ns, check=False)
    return [int(p) for p in done.stdout.split()] if done.returncode == 0 else []


def unavailable_reason() -> str:
    """Why network namespaces cannot be used here, or '' when they can."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return (
            "the network lab needs root to create network namespaces (run: sudo .venv/bin/python -m pytest tests/lab)"
        )
    for tool in ("ip", "nft", "dnsmasq", "ss"):
        if shutil.which(tool) is None:
            return f"the network lab needs '{tool}' (install iproute2, nftables and dnsmasq-base)"
    if not Path("/dev/net/tun").exists():
        return "the network lab needs /dev/net/tun for its delay relay"
    probe = f"sg{os.getpid()}-probe"
    try:
        sh("ip", "netns", "add", probe)
    except LabError as exc:
        return f"network namespaces cannot be created here: {exc}"
    sh("ip", "netns", "del", probe, check=False)
    return ""


@dataclass
class LabProcess:
    """One process the lab started inside a namespace, known by its pid file."""

    name: str
    ns: str
    pid_file: Path
    log: Path
    popen: subprocess.Popen[bytes]
    log_offset: int = 0  # where this run's output starts in the log (a restarted server appends to it)
    stop_grace: float = 2.0  # seconds between TERM and KILL

    @classmethod
    def start(
        cls, folder: Path, name: str, ns: str, argv: Sequence[str], env: dict[str, str] | None = None
    ) -> LabProcess:
        log = folder / f"{name}.log"
        pid_file = folder / f"{name}.pid"
        offset = log.stat().st_size if log.exists() else 0
        with log.open("ab") as out:
            # `ip netns exec` execs the command in place, so this pid is the server's own.
            popen = subprocess.Popen(
                ["ip", "netns", "exec", ns, *argv],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        pid_file.write_text(f"{popen.pid}\n")
        return cls(name, ns, pid_file, log, popen, offset)

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_ready(self, ready: str, timeout: float = 5.0) -> None:
        """Wait for `ready` to appear in the log (the scripts print 'ready' once they listen)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if ready in self.output():
                return
            if not self.alive():
                break
            time.sleep(0.02)
        tail = self.output()[-2000:]
        self.stop()
        raise LabError(f"{self.name} did not start within {timeout:g} s; its log ends with:\n{tail}")

    def output(self) -> str:
        """What this run of the process wrote to its log."""
        with self.log.open("rb") as handle:
            handle.seek(self.log_offset)
            return handle.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """TERM, then KILL after `stop_grace` s; our own child, so wait() reaps it and tells when it is gone."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=self.stop_grace)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=self.stop_grace)
        self.pid_file.unlink(missing_ok=True)


def kill_pid_file(pid_file: Path, grace: float = 2.0) -> None:
    """Stop the process named by `pid_file` (TERM, then KILL after `grace` s) and remove the file."""
    try:
        pid = int(pid_file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return
    kill_pid(pid, grace)
    pid_file.unlink(missing_ok=True)


def kill_pid(pid: int, grace: float = 2.0) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _running(pid):
            return
        time.sleep(0.02)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _running(pid: int) -> bool:
    """True while `pid` exists and is not a zombie (our own children are reaped elsewhere)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False
