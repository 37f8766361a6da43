"""The `ws:` check against real servers on loopback: the probe, upgrade-mangling relays, a server that never
answers the upgrade, one that never echoes, and DNS/TCP/TLS faults that must not be re-diagnosed."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
import trustme

from sparkgui.core.model import CheckRecord, Status, Verdict
from sparkgui.probe import start_probe
from tests.servers.dns_server import NXDOMAIN, DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port
from tests.servers.upgrade_filter import UpgradeFilter
from tests.servers.ws_servers import never_upgrade, start_ws_server, swallow_messages
from tests.support import by_id, run
from tests.ws_support import WS_HOST, run_ws, ws_profile

WS_ID = "ws:wss://{host}:{port}/ws"
HOLD_ID = "ws-hold:wss://{host}:{port}/ws"


@asynccontextmanager
async def zone() -> AsyncIterator[DnsServer]:
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    try:
        yield dns
    finally:
        await dns.stop()


async def _checks(port: int, dns: DnsServer, **profile: Any) -> tuple[dict[str, CheckRecord], Verdict]:
    outcome = await run_ws(ws_profile(port, **profile), dns.port)
    return by_id(outcome), outcome.verdict


def ws_record(checks: dict[str, CheckRecord], port: int) -> CheckRecord:
    return checks[WS_ID.format(host=WS_HOST, port=port)]


def test_probe_passes_and_records_the_echo_round_trip(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        try:
            async with zone() as dns:
                checks, verdict = await _checks(port, dns, hold=0.5)
        finally:
            await runner.cleanup()
        ws = ws_record(checks, port).result
        assert (ws.status, ws.cause) == (Status.PASS, "ok"), ws
        assert ws.evidence["status"] == 101
        assert 0 < ws.evidence["rtt_ms"] < 1000 and len(ws.evidence["rtt_samples_ms"]) == 3
        assert ws.evidence["binary_rtt_ms"] > 0
        assert ws_record(checks, port).info.requires == (f"tls:{WS_HOST}:{port}",)
        assert verdict is Verdict.READY

    run(scenario())


@pytest.mark.parametrize(
    ("mode", "status", "words"),
    [
        ("strip", 400, "refused (HTTP 400"),  # the request lost its Upgrade header: the platform says 400
        ("refuse", 403, "answered by 1.1 proxy.venue.test (squid/6.1)"),  # the proxy answers itself
        ("strip_response", 101, "invalid upgrade"),  # 101 without Upgrade: rewritten on the way back
    ],
)
def test_mangled_upgrade_is_rejected_with_the_answer_as_evidence(
    pki: LoopbackPki, mode: str, status: int, words: str
) -> None:
    async def scenario() -> dict[str, CheckRecord]:
        runner, upstream = await start_probe(shutdown_timeout=0.5)  # plain HTTP behind the TLS relay
        relay = await UpgradeFilter("127.0.0.1", upstream, pki.server_context(WS_HOST), mode).start()  # type: ignore[arg-type]
        try:
            async with zone() as dns:
                checks, _ = await _checks(relay.port, dns)
        finally:
            await relay.stop()
            await runner.cleanup()
        assert relay.seen_upgrades >= 1
        return checks

    checks = run(scenario())
    record = next(r for r in checks.values() if r.info.kind == "ws")
    result = record.result
    assert (result.status, result.cause) == (Status.FAIL, "ws.upgrade_rejected"), result
    assert result.evidence["status"] == status
    assert words in str(result.summary)
    assert "Upgrade" in str(result.remedy)
    headers = result.evidence["headers"]
    assert isinstance(headers, dict) and headers
    if mode == "refuse":
        assert result.evidence["server"] == "squid/6.1"
        assert headers["X-Squid-Error"] == "ERR_ACCESS_DENIED 0"
    if mode == "strip_response":
        assert "Upgrade" not in headers and result.evidence["problem"] == "Invalid upgrade header"
    hold = next(r for r in checks.values() if r.info.kind == "ws-hold").result
    assert hold.status is Status.SKIPPED and hold.evidence["prerequisite"] == record.id


def test_unanswered_upgrade_is_a_handshake_timeout_within_the_deadline(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[dict[str, CheckRecord], int, float]:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), never_upgrade)
        try:
            async with zone() as dns:
                began = time.perf_counter()
                checks, _ = await _checks(port, dns, timeouts={"http": 1.0})
                elapsed = time.perf_counter() - began
        finally:
            await runner.cleanup()
        return checks, port, elapsed

    checks, port, elapsed = run(scenario())
    result = ws_record(checks, port).result
    assert (result.status, result.cause) == (Status.FAIL, "ws.handshake_timeout"), result
    assert result.evidence["deadline_s"] == 1.0
    assert 1.0 <= result.evidence["elapsed_ms"] / 1000 < 2.0
    assert elapsed < 6  # does not hang


def test_echo_that_never_comes_back_is_echo_failed(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[dict[str, CheckRecord], int]:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), swallow_messages)
        try:
            async with zone() as dns:
                checks, verdict = await _checks(port, dns, timeouts={"http": 0.8})
        finally:
            await runner.cleanup()
        assert verdict is Verdict.NOT_READY
        return checks, port

    checks, port = run(scenario())
    result = ws_record(checks, port).result
    assert (result.status, result.cause) == (Status.FAIL, "ws.echo_failed"), result
    assert result.evidence["status"] == 101 and result.evidence["echo_error"] == "timeout"
    assert result.evidence["echoes_ok"] == 0


Setup = Callable[[LoopbackPki], Awaitable[tuple[int, Callable[[], Awaitable[None]], list[str] | str]]]


async def _nxdomain(pki: LoopbackPki) -> tuple[int, Callable[[], Awaitable[None]], list[str] | str]:
    async def nothing() -> None:
        pass

    return 443, nothing, NXDOMAIN


async def _refused(pki: LoopbackPki) -> tuple[int, Callable[[], Awaitable[None]], list[str] | str]:
    async def nothing() -> None:
        pass

    return closed_port(), nothing, ["127.0.0.1"]


async def _untrusted(pki: LoopbackPki) -> tuple[int, Callable[[], Awaitable[None]], list[str] | str]:
    stranger = trustme.CA(organization_name="Venue inspection CA")
    runner, port = await start_probe(ssl_context=LoopbackPki(stranger).server_context(WS_HOST), shutdown_timeout=0.5)
    return port, runner.cleanup, ["127.0.0.1"]


@pytest.mark.parametrize(
    ("setup", "prerequisite", "cause"),
    [
        (_nxdomain, "dns:{host}", "dns.nxdomain"),
        (_refused, "tcp:{host}:{port}", "tcp.refused"),
        (_untrusted, "tls:{host}:{port}", "tls.untrusted"),
    ],
)
def test_transport_faults_are_not_rediagnosed(pki: LoopbackPki, setup: Setup, prerequisite: str, cause: str) -> None:
    async def scenario() -> tuple[dict[str, CheckRecord], int]:
        port, stop, entry = await setup(pki)
        try:
            dns = await DnsServer({WS_HOST: entry}).start()
            try:
                checks, _ = await _checks(port, dns)
            finally:
                await dns.stop()
        finally:
            await stop()
        return checks, port

    checks, port = run(scenario())
    failing = prerequisite.format(host=WS_HOST, port=port)
    assert checks[failing].result.cause == cause
    for check_id in (WS_ID, HOLD_ID):
        result = checks[check_id.format(host=WS_HOST, port=port)].result
        assert result.status is Status.SKIPPED, result
        assert result.cause == "skipped.prerequisite"
        assert result.evidence["prerequisite"] == failing  # names the check that really failed
