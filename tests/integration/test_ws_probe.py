"""The reference probe server, in process and as a real `python -m sparkgui.probe` subprocess."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import ssl
import sys
from pathlib import Path

import aiohttp
import pytest

from sparkgui.probe import ProbeConfig, start_probe
from tests.servers.tls_servers import LoopbackPki
from tests.support import run


async def _with_probe(config: ProbeConfig, body: object) -> None:
    runner, port = await start_probe(config=config, shutdown_timeout=0.5)
    try:
        async with aiohttp.ClientSession() as session:
            await body(session, f"http://127.0.0.1:{port}")  # type: ignore[operator]
    finally:
        await runner.cleanup()


def test_health_page_and_echo_of_text_and_binary() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        async with session.get(base + "/healthz") as response:
            assert response.status == 204
        async with session.get(base + "/") as response:
            assert response.status == 200 and "Sparkup network probe" in await response.text()
        async with session.ws_connect(base + "/ws", autoping=False) as ws:
            await ws.send_str("héllo")
            assert (await ws.receive(timeout=2)).data == "héllo"
            await ws.send_bytes(b"\x00\xffbinary")
            message = await ws.receive(timeout=2)
            assert message.type is aiohttp.WSMsgType.BINARY and message.data == b"\x00\xffbinary"
            await ws.ping(b"are you there")
            pong = await ws.receive(timeout=2)
            assert pong.type is aiohttp.WSMsgType.PONG and pong.data == b"are you there"

    run(_with_probe(ProbeConfig(), body))


def test_no_server_traffic_by_default_and_heartbeats_when_asked() -> None:
    async def quiet(session: aiohttp.ClientSession, base: str) -> None:
        async with session.ws_connect(base + "/ws", autoping=False) as ws:
            with pytest.raises(asyncio.TimeoutError):
                await ws.receive(timeout=0.8)

    async def chatty(session: aiohttp.ClientSession, base: str) -> None:
        async with session.ws_connect(base + "/ws", autoping=False) as ws:
            message = await ws.receive(timeout=2)
            assert message.type is aiohttp.WSMsgType.PING

    run(_with_probe(ProbeConfig(), quiet))
    run(_with_probe(ProbeConfig(heartbeat_seconds=0.3), chatty))


def test_oversized_message_closes_with_1009() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        async with session.ws_connect(base + "/ws") as ws:
            await ws.send_str("x" * 100)
            assert (await ws.receive(timeout=2)).data == "x" * 100
            await ws.send_str("x" * 1000)  # exactly the limit: accepted
            assert (await ws.receive(timeout=2)).data == "x" * 1000
            await ws.send_str("x" * 2000)
            message = await ws.receive(timeout=2)
            assert message.type is aiohttp.WSMsgType.CLOSE and message.data == 1009

    run(_with_probe(ProbeConfig(max_message_bytes=1000), body))


def test_connection_limit_answers_503_and_frees_the_slot(caplog: pytest.LogCaptureFixture) -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        async with session.ws_connect(base + "/ws") as first:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(base + "/ws")
            assert refused.value.status == 503
            await first.send_str("still here")
            assert (await first.receive(timeout=2)).data == "still here"
        for _ in range(50):  # the server notices the close and frees the slot
            try:
                async with session.ws_connect(base + "/ws") as again:
                    await again.close()
                return
            except aiohttp.WSServerHandshakeError:
                await asyncio.sleep(0.02)
        raise AssertionError("the slot was never freed")

    with caplog.at_level(logging.INFO, logger="sparkgui.probe"):
        run(_with_probe(ProbeConfig(max_connections=1), body))
    lines = [r.getMessage() for r in caplog.records if r.name == "sparkgui.probe"]
    assert any("reason=connection_limit" in line for line in lines)
    # The peer is logged masked to its network: never a whole client address.
    served = [line for line in lines if line.startswith("ws peer=127.0.0.0/24 ")]
    assert len(served) == 2  # one line per connection served
    assert "messages=1" in served[0] and "close_code=1000" in served[0]


def test_subprocess_serves_wss_and_stops_cleanly_on_sigterm(tmp_path: Path, pki: LoopbackPki) -> None:
    issued = pki.ca.issue_cert("127.0.0.1", "probe.test")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    issued.private_key_pem.write_to_path(str(key))
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    client_context = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])

    async def scenario() -> tuple[int | None, str, int | None]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "sparkgui.probe",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--cert",
            str(cert),
            "--key",
            str(key),
            stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
        )
        assert process.stderr is not None
        try:
            async with asyncio.timeout(15):
                first = (await process.stderr.readline()).decode()
            match = re.search(r"listening on https://127\.0\.0\.1:(\d+)", first)
            assert match, first
            url = f"wss://127.0.0.1:{match.group(1)}/ws"
            async with aiohttp.ClientSession() as session, session.ws_connect(url, ssl=client_context) as ws:
                await ws.send_str("before shutdown")
                assert (await ws.receive(timeout=2)).data == "before shutdown"
                process.send_signal(signal.SIGTERM)
                closing = await ws.receive(timeout=5)
                close_code = closing.data if closing.type is aiohttp.WSMsgType.CLOSE else None
            async with asyncio.timeout(10):
                rest = (await process.stderr.read()).decode()
                await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        return process.returncode, first + rest, close_code

    code, log, close_code = run(scenario())
    assert close_code == 1001  # going away, not a cut connection
    assert code == 0, log
    assert re.search(r"ws peer=127\.0\.0\.0/24 duration_s=[\d.]+ messages=1 .*end=server_shutdown", log), log
    assert "stopped" in log


def test_subprocess_refuses_a_certificate_without_its_key(tmp_path: Path) -> None:
    async def scenario() -> tuple[int | None, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "sparkgui.probe", "--cert", str(tmp_path / "c.pem"), stderr=asyncio.subprocess.PIPE
        )
        _, err = await asyncio.wait_for(process.communicate(), 15)
        return process.returncode, err.decode()

    code, err = run(scenario())
    assert code == 2 and "give both a certificate and a key" in err


def test_one_address_gets_half_the_connections_and_an_echo_has_a_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    import sparkgui.probe.app as probe_app

    monkeypatch.setattr(probe_app, "ECHO_BUDGET_BYTES", 50_000)

    async def body(session: aiohttp.ClientSession, base: str) -> None:
        first, second = await session.ws_connect(base + "/ws"), await session.ws_connect(base + "/ws")
        try:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await session.ws_connect(base + "/ws")
            assert refused.value.status == 429  # this address holds half of the 4 already
            for _ in range(10):  # 60 KB through the echo: past the budget, the connection is closed
                await first.send_bytes(b"x" * 6000)
            closed = None
            for _ in range(20):
                message = await first.receive(timeout=2)
                if message.type is aiohttp.WSMsgType.CLOSE:
                    closed = message.data
                    break
            assert closed == 1008
        finally:
            await first.close()
            await second.close()

    run(_with_probe(ProbeConfig(max_connections=4), body))
