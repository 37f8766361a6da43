"""Two probe instances sharing one real Redis (Debian's redis-server on loopback): a phone's result posted to
one is seen by a desktop polling the other, the caps hold across instances, and a Redis that is gone gives a
503 with Retry-After, never a 500 or a hang."""

from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from sparkgui.probe import ProbeConfig, start_probe
from sparkgui.probe.sessions import SessionLimits
from tests.support import run

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt install redis-server)")
RESULT = {"outcome": "failed", "reason": "cut", "held_seconds": 42, "language": "en"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A throwaway redis-server on loopback: no persistence, its own folder, stopped after the test."""
    assert REDIS is not None
    port = _free_port()
    process = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


async def _two_probes(config: ProbeConfig) -> tuple[list[aiohttp.web.AppRunner], list[str]]:
    runners, bases = [], []
    for _ in range(2):
        runner, port = await start_probe(config=config, shutdown_timeout=0.5)
        runners.append(runner)
        bases.append(f"http://127.0.0.1:{port}")
    return runners, bases


def test_a_result_posted_to_one_probe_is_seen_through_the_other(redis_url: str) -> None:
    async def body() -> None:
        runners, (first, second) = await _two_probes(
            ProbeConfig(redis_url=redis_url, sessions=SessionLimits(max_results=3, ttl_seconds=2))
        )
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
                async with session.post(first + "/sessions") as response:
                    assert response.status == 201
                    code = (await response.json())["code"]
                statuses = []
                for base in (second, first, second, first):  # the load balancer alternates
                    async with session.post(f"{base}/sessions/{code}/results", json=RESULT) as response:
                        statuses.append(response.status)
                assert statuses == [204, 204, 204, 429]  # the cap holds across instances
                async with session.get(f"{second}/sessions/{code}") as response:
                    assert response.status == 200
                    results = (await response.json())["results"]
                assert len(results) == 3 and results[0]["reason"] == "cut" and results[0]["address"] == "127.0.0.1"
                async with session.get(f"{first}/sessions/{'B' * 22}") as response:
                    assert response.status == 404
                await asyncio.sleep(2.2)  # the session expires in Redis, on every instance
                for base in (first, second):
                    async with session.get(f"{base}/sessions/{code}") as response:
                        assert response.status == 404
        finally:
            for runner in runners:
                await runner.cleanup()

    run(body())


def test_a_redis_that_is_gone_gives_503_never_a_500_or_a_hang() -> None:
    async def body() -> None:
        url = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
        runner, port = await start_probe(config=ProbeConfig(redis_url=url), shutdown_timeout=0.5)
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
                started = time.monotonic()
                async with session.post(f"http://127.0.0.1:{port}/sessions") as response:
                    assert response.status == 503 and response.headers["Retry-After"] == "5"
                    assert "session store" in (await response.json())["error"]
                async with session.get(f"http://127.0.0.1:{port}/sessions/{'C' * 22}") as response:
                    assert response.status == 503
                assert time.monotonic() - started < 6
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    assert response.status == 204  # the rest of the probe still works
        finally:
            await runner.cleanup()

    run(body())
