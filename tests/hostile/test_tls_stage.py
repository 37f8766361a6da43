"""Hostile peers at the TCP and TLS stage: the connection opens, then the handshake meets silence, a trickle,
a reset, a clean close, garbage, an oversized record or plain HTTP. Each ends in a named TLS cause, on time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import peers
from tests.hostile.harness import run_against_peer
from tests.servers.tls_servers import LoopbackPki
from tests.support import run

OVERSIZED_RECORD = b"\x16\x03\x03\xff\xff" + b"\x00" * 70000  # a handshake record past TLS's 16 KB limit
SERVER_HELLO_START = b"\x16\x03\x03\x00\x7a\x02\x00\x00\x76\x03\x03" + bytes(range(32))

CASES = {
    "silence": (peers.silent_after(peers.read_some), {"tls.timeout"}),
    "trickle": (peers.trickle_after(peers.read_some, SERVER_HELLO_START, 0.1), {"tls.timeout"}),
    "reset": (peers.reset_after(peers.read_some), {"tls.blocked"}),
    "reset mid-answer": (peers.reset_after(peers.read_some, SERVER_HELLO_START), {"tls.blocked"}),
    "clean close": (peers.close_after(peers.read_some), {"tls.blocked"}),
    "garbage": (peers.answer_after(peers.read_some, peers.garbage(4096)), {"tls.handshake_failed"}),
    "oversized record": (peers.answer_after(peers.read_some, OVERSIZED_RECORD), {"tls.handshake_failed"}),
    "plain http": (
        peers.close_after(peers.read_some, b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
        {"tls.handshake_failed"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_handshake_ends_in_a_named_tls_cause(case: str, pki: LoopbackPki, tmp_path: Path) -> None:
    behaviour, causes = CASES[case]
    hostile = run(run_against_peer(tmp_path / "run", behaviour))
    hostile.assert_well_behaved("tls:", causes)
    assert hostile.result("tcp:")["status"] == "pass"  # the port answered: it is not a firewall matter
    assert hostile.result("https:")["cause"] == "skipped.prerequisite"


def _alert(description: int) -> bytes:
    """A fatal TLS alert record, as a server or an SNI filter sends it in answer to the ClientHello."""
    return bytes([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, description])


ALERTS = {
    "unrecognized_name": (112, "tls.blocked", "refused as soon as the name was sent"),
    "access_denied": (49, "tls.blocked", "refused as soon as the name was sent"),
    "handshake_failure": (40, "tls.handshake_failed", "no TLS version or cipher"),
    "protocol_version": (70, "tls.handshake_failed", "no TLS version or cipher"),
}


@pytest.mark.parametrize("alert", sorted(ALERTS))
def test_an_alert_refusing_the_hello_says_what_it_refused(alert: str, pki: LoopbackPki, tmp_path: Path) -> None:
    description, cause, words = ALERTS[alert]
    hostile = run(run_against_peer(tmp_path / "run", peers.close_after(peers.read_some, _alert(description))))
    tls = hostile.assert_well_behaved("tls:", {cause})
    assert words in tls["summary"], tls["summary"]
