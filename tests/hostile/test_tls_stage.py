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
