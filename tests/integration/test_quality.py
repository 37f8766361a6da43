"""Connection quality over the WebSocket echo: a clean loopback link, a slow one and a jittery one (relays
that add fixed or alternating delay), and the thresholds from the profile's [quality] table."""

from __future__ import annotations

import pytest

from sparkgui.core.checks.quality_check import jitter_ms, percentile
from sparkgui.core.demo.delay_relay import DelayRelay
from sparkgui.core.model import RunOutcome, Status
from sparkgui.core.plan import PlanOptions
from sparkgui.core.profile import ProfileError, parse_profile
from sparkgui.probe.server import start_probe
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.support import run
from tests.ws_support import WS_HOST, run_ws, websocket_section, ws_profile_toml


async def _measure(pki: LoopbackPki, delay: float, jitter: float, quality: str) -> RunOutcome:
    runner, upstream = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
    relay = await DelayRelay("127.0.0.1", upstream, delay, jitter=jitter).start()
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    try:
        text = ws_profile_toml(relay.port, hold=1, heartbeat=0.5) + "\n[quality]\n" + quality
        profile = parse_profile(text.encode(), source="quality.toml")
        return await run_ws(profile, dns.port, PlanOptions(hold_seconds=1))
    finally:
        await dns.stop()
        await relay.stop()
        await runner.cleanup()


def _quality(outcome: RunOutcome) -> tuple[Status, str, dict[str, object]]:
    result = next(r for r in outcome.records if r.id == "quality:latency").result
    return result.status, result.cause, dict(result.evidence)


def test_a_clean_link_passes(pki: LoopbackPki) -> None:
    status, cause, evidence = _quality(run(_measure(pki, 0.0, 0.0, "samples = 10\n")))
    assert (status, cause) == (Status.PASS, "ok")
    assert evidence["samples"] == 10 and evidence["lost"] == 0
    assert float(evidence["latency_ms"]) < 100  # type: ignore[arg-type]


@pytest.mark.parametrize("one_way_ms", [25, 60])
def test_the_round_trip_matches_the_delay_added_within_ten_percent(pki: LoopbackPki, one_way_ms: int) -> None:
    status, _, evidence = _quality(run(_measure(pki, one_way_ms / 1000, 0.0, "samples = 10\nmax_latency_ms = 2000\n")))
    assert status is Status.PASS
    added = 2 * one_way_ms
    assert abs(float(evidence["latency_ms"]) - added) <= 0.1 * added, evidence  # type: ignore[arg-type]
    assert float(evidence["p95_ms"]) >= float(evidence["latency_ms"])  # type: ignore[arg-type]
    assert evidence["loss_ratio"] == 0 and len(evidence["rtt_samples_ms"]) == 10  # type: ignore[arg-type]


def test_percentile_is_the_nearest_rank() -> None:
    samples = [float(value) for value in range(1, 21)]
    assert percentile(samples, 95) == 19.0 and percentile(samples, 50) == 10.0 and percentile([7.0], 95) == 7.0


def test_a_slow_link_is_a_latency_warning(pki: LoopbackPki) -> None:
    # 80 ms each way through the relay: ~160 ms round trips against a 100 ms threshold.
    status, cause, evidence = _quality(run(_measure(pki, 0.08, 0.0, "samples = 6\nmax_latency_ms = 100\n")))
    assert (status, cause) == (Status.WARN, "net.high_latency")
    assert 150 <= float(evidence["latency_ms"]) < 400  # type: ignore[arg-type]


def test_a_jittery_link_is_a_jitter_warning(pki: LoopbackPki) -> None:
    # Every other chunk waits 150 ms more: round trips swing, their median stays under the latency bar.
    quality = "samples = 8\nmax_latency_ms = 2000\nmax_jitter_ms = 50\n"
    status, cause, evidence = _quality(run(_measure(pki, 0.0, 0.15, quality)))
    assert (status, cause) == (Status.WARN, "net.jitter")
    assert float(evidence["jitter_ms"]) > 50  # type: ignore[arg-type]


def test_jitter_is_the_mean_step_between_round_trips() -> None:
    assert jitter_ms([100, 100, 100]) == 0
    assert jitter_ms([100, 300, 100, 300]) == 200
    assert jitter_ms([42]) == 0


@pytest.mark.parametrize(
    ("quality", "message"),
    [
        ("max_latency_ms = 0\n", "quality.max_latency_ms: expected milliseconds above 0"),
        ("samples = 2\n", "quality.samples: expected a whole number from 5 to 200"),
        ("max_jiter_ms = 10\n", "quality.max_jiter_ms: unknown key"),
    ],
)
def test_bad_quality_settings_are_named(quality: str, message: str) -> None:
    text = '{}\n[[endpoint]]\nhost = "a.test"\n{}\n[quality]\n{}'.format(
        'schema = 1\nname = "x"', websocket_section(443), quality
    )
    with pytest.raises(ProfileError, match=message.replace(".", r"\.")):
        parse_profile(text.encode(), source="q.toml")


def test_without_a_quality_table_nothing_is_measured() -> None:
    text = 'schema = 1\nname = "x"\n[[endpoint]]\nhost = "a.test"\n' + websocket_section(443)
    from sparkgui.core.plan import plan_checks

    assert not [c for c in plan_checks(parse_profile(text.encode(), source="q.toml")) if c.info.kind == "quality"]
