"""The operating system's own lookup of a name (getaddrinfo), as the browser does it, within a deadline.

sparkgui asks the resolvers directly, which tells faults apart; the browser goes through the OS, with its
hosts file, DNS suffixes, a VPN's split DNS and its own IPv6 behaviour. The two are compared so that what
the browser lives with is reported too. getaddrinfo cannot be cancelled, so it runs in a daemon thread:
the check returns at its deadline, and a lookup still running never holds the program open.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import os
import socket
import sys
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def hosts_path() -> Path:
    """The system's hosts file (Windows keeps it under System32)."""
    if sys.platform == "win32":
        return Path(os.environ.get("SYSTEMROOT", r"C:\Windows")) / "System32" / "drivers" / "etc" / "hosts"
    return Path("/etc/hosts")


@dataclass(frozen=True)
class SystemLookup:
    """What the OS said for a name: its addresses (IPv6 first, as the report lists them), or why not."""

    addresses: tuple[str, ...]
    elapsed_ms: int
    error: str = ""  # the OS's own message when the lookup failed
    timed_out: bool = False

    def as_evidence(self) -> dict[str, object]:
        """The lookup for the report's evidence."""
        data: dict[str, object] = {"addresses": list(self.addresses), "ms": self.elapsed_ms}
        if self.error:
            data["error"] = self.error
        if self.timed_out:
            data["timed_out"] = True
        return data


async def system_lookup(host: str, timeout: float) -> SystemLookup:
    """Look `host` up as the browser would (getaddrinfo, IPv4 and IPv6), giving up after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[tuple[tuple[str, ...], str]] = loop.create_future()
    started = time.perf_counter()

    def deliver(result: tuple[tuple[str, ...], str]) -> None:
        if not answer.done():
            answer.set_result(result)

    def resolve() -> None:
        try:
            infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
            result: tuple[tuple[str, ...], str] = (_ordered(str(info[4][0]) for info in infos), "")
        except (OSError, UnicodeError) as exc:
            result = ((), str(exc) or type(exc).__name__)
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits any more
            loop.call_soon_threadsafe(deliver, result)

    threading.Thread(target=resolve, name=f"system-lookup {host}", daemon=True).start()
    try:
        addresses, error = await asyncio.wait_for(asyncio.shield(answer), timeout)
    except TimeoutError:
        return SystemLookup((), _ms(started), f"no answer within {timeout:g} s", timed_out=True)
    return SystemLookup(addresses, _ms(started), error)


def hosts_file_addresses(host: str, path: Path | None = None) -> tuple[str, ...]:
    """The addresses the hosts file gives `host` (empty when it does not list it, or cannot be read)."""
    try:
        text = (path or hosts_path()).read_text("utf-8", errors="replace")
    except OSError:
        return ()
    wanted = host.lower().rstrip(".")
    found: list[str] = []
    for line in text.splitlines()[:10_000]:
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 2 and wanted in (name.lower().rstrip(".") for name in fields[1:]):
            try:
                found.append(str(ipaddress.ip_address(fields[0].split("%", 1)[0])))
            except ValueError:
                continue
    return _ordered(found)


def _ordered(addresses: Iterable[str]) -> tuple[str, ...]:
    unique = list(dict.fromkeys(addresses))
    return tuple(sorted(unique, key=lambda a: ipaddress.ip_address(a.split("%", 1)[0]).version, reverse=True))


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
