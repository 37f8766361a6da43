"""A wrong laptop clock is the laptop's problem, said as such: the real CLI under libfaketime (its process
only, three years ahead) against a real HTTPS server on loopback whose 90-day certificate is valid today.

Every certificate then looks expired to the checker; the server's `Date` header tells the two apart, as
Chrome's clock warning does. A certificate that really expired keeps `tls.expired`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sparkgui.core.demo.dns_server import DnsServer
from tests.hostile.harness import HostileRun, hostile_profile, run_cli
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, run

FAKETIME_LIBRARY = Path("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1")
pytestmark = pytest.mark.skipif(
    not FAKETIME_LIBRARY.exists(), reason="libfaketime is not installed (build/setup-dev.sh installs it)"
)


def _faked(offset: str) -> dict[str, str]:
    """The environment that moves the checker's clock (and its children's) by `offset`, e.g. "+1095d"."""
    return {"LD_PRELOAD": str(FAKETIME_LIBRARY), "FAKETIME": offset, "FAKETIME_DONT_FAKE_MONOTONIC": "1"}


async def _check(folder: Path, pki: LoopbackPki, env: dict[str, str], **cert: dt.datetime) -> HostileRun:
    runner, port = await start_https(pki.server_context("app.test", **cert))
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    try:
        return await run_cli(folder, hostile_profile([Ep("app.test", port)]), dns.port, env=env)
    finally:
        await runner.cleanup()
        await dns.stop()


def _valid_90_days() -> dict[str, dt.datetime]:
    """As the platform's certificates are (Let's Encrypt): issued a month ago, valid for 90 days."""
    now = dt.datetime.now(dt.UTC)
    return {"not_before": now - dt.timedelta(days=30), "not_after": now + dt.timedelta(days=60)}


def test_a_clock_three_years_ahead_is_this_computers_problem(tmp_path: Path, pki: LoopbackPki) -> None:
    checked = run(_check(tmp_path / "run", pki, _faked("+1095d"), **_valid_90_days()))
    tls = checked.assert_well_behaved("tls:", {"host.clock_wrong"})
    assert "This computer's clock is wrong" in tls["summary"] and "not at fault" in tls["summary"]
    assert "date and time" in tls["remedy"]
    assert 1094 * 86400 < tls["evidence"]["clock_offset_s"] < 1096 * 86400
    assert tls["evidence"]["certificate_valid_at_server_time"] is True
    problems = checked.report["problems"]
    assert [p["cause"] for p in problems] == ["host.clock_wrong"] and problems[0]["local_fix"] == "setting"
    assert checked.report["verdict"] == "not_ready"
    assert "this computer's clock is wrong" in checked.stdout  # the verdict names the laptop, not the venue


def test_a_certificate_that_really_expired_stays_expired(tmp_path: Path, pki: LoopbackPki) -> None:
    now = dt.datetime.now(dt.UTC)
    checked = run(
        _check(tmp_path / "run", pki, {}, not_before=now - dt.timedelta(days=400), not_after=now - dt.timedelta(days=5))
    )
    tls = checked.assert_well_behaved("tls:", {"tls.expired"})
    assert "clock_offset_s" not in tls["evidence"]
    assert "platform's own" in tls["remedy"] and "venue's IT" not in tls["remedy"]  # from the expected issuer


def test_a_certificate_expired_by_the_servers_time_too_is_not_blamed_on_the_clock(
    tmp_path: Path, pki: LoopbackPki
) -> None:
    now = dt.datetime.now(dt.UTC)
    expired = {"not_before": now - dt.timedelta(days=400), "not_after": now - dt.timedelta(days=3)}
    checked = run(_check(tmp_path / "run", pki, _faked("+2d"), **expired))  # the clock is off, and the cert dead
    tls = checked.assert_well_behaved("tls:", {"tls.expired"})
    assert tls["evidence"]["certificate_valid_at_server_time"] is False


def test_a_clock_a_minute_off_changes_nothing(tmp_path: Path, pki: LoopbackPki) -> None:
    checked = run(_check(tmp_path / "run", pki, _faked("+60s"), **_valid_90_days()))
    checked.assert_well_behaved("tls:", {"ok"})
