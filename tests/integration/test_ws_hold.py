"""The `ws-hold:` check against real sockets on loopback: the probe, a relay that kills idle connections
(with RST, or by silently discarding their data), and a server that closes with a given code after N seconds.
Holds are a few seconds long."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Literal

import pytest

from sparkgui.core.engine import prepare_run
from sparkgui.core.model import CheckRecord, RunOutcome, Status, Verdict
from sparkgui.core.plan import PlanOptions
from sparkgui.probe import start_probe
from tests.servers.dns_server import DnsServer
from tests.servers.idle_relay import IdleKillRelay
from tests.servers.tls_servers import LoopbackPki
from tests.servers.ws_servers import close_after, start_ws_server
from tests.support import by_id, loopback_network, run
from tests.ws_support import WS_HOST, ProgressLog, run_ws, ws_profile


def hold_of(outcome: RunOutcome) -> CheckRecord:
    return next(r for r in outcome.records if r.info.kind == "ws-hold")


async def _through_relay(
    pki: LoopbackPki, idle: float, mode: Literal["rst", "discard"], **profile: Any
) -> tuple[RunOutcome, float]:
    runner, upstream = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
    relay = await IdleKillRelay("127.0.0.1", upstream, idle, mode).start()
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    try:
        began = time.perf_counter()
        outcome = await run_ws(ws_profile(relay.port, **profile), dns.port)
        elapsed = time.perf_counter() - began
    finally:
        await dns.stop()
        await relay.stop()
        await runner.cleanup()
    assert relay.killed >= 1
    return outcome, elapsed


def test_both_connections_survive_the_hold_and_progress_counts_down(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[RunOutcome, ProgressLog]:
        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        log = ProgressLog()
        try:
            outcome = await run_ws(ws_profile(port, hold=60, heartbeat=0.5), dns.port, PlanOptions(3), log)
        finally:
            await dns.stop()
            await runner.cleanup()
        return outcome, log

    outcome, log = run(scenario())
    hold = hold_of(outcome)
    result = hold.result
    assert (result.status, result.cause) == (Status.PASS, "ok"), result
    assert result.evidence["hold_s"] == 3 and 3 <= result.evidence["held_s"] < 3.5  # --hold overrides 60 s
    assert result.evidence["silent"]["alive"] and result.evidence["heartbeat"]["alive"]
    assert "server_pings" not in result.evidence["silent"]  # the probe left the silent connection silent
    assert hold.info.requires == (f"ws:{hold.info.target.url}",)
    # One tick a second, typed beside the message, so a timer never parses a sentence (and shows one clock).
    assert [(c.elapsed_s, c.remaining_s) for check_id, c in log.countdowns if check_id == hold.id] == [
        (0, 3), (1, 2), (2, 1)
    ]  # fmt: skip
    said = {m.render("en") for check_id, _, m in log.messages if check_id == hold.id}
    assert "Holding two WebSockets open, one silent and one with heartbeats" in said
    assert outcome.verdict is Verdict.READY


def test_idle_connections_reset_by_the_network_are_an_idle_timeout(pki: LoopbackPki) -> None:
    outcome, _ = run(_through_relay(pki, 1.0, "rst", hold=3, long_hold=600, heartbeat=0.4))
    result = hold_of(outcome).result
    assert (result.status, result.cause) == (Status.WARN, "ws.idle_timeout"), result
    evidence = result.evidence
    assert 0.9 <= evidence["idle_s"] < 2.0 and evidence["idle_s_is_upper_bound"] is False  # seen as it happened
    assert evidence["silent"]["how"] in ("connection_lost", "error") and evidence["close_code"] == 1006
    assert evidence["heartbeat"]["alive"] is True
    assert "heartbeat every 0.4 s keeps" in str(result.summary)
    assert "idle timeout" in str(result.remedy) and "10 minutes" in str(result.remedy)
    assert outcome.verdict is Verdict.READY_WITH_WARNINGS


def test_idle_connections_silently_discarded_are_found_by_the_final_echo(pki: LoopbackPki) -> None:
    outcome, elapsed = run(_through_relay(pki, 1.0, "discard", hold=2.5, heartbeat=0.4, timeouts={"http": 1.0}))
    result = hold_of(outcome).result
    assert (result.status, result.cause) == (Status.WARN, "ws.idle_timeout"), result
    evidence = result.evidence
    assert evidence["silent"]["how"] == "echo_timeout"  # no close, no reset: only the echo showed it
    assert evidence["idle_s"] == 2.5 and evidence["idle_s_is_upper_bound"] is True
    assert evidence["close_code"] is None
    assert evidence["heartbeat"]["alive"] is True and evidence["heartbeat"]["echo_ms"] > 0
    assert "silently drops" in str(result.summary)
    assert elapsed < 2.5 + 1.0 + 3  # the echo deadline holds


def test_idle_timeout_shorter_than_the_heartbeat_fails(pki: LoopbackPki) -> None:
    # Both connections are cut at 1 s, before the first heartbeat (1.5 s) is even due: silence killed them,
    # and the platform's own heartbeat would come too late too.
    outcome, _ = run(_through_relay(pki, 1.0, "rst", hold=4, heartbeat=1.5))
    result = hold_of(outcome).result
    assert (result.status, result.cause) == (Status.FAIL, "ws.idle_timeout"), result
    assert 0.9 <= result.evidence["idle_s"] < 1.5 and result.evidence["close_code"] == 1006
    assert "sent heartbeats" not in str(result.summary)
    assert result.evidence["held_s"] < 2  # dead connections end the hold early
    assert outcome.verdict is Verdict.NOT_READY


def test_heartbeat_connection_silently_discarded_is_dropped_without_close_code(pki: LoopbackPki) -> None:
    outcome, _ = run(_through_relay(pki, 1.0, "discard", hold=4, heartbeat=1.5, timeouts={"http": 1.0}))
    result = hold_of(outcome).result
    assert (result.status, result.cause) == (Status.FAIL, "ws.dropped"), result
    assert result.evidence["heartbeat"]["how"] == "no_pong"
    assert result.evidence["close_code"] is None and 2.0 <= result.evidence["after_s"] < 3.5
    assert "heartbeats went unanswered" in str(result.summary)


@pytest.mark.parametrize("code", [1011, 4000])
def test_server_closing_after_n_seconds_is_dropped_with_its_close_code(pki: LoopbackPki, code: int) -> None:
    async def scenario() -> RunOutcome:
        runner, port = await start_ws_server(pki.server_context(WS_HOST), close_after(1.0, code))
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        try:
            return await run_ws(ws_profile(port, hold=3, heartbeat=0.4), dns.port)
        finally:
            await dns.stop()
            await runner.cleanup()

    outcome = run(scenario())
    assert by_id(outcome)[f"ws:{hold_of(outcome).info.target.url}"].result.status is (Status.PASS)
    result = hold_of(outcome).result
    assert (result.status, result.cause) == (Status.FAIL, "ws.dropped"), result
    assert result.evidence["close_code"] == code and 0.9 <= result.evidence["after_s"] < 1.6
    assert result.evidence["heartbeat"]["how"] == "close_frame"
    assert f"close code {code}" in str(result.summary)


def test_cancelling_during_the_hold_stops_at_once(pki: LoopbackPki) -> None:
    async def scenario() -> tuple[RunOutcome, float]:
        runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
        dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
        log = ProgressLog()
        try:
            prepared = prepare_run(ws_profile(port, hold=600), loopback_network(dns.port), log)
            task = asyncio.ensure_future(prepared.execute())
            await log.countdown_seen.wait()
            began = time.perf_counter()
            prepared.cancel()
            outcome = await task
            return outcome, time.perf_counter() - began
        finally:
            await dns.stop()
            await runner.cleanup()

    outcome, stop_time = run(scenario(), timeout=30)
    assert outcome.cancelled and outcome.verdict is Verdict.INCOMPLETE
    assert hold_of(outcome).result.cause == "skipped.cancelled"
    assert stop_time < 3
