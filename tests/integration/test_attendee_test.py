"""The desktop side of the attendee test against a real HTTPS probe on loopback: a session opened through the
checks' route, a phone's result read back and placed on the laptop's network or another, and a probe that is
missing, old or hostile said plainly."""

from __future__ import annotations

import json
import ssl
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from sparkgui.app.attendee_test import AttendeeTestError, ProbeAttendeeTest
from sparkgui.core.attendees import with_attendees
from sparkgui.core.context import NetworkSettings
from sparkgui.core.profile import Profile, parse_profile
from sparkgui.probe import start_probe
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import Handler, LoopbackPki, closed_port, start_https
from tests.support import Ep, loopback_network, make_profile, minimal_report, run, validate_report

PHONE = {"outcome": "failed", "reason": "cut", "held_seconds": 42, "language": "en"}


def probe_profile(port: int) -> Profile:
    return make_profile([Ep("probe.test", port, "/healthz", probe=True)])


@asynccontextmanager
async def https_probe(pki: LoopbackPki) -> AsyncIterator[tuple[int, NetworkSettings]]:
    runner, port = await start_probe(ssl_context=pki.server_context("probe.test"), shutdown_timeout=0.5)
    dns = await DnsServer({"probe.test": ["127.0.0.1"]}).start()
    try:
        yield port, loopback_network(dns.port)
    finally:
        await runner.cleanup()
        await dns.stop()


async def phone_posts(pki: LoopbackPki, port: int, url: str, result: dict[str, Any]) -> int:
    """What the test page does on a phone: post its result to the session named in the link."""
    code = url.split("?s=", 1)[1]
    context = ssl.create_default_context(cadata=pki.ca.cert_pem.bytes().decode())
    context.check_hostname = False
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"https://127.0.0.1:{port}/sessions/{code}/results", json=result, ssl=context) as response,
    ):
        return response.status


def test_a_phone_result_reaches_the_desktop_and_is_placed_on_a_network(pki: LoopbackPki) -> None:
    async def body() -> None:
        async with https_probe(pki) as (port, network):
            source = ProbeAttendeeTest(probe_profile(port), network)
            url = await source.open()
            assert url.startswith(f"https://probe.test:{port}/test?s=") and len(url.split("?s=")[1]) == 22
            await source.poll()
            assert source.results().summary().render() == "No phone tested yet."
            assert await phone_posts(pki, port, url, PHONE) == 204
            assert await phone_posts(pki, port, url, {**PHONE, "outcome": "success", "reason": ""}) == 204
            await source.poll()
            same = source.results("127.0.0.1")
            assert same.summary().render() == "2 phones tested: 1 passed, 1 failed (live connection cut after 42 s)."
            assert [phone.network for phone in same.phones] == ["same", "same"]
            other = source.results("203.0.113.7")
            line = other.network_line()
            assert line is not None and line.render().startswith("0 on the same network as this laptop, 2 on another")
            assert "?s=" not in other.test_link  # the code stays with the organiser, out of the reports
            report = with_attendees(minimal_report(), other, "fr")
            validate_report(report)
            assert report["attendees"]["networks"] == {"same": 0, "other": 2, "unknown": 0}
            assert report["attendees"]["phones"][0]["reason_text"] == "connexion en direct coupée au bout de 42 s"
            await source.close()

    run(body())


def test_a_probe_without_sessions_or_out_of_reach_is_said_plainly(pki: LoopbackPki) -> None:
    async def body() -> None:
        runner, port = await start_https(pki.server_context("probe.test"))  # an older probe: no /sessions
        dns = await DnsServer({"probe.test": ["127.0.0.1"]}).start()
        try:
            with pytest.raises(AttendeeTestError, match=r"did not open a session \(HTTP 40\d\)"):
                await ProbeAttendeeTest(probe_profile(port), loopback_network(dns.port)).open()
            with pytest.raises(AttendeeTestError, match="could not be reached from this laptop"):
                await ProbeAttendeeTest(probe_profile(closed_port()), loopback_network(dns.port)).open()
        finally:
            await runner.cleanup()
            await dns.stop()
        no_probe = parse_profile(b'schema = 1\nname = "X"\n[[endpoint]]\nhost = "a.test"\n', source="x.toml")
        with pytest.raises(AttendeeTestError, match="names no platform probe"):
            ProbeAttendeeTest(no_probe, NetworkSettings())

    run(body())


def test_a_hostile_probe_answer_is_read_safely(pki: LoopbackPki) -> None:
    answers = {
        "results": [
            {"outcome": "success", "reason": "", "held_seconds": 60, "browser": "Chrome", "address": "10.0.0.1"},
            {"outcome": "pwned", "held_seconds": 1},
            {"outcome": "failed", "reason": "cut", "held_seconds": float("inf")},
            {"outcome": "failed", "reason": "cut", "held_seconds": -3},
            "not a result",
            {"outcome": "failed", "reason": "silent", "held_seconds": 12, "browser": "x" * 300, "address": 7},
        ]
        * 200,
        "code": "A" * 22,
    }

    async def sessions(request: web.Request) -> web.Response:
        return web.json_response({"code": "A" * 22}, status=201)

    async def results(request: web.Request) -> web.Response:
        return web.Response(text=json.dumps(answers), content_type="application/json")

    async def body() -> None:
        routes: dict[str, Handler] = {"/sessions": sessions, f"/sessions/{'A' * 22}": results}
        runner, port = await start_https(pki.server_context("probe.test"), routes)
        dns = await DnsServer({"probe.test": ["127.0.0.1"]}).start()
        try:
            source = ProbeAttendeeTest(probe_profile(port), loopback_network(dns.port))
            await source.open()
            await source.poll()
            phones = source.results("10.0.0.1").phones
            assert len(phones) == 500 // 6 * 2 + 1  # only the first 500 entries are read; the bad ones skipped
            assert {phone.outcome for phone in phones} == {"success", "failed"}
            assert all(len(phone.browser) <= 40 for phone in phones)
        finally:
            await runner.cleanup()
            await dns.stop()

    run(body())


@pytest.mark.long_traffic  # a demo run through the CLI (or a layout sweep): the main Python only
def test_the_cli_shows_the_link_and_puts_the_phones_in_the_reports(tmp_path: Path) -> None:
    report_path = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--headless", "--demo", "ready", "--hold", "1", "--attendee-test", "0.02",
         "--json", str(report_path), "--no-history", "--lang", "en"],
        capture_output=True, text=True, timeout=120, env={**_env(), "SPARKGUI_DATA_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Attendee test: ask attendees to scan this code" in done.stderr
    assert "https://probe.sparkup.app/test?s=" in done.stderr
    assert "Phone failed (Samsung Internet): live connection cut after 42 s" in done.stderr
    report = json.loads(report_path.read_text())
    validate_report(report)
    section = report["attendees"]
    assert section["demo"] is True and section["tested"] == 4 and section["failed"] == 1
    assert section["networks"] == {"same": 2, "other": 2, "unknown": 0}
    refused = subprocess.run(
        [sys.executable, "-m", "sparkgui", "--attendee-test"], capture_output=True, text=True, timeout=60, env=_env()
    )
    assert refused.returncode == 3 and "--attendee-test" in refused.stderr


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "LANG": "C.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
