"""Demo mode: the real engine against a simulated venue on loopback, clearly marked as a demo."""

from __future__ import annotations

import json

import pytest

from sparkgui.core.demo.scenarios import SCENARIOS, scenario_named
from sparkgui.core.demo.venue import demo_venue
from sparkgui.core.engine import prepare_run
from sparkgui.core.environment import describe_environment
from sparkgui.core.plan import PlanOptions
from sparkgui.core.profile import load_bundled_profile
from sparkgui.core.report import build_report
from tests.integration.test_cli import sparkgui
from tests.support import run, validate_report

EXPECTED = {
    "ready": ("ready", {}),
    "warnings": (
        "ready_with_warnings",
        {"ipv6:app.sparkup.app": "ipv6.broken", "tls:probe.sparkup.app": "tls.intercepted"},
    ),
    "not-ready": ("not_ready", {"tcp:app.sparkup.app:443": "tcp.refused", "ipv6:probe.sparkup.app": "ipv6.broken"}),
    "dns": ("not_ready", {"dns:app.sparkup.app": "dns.nxdomain"}),
    # 3 Mbit/s for 300 attendees: about 60 carried, under half the audience, and a 3 MB photo takes about 8 s.
    "slow-link": (
        "not_ready",
        {"quality:capacity": "net.low_bandwidth", "quality:photo_upload": "net.low_bandwidth"},
    ),
}


@pytest.mark.long_traffic
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_each_scenario_gives_its_real_diagnosis(name: str) -> None:
    async def scenario() -> dict[str, object]:
        profile = load_bundled_profile()
        chosen = scenario_named(name)
        options = PlanOptions(hold_seconds=1, attendees=chosen.attendees)
        async with demo_venue(profile, chosen) as venue:
            engine_run = prepare_run(venue.profile, venue.network, None, venue.trust, options)
            outcome = await engine_run.execute()
        environment = describe_environment(venue.network, engine_run.context.route_table)
        return build_report(outcome, profile, environment, demo=True, demo_scenario=name)

    report = run(scenario())
    validate_report(report)
    verdict, problems = EXPECTED[name]
    assert report["verdict"] == verdict
    assert report["demo"] is True and report["demo_scenario"] == name
    checks = {c["id"]: c for c in report["checks"]}  # type: ignore[attr-defined]
    for check_id, cause in problems.items():
        assert checks[check_id]["cause"] == cause, checks[check_id]
    for check_id, check in checks.items():
        if check_id not in problems:
            assert check["status"] in ("pass", "skipped"), check
    assert checks["ws-hold:wss://probe.sparkup.app/ws"]["status"] == "pass"  # the WebSocket really held
    # The speed tests measured the simulated link, within 10 %.
    link = scenario_named(name).link_mbit * 1e6
    for direction in ("quality:download", "quality:upload"):
        assert abs(checks[direction]["evidence"]["median_bps"] - link) <= 0.1 * link, checks[direction]


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_cli_demo_is_marked_everywhere() -> None:
    code, out, err = run(sparkgui("--headless", "--demo", "--json", "-"))
    report = json.loads(out)
    validate_report(report)
    assert code == 2 and report["verdict"] == "not_ready"
    assert report["demo"] is True and report["demo_scenario"] == "not-ready"
    assert err.startswith("DEMO: a simulated venue")
    assert "DEMO (simulated venue): Not ready" in err


def test_unknown_demo_scenario_exits_3() -> None:
    code, _, err = run(sparkgui("--headless", "--demo", "bogus"))
    assert code == 3
    assert "unknown demo scenario 'bogus'; choose one of ready, warnings, not-ready, dns, slow-link" in err
