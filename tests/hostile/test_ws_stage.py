"""Hostile WebSocket peers, behind a valid TLS handshake and a platform that answers the web request: the
upgrade meets silence, a trickle, a reset, a refusal, a forged accept key or garbage; the open socket meets
silence, garbage frames, a frame announcing exabytes, a reserved opcode; the hold meets odd close codes. Each ends
in a named WebSocket cause within the deadlines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import web

from tests.hostile import peers
from tests.hostile.harness import run_against_peer, run_against_port
from tests.servers.tls_servers import LoopbackPki
from tests.servers.ws_servers import close_after, start_ws_server
from tests.support import run
from tests.ws_support import WS_HOST

REJECTED = {"ws.upgrade_rejected"}
ECHO = {"ws.echo_failed"}


def _then_silent(head: bytes) -> bytes:
    return peers.switching_protocols(head)


def _choosing(header: bytes) -> Callable[[bytes], bytes]:
    """A valid 101 that also carries `header`: a choice the client never asked for."""
    return lambda head: _then_silent(head)[:-2] + header + b"\r\n\r\n"


UPGRADES = {
    "silence": (peers.web_then_upgrade(peers.upgrade_answer(lambda head: b"")), {"ws.handshake_timeout"}),
    "trickled 101": (
        peers.web_then_upgrade(peers.upgrade_trickle(0.2)),
        {"ws.handshake_timeout"},
    ),
    "reset": (peers.web_then_upgrade(peers.upgrade_answer(lambda head: b"", then="reset")), REJECTED),
    "200 instead of 101": (
        peers.web_then_upgrade(
            peers.upgrade_answer(lambda head: b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", then="close")
        ),
        REJECTED,
    ),
    "forged accept key": (
        peers.web_then_upgrade(peers.upgrade_answer(lambda head: peers.switching_protocols(head, b"Zm9yZ2Vk"))),
        REJECTED,
    ),
    "garbage instead of 101": (
        peers.web_then_upgrade(peers.upgrade_answer(lambda head: peers.garbage(512), then="close")),
        REJECTED,
    ),
    "101 choosing a subprotocol never asked for": (
        peers.web_then_upgrade(peers.upgrade_answer(_choosing(b"Sec-WebSocket-Protocol: chat"))),
        REJECTED,
    ),
    "101 choosing an extension never asked for": (
        peers.web_then_upgrade(peers.upgrade_answer(_choosing(b"Sec-WebSocket-Extensions: x-evil; a=1"))),
        REJECTED,
    ),
    "101 then silence": (peers.web_then_upgrade(peers.upgrade_answer(_then_silent)), ECHO),
    "101 then reset": (peers.web_then_upgrade(peers.upgrade_answer(_then_silent, then="reset")), ECHO),
    "101 then garbage frames": (
        peers.web_then_upgrade(peers.upgrade_answer(lambda head: _then_silent(head) + peers.garbage(256))),
        ECHO,
    ),
    "101 then an exabyte frame": (
        peers.web_then_upgrade(
            peers.upgrade_answer(lambda head: _then_silent(head) + peers.frame(0x2, b"x" * 64, announced=1 << 60))
        ),
        ECHO | {"ws.flood"},
    ),
    "101 then a reserved opcode": (
        peers.web_then_upgrade(peers.upgrade_answer(lambda head: _then_silent(head) + peers.frame(0x3, b"?"))),
        ECHO,
    ),
    "101 then a forbidden close code": (
        peers.web_then_upgrade(
            peers.upgrade_answer(lambda head: _then_silent(head) + peers.frame(0x8, (1005).to_bytes(2, "big")))
        ),
        ECHO,
    ),
}


@pytest.mark.parametrize("case", sorted(UPGRADES))
def test_a_hostile_upgrade_or_socket_ends_in_a_named_websocket_cause(
    case: str, pki: LoopbackPki, tmp_path: Path
) -> None:
    behaviour, causes = UPGRADES[case]
    context = pki.server_context(WS_HOST)
    hostile = run(run_against_peer(tmp_path / "run", behaviour, host=WS_HOST, ssl_context=context, websocket=True))
    result = hostile.assert_well_behaved("ws:", causes)
    assert result["status"] == "fail"
    assert hostile.result("https:")["status"] == "pass"
    assert hostile.result("ws-hold:")["cause"] == "skipped.prerequisite"
    if case == "garbage instead of 101":
        assert "not HTTP" in result["summary"]
    elif case == "reset":
        assert "was cut" in result["summary"]


@pytest.mark.parametrize("code", [1001, 1002, 1008, 1011, 1013, 1014, 3000, 4000, 4999])
def test_an_odd_close_code_during_the_hold_is_a_named_drop_with_its_code(
    code: int, pki: LoopbackPki, tmp_path: Path
) -> None:
    async def scenario() -> object:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), close_after(1.0, code))
        try:
            return await run_against_port(tmp_path / "run", port, host=WS_HOST, websocket=True, hold=3)
        finally:
            await runner.cleanup()

    hostile = run(scenario())
    assert hostile.result("ws:")["status"] == "pass"  # type: ignore[attr-defined]
    result = hostile.assert_well_behaved("ws-hold:", {"ws.dropped"})  # type: ignore[attr-defined]
    assert result["evidence"]["close_code"] == code
    assert f"close code {code}" in result["summary"]


def test_a_server_that_pings_and_drops_the_deaf_is_not_a_venue_idle_timeout(pki: LoopbackPki, tmp_path: Path) -> None:
    """The platform's server may enforce its own heartbeat: the silent connection leaves its pings unanswered
    (no browser does) and is closed for it. That is no finding about the venue."""

    async def pinging(request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=0.6)  # a ping every 0.6 s; closed when no pong comes back
        await ws.prepare(request)
        async for message in ws:
            if message.type is web.WSMsgType.TEXT:
                await ws.send_str(message.data)
            elif message.type is web.WSMsgType.BINARY:
                await ws.send_bytes(message.data)
        return ws

    async def scenario() -> object:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), pinging)
        try:
            return await run_against_port(tmp_path / "run", port, host=WS_HOST, websocket=True, hold=3)
        finally:
            await runner.cleanup()

    hostile = run(scenario())
    result = hostile.assert_well_behaved("ws-hold:", {"ok"})  # type: ignore[attr-defined]
    assert result["status"] == "pass" and result["evidence"]["silent_closed_by_server_heartbeat"], result
