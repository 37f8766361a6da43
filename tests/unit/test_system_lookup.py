"""The OS's own lookup, compared with the resolvers': the real getaddrinfo on a name the hosts file holds
(no traffic), the hosts-file reader, and the rules that turn a difference into a named finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkgui.core.checks.dns_system import system_finding
from sparkgui.core.facts import DnsFacts
from sparkgui.core.net.resolver import Lookup, QueryOutcome, Rcode
from sparkgui.core.net.system_lookup import SystemLookup, hosts_file_addresses, system_lookup
from tests.support import run

PLATFORM = ("52.85.132.10",)  # a public address, as the platform's are


def _found(a: Rcode = Rcode.ANSWER, aaaa: Rcode = Rcode.NO_ANSWER, ms: int = 20, server: str = "") -> Lookup:
    return Lookup(
        "app.test",
        ("192.0.2.53", "192.0.2.54"),
        QueryOutcome("A", a, PLATFORM if a is Rcode.ANSWER else (), elapsed_ms=ms, server=server),
        QueryOutcome("AAAA", aaaa, elapsed_ms=ms, server=server),
        ms,
    )


def _finding(found: Lookup, system: SystemLookup) -> str | None:
    result = system_finding("app.test", found, system, {}, DnsFacts(found.addresses, found.aaaa.rcode))
    return None if result is None else str(result.cause)


def test_the_real_system_lookup_reads_the_hosts_file() -> None:
    seen = run(system_lookup("localhost", 3.0))
    assert not seen.timed_out and seen.error == ""
    assert "127.0.0.1" in seen.addresses or "::1" in seen.addresses


def test_the_hosts_file_reader_finds_a_name_among_aliases(tmp_path: Path) -> None:
    hosts = tmp_path / "hosts"
    hosts.write_text("# comment\n127.0.0.1 localhost\n192.0.2.99  other.test  App.Test # left over\nbad line\n")
    assert hosts_file_addresses("app.test", hosts) == ("192.0.2.99",)
    assert hosts_file_addresses("missing.test", hosts) == ()
    assert hosts_file_addresses("app.test", tmp_path / "absent") == ()


@pytest.mark.parametrize(
    ("found", "system", "cause"),
    [
        (_found(), SystemLookup(PLATFORM, 25), None),  # same answer, as fast
        (_found(), SystemLookup(PLATFORM, 900), None),  # slower, but not by a second
        (_found(aaaa=Rcode.TIMEOUT), SystemLookup((), 3000, "no answer", timed_out=True), "dns.system_slow"),
        (_found(server="192.0.2.54"), SystemLookup(PLATFORM, 5100), "dns.system_slow"),  # the first is dead
        (_found(), SystemLookup(PLATFORM, 5100), None),  # slow once, for no reason the answers show: evidence only
        (_found(), SystemLookup(("10.8.0.5",), 30), "dns.system_differs"),  # a VPN's split DNS: private
        (_found(), SystemLookup(("52.85.132.77",), 30), None),  # another public set: a CDN's rotation
        (_found(), SystemLookup((), 30, "Name or service not known"), None),  # its own failure, in the evidence
    ],
)
def test_a_difference_becomes_a_named_finding(found: Lookup, system: SystemLookup, cause: str | None) -> None:
    assert _finding(found, system) == cause
