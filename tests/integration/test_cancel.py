"""A run can be cancelled at any moment and leaves no task, socket or file behind."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from sparkgui.core.engine import prepare_run
from sparkgui.core.events import RecordingSink
from sparkgui.core.model import Status, Verdict
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import SILENT, DnsServer
from tests.servers.tls_servers import LoopbackPki, RawServer, stay_silent
from tests.support import Ep, by_id, loopback_network, make_profile, run


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


async def _hanging_lab() -> tuple[DnsServer, RawServer, BlackholePort]:
    """Endpoints that each hang at a different step: DNS, TCP connect and the TLS handshake."""
    silent_tls = await RawServer(stay_silent).start()
    hole = BlackholePort()
    dns = await DnsServer({"dns.test": SILENT, "tcp.test": ["127.0.0.1"], "tls.test": ["127.0.0.1"]}).start()
    return dns, silent_tls, hole


@pytest.mark.parametrize("after", [0.0, 0.05, 0.3])
def test_cancel_stops_everything_at_once(pki: LoopbackPki, after: float) -> None:
    async def scenario() -> None:
        tasks_before = asyncio.all_tasks()
        fds_before = _open_fds()
        dns, silent_tls, hole = await _hanging_lab()
        profile = make_profile(
            [Ep("dns.test", 443), Ep("tcp.test", hole.port), Ep("tls.test", silent_tls.port)],
            timeouts={"dns": 20, "connect": 20, "tls": 20, "http": 20},
        )
        sink = RecordingSink()
        engine_run = prepare_run(profile, loopback_network(dns.port), sink)
        task = asyncio.ensure_future(engine_run.execute())
        await asyncio.sleep(after)
        began = time.perf_counter()
        engine_run.cancel()
        outcome = await task
        stopped_in = time.perf_counter() - began
        await dns.stop()
        await silent_tls.stop()
        hole.close()
        await asyncio.sleep(0)
        assert stopped_in < 0.5
        assert outcome.cancelled and outcome.verdict is Verdict.INCOMPLETE
        statuses = {r.result.status for r in outcome.records}
        assert statuses <= {Status.SKIPPED, Status.PASS, Status.FAIL}
        assert any(r.result.cause == "skipped.cancelled" for r in outcome.records)
        finished = [e for e, _ in sink.events if e == "check_finished"]
        assert len(finished) == len(outcome.records)  # the GUI hears about every check, cancelled or not
        assert asyncio.all_tasks() - tasks_before == set()
        assert _open_fds() <= fds_before

    run(scenario())


def test_cancelling_the_caller_cleans_up_and_propagates(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        tasks_before = asyncio.all_tasks()
        fds_before = _open_fds()
        dns, silent_tls, hole = await _hanging_lab()
        profile = make_profile(
            [Ep("tcp.test", hole.port), Ep("tls.test", silent_tls.port)], timeouts={"connect": 20, "tls": 20}
        )
        task = asyncio.ensure_future(prepare_run(profile, loopback_network(dns.port)).execute())
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await dns.stop()
        await silent_tls.stop()
        hole.close()
        await asyncio.sleep(0)
        assert asyncio.all_tasks() - tasks_before == set()
        assert _open_fds() <= fds_before

    run(scenario())


def test_progress_events_arrive_in_order(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        sink = RecordingSink()
        profile = make_profile([Ep("app.test", 9)])
        outcome = await prepare_run(profile, loopback_network(dns.port), sink).execute()
        await dns.stop()
        kinds = [kind for kind, _ in sink.events]
        assert kinds[0] == "run_started" and kinds[-1] == "run_finished"
        assert "check_progress" in kinds
        started = [payload for kind, payload in sink.events if kind == "check_started"]
        assert started[:2] == ["proxy:discovery", "dns:app.test"]
        for check_id in started:  # started before it finished
            finish_index = next(
                i
                for i, (k, p) in enumerate(sink.events)
                if k == "check_finished" and getattr(p, "id", None) == check_id
            )
            assert sink.events.index(("check_started", check_id)) < finish_index
        assert by_id(outcome)["tcp:app.test:9"].result.status is Status.FAIL

    run(scenario())
