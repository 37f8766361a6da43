"""The probe's transfer routes on a real loopback server: exact generated downloads, counted uploads, and the
caps that keep a public probe from being a free bandwidth source: per request, per client at once, and per
client over a window. Sizes are a few megabytes at most."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Awaitable, Callable

import aiohttp

from sparkgui.probe import ProbeConfig, start_probe
from sparkgui.probe.transfers import TransferLimits
from tests.support import run

Body = Callable[[aiohttp.ClientSession, str], Awaitable[None]]


async def _with_probe(limits: TransferLimits, body: Body) -> None:
    runner, port = await start_probe(config=ProbeConfig(transfers=limits), shutdown_timeout=0.5)
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
            await body(session, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


def test_a_download_sends_exactly_the_bytes_asked_and_an_upload_is_counted() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        async with session.get(base + "/download", params={"bytes": "3000001"}) as response:
            assert response.status == 200 and response.content_length == 3_000_001
            assert response.headers["Cache-Control"] == "no-store"
            data = await response.read()
        assert len(data) == 3_000_001 and len(set(data[:4096])) > 200  # random bytes: nothing to compress
        payload = b"\x01" * 2_500_000
        async with session.post(base + "/upload", data=io.BytesIO(payload)) as response:
            assert response.status == 200
            answer = await response.json()
        assert answer["received"] == 2_500_000 and answer["ms"] >= 0

        async def chunked() -> object:
            for _ in range(10):
                yield b"x" * 100_000

        async with session.post(base + "/upload", data=chunked()) as response:  # no length announced
            assert (await response.json())["received"] == 1_000_000

    run(_with_probe(TransferLimits(), body))


def test_bad_and_oversized_requests_are_refused_with_a_reason() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        for asked in ("", "abc", "0", "-5", "١٢", "1e6"):
            async with session.get(base + "/download", params={"bytes": asked}) as response:
                assert response.status == 400, asked
        async with session.get(base + "/download", params={"bytes": "1000001"}) as response:
            assert response.status == 413 and "at most 1000000 bytes" in await response.text()
        async with session.post(base + "/upload", data=io.BytesIO(b"x" * 1_000_001)) as response:
            assert response.status == 413

        async def endless() -> object:
            for _ in range(100):  # bounded: 10 MB at most, the cap is 1 MB
                yield b"y" * 100_000

        try:
            async with session.post(base + "/upload", data=endless()) as response:
                assert response.status == 413
        except aiohttp.ClientError:
            pass  # the server may close the connection while the client still sends: also a refusal

    run(_with_probe(TransferLimits(max_transfer_bytes=1_000_000), body))


def test_a_client_gets_a_few_transfers_at_once_and_a_budget_per_window() -> None:
    async def concurrency(session: aiohttp.ClientSession, base: str) -> None:
        responses = [await session.get(base + "/download", params={"bytes": "20000000"}) for _ in range(2)]
        try:
            async with session.get(base + "/download", params={"bytes": "10"}) as third:
                assert third.status == 429 and third.headers["Retry-After"] == "5"
        finally:
            for response in responses:
                response.close()
        await asyncio.sleep(0.2)  # the server sees the two end
        async with session.get(base + "/download", params={"bytes": "10"}) as again:
            assert again.status == 200 and len(await again.read()) == 10

    run(_with_probe(TransferLimits(max_concurrent_per_client=2), concurrency))

    async def budget(session: aiohttp.ClientSession, base: str) -> None:
        for _ in range(3):
            async with session.get(base + "/download", params={"bytes": "1000000"}) as response:
                assert response.status == 200 and len(await response.read()) == 1_000_000
        async with session.get(base + "/download", params={"bytes": "1000000"}) as response:
            assert response.status == 429 and "moved its share" in await response.text()

    run(_with_probe(TransferLimits(budget_bytes_per_client=3_000_000), budget))


def test_a_client_is_charged_what_moved_not_what_it_might_have() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        async def small() -> object:
            yield b"z" * 1000

        for _ in range(10):  # each reserves the 1 MB cap while it runs (no length), then counts 1 KB
            async with session.post(base + "/upload", data=small()) as response:
                assert response.status == 200 and (await response.json())["received"] == 1000
        for _ in range(5):  # a HEAD moves no body
            async with session.head(base + "/download", params={"bytes": "1000000"}) as response:
                assert response.status == 200
        for _ in range(2):
            async with session.get(base + "/download", params={"bytes": "1000000"}) as response:
                assert response.status == 200 and len(await response.read()) == 1_000_000
        async with session.get(base + "/download", params={"bytes": "9" * 5000}) as response:
            assert response.status == 400  # thousands of digits: refused, never a 500

    run(_with_probe(TransferLimits(max_transfer_bytes=1_000_000, budget_bytes_per_client=3_000_000), body))
