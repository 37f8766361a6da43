"""Hostile probes: a transfer that stalls mid-way, one that sends more than asked, one that closes early, an
upload sink that stops reading or answers nonsense. Each gives `net.transfer_interrupted` with the fault
named, within the direction's deadline, and never a hang."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web

from sparkgui.core.engine import run_profile
from sparkgui.core.model import CheckRecord
from sparkgui.core.profile import parse_profile
from tests.integration.test_speed import speed_profile
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import loopback_network, run

pytestmark = pytest.mark.long_traffic

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BLOCK = b"\x5a" * 65536
MAX_SECONDS = 2  # [capacity] max_seconds here: short, so the honest direction ends on time quickly
STALL_SECONDS = 3.0  # the stall bound with the test profile's http = 4 timeout: max(3, http / 2)


async def healthz(request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def honest_upload(request: web.Request) -> web.Response:
    received = 0
    while chunk := await request.content.readany():
        received += len(chunk)
    return web.json_response({"received": received, "ms": 1000.0})


async def honest_download(request: web.Request) -> web.StreamResponse:
    size = int(request.query["bytes"])
    response = web.StreamResponse()
    response.content_length = size
    await response.prepare(request)
    sent = 0
    with contextlib.suppress(ConnectionError):  # the client measured enough and hung up
        while sent < size:
            await response.write(BLOCK[: min(len(BLOCK), size - sent)])
            sent += len(BLOCK)
    return response


async def stalling_download(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_length = int(request.query["bytes"])
    await response.prepare(request)
    await response.write(BLOCK * 4)
    await asyncio.sleep(60)  # the test ends long before: the client must not wait for it
    return response


async def overrunning_download(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()  # no length, chunked: it goes on past what was asked
    await response.prepare(request)
    for _ in range(int(request.query["bytes"]) // len(BLOCK) + 20):
        await response.write(BLOCK)
    return response


async def early_closing_download(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    response.content_length = int(request.query["bytes"])
    await response.prepare(request)
    await response.write(BLOCK * 8)
    assert request.transport is not None
    request.transport.close()  # half a megabyte of the promised 20 MB, then the connection is gone
    return response


async def stalling_upload(request: web.Request) -> web.Response:
    await request.content.read(65536)
    await asyncio.sleep(60)  # stops reading: the client's writes back up and stand still
    return web.json_response({"received": 0})


async def early_closing_upload(request: web.Request) -> web.Response:
    await request.content.read(200_000)
    assert request.transport is not None
    request.transport.close()
    return web.json_response({"received": 0})


async def nonsense_upload(request: web.Request) -> web.Response:
    while await request.content.readany():
        pass
    return web.Response(text="<html>thanks</html>", content_type="text/html")


async def overcounting_upload(request: web.Request) -> web.Response:
    while await request.content.readany():
        pass
    return web.json_response({"received": 10**12, "ms": 1.0})


async def measure(pki: LoopbackPki, download: Handler, upload: Handler) -> tuple[dict[str, CheckRecord], float]:
    routes = {"/healthz": healthz, "/download": download, "/upload": upload}
    runner, port = await start_https(pki.server_context("probe.test"), routes)
    dns = await DnsServer({"probe.test": ["127.0.0.1"]}).start()
    began = time.monotonic()
    try:
        profile = parse_profile(speed_profile(port, MAX_SECONDS), source="hostile.toml")
        outcome = await run_profile(profile, loopback_network(dns.port))
        return {record.id: record for record in outcome.records}, time.monotonic() - began
    finally:
        await dns.stop()
        await runner.cleanup()


def _speed(records: dict[str, CheckRecord], name: str) -> CheckRecord:
    return records[f"quality:{name}"]


@pytest.mark.parametrize(
    ("download", "fault"),
    [(stalling_download, "stalled"), (overrunning_download, "overrun"), (early_closing_download, "cut")],
    ids=["stalls", "sends-too-much", "closes-early"],
)
def test_a_hostile_download_is_named_within_its_deadline(pki: LoopbackPki, download: Handler, fault: str) -> None:
    records, _ = run(measure(pki, download, honest_upload), timeout=60)
    record = _speed(records, "download")
    assert (record.result.status.value, str(record.result.cause)) == ("warn", "net.transfer_interrupted")
    assert record.result.evidence["fault"] == fault, record.result.evidence
    assert record.result.duration_ms / 1000 <= MAX_SECONDS + 2 * STALL_SECONDS + 1
    # The capacity verdict does not guess from a broken measurement.
    assert _speed(records, "capacity").result.status.value == "skipped"


@pytest.mark.parametrize(
    ("upload", "fault"),
    [
        (stalling_upload, "stalled"),
        (early_closing_upload, "cut"),
        (nonsense_upload, "invalid"),
        (overcounting_upload, "invalid"),
    ],
    ids=["stops-reading", "closes-early", "answers-html", "counts-too-much"],
)
def test_a_hostile_upload_sink_is_named_within_its_deadline(pki: LoopbackPki, upload: Handler, fault: str) -> None:
    records, _ = run(measure(pki, honest_download, upload), timeout=60)
    assert _speed(records, "download").result.status.value == "pass"
    record = _speed(records, "upload")
    assert (record.result.status.value, str(record.result.cause)) == ("warn", "net.transfer_interrupted")
    assert record.result.evidence["fault"] == fault, record.result.evidence
    assert record.result.duration_ms / 1000 <= MAX_SECONDS + 3 * STALL_SECONDS + 1
    summary = record.result.summary.render("en")
    assert "could not be measured" in summary


async def busy(request: web.Request) -> web.Response:
    return web.Response(status=429, headers={"Retry-After": "60"}, text="too many transfers")


async def missing(request: web.Request) -> web.Response:
    raise web.HTTPNotFound()


@pytest.mark.parametrize(("download", "fault"), [(missing, "unsupported"), (busy, "busy")], ids=["no-route", "busy"])
def test_the_platforms_probe_saying_no_is_not_the_venues_fault(pki: LoopbackPki, download: Handler, fault: str) -> None:
    # An older probe without the transfer routes, or one that is busy, is not a venue problem: no warning,
    # the speed is plainly "not measured", and nothing after it guesses.
    records, _ = run(measure(pki, download, honest_upload), timeout=60)
    record = _speed(records, "download")
    assert (record.result.status.value, str(record.result.cause)) == ("skipped", "skipped.not_applicable")
    assert record.result.evidence["fault"] == fault
    assert "the speed was not measured" in record.result.summary.render("en")
    assert all(_speed(records, name).result.status.value == "skipped" for name in ("upload", "capacity"))
    assert not [r for r in records.values() if r.result.status.value in ("warn", "fail")]
