"""Attendee sessions on a real loopback probe: open, post, poll, and a public service's manners.

Codes are unguessable and expire, results are capped, each address is rate-limited, other sites cannot post,
and every bad input gets a 4xx with a reason, never a 500.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from sparkgui.probe import ProbeConfig, start_probe
from sparkgui.probe.forwarded import client_address, parse_networks
from sparkgui.probe.rate_limit import RateLimiter, RateLimits
from sparkgui.probe.session_routes import SessionRateLimits
from sparkgui.probe.sessions import SessionLimits, browser_family, is_code
from tests.support import run

Body = Callable[[aiohttp.ClientSession, str], Awaitable[None]]
PHONE_UA = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari"
GOOD = {"outcome": "failed", "reason": "cut", "held_seconds": 42.4, "language": "fr"}


async def _with_probe(config: ProbeConfig, body: Body) -> None:
    runner, port = await start_probe(config=config, shutdown_timeout=0.5)
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as session:
            await body(session, f"http://127.0.0.1:{port}")
    finally:
        await runner.cleanup()


async def _open(session: aiohttp.ClientSession, base: str) -> str:
    async with session.post(base + "/sessions") as response:
        assert response.status == 201, await response.text()
        assert "Access-Control-Allow-Origin" not in response.headers
        answer = await response.json()
    assert answer["test_path"] == f"/test?s={answer['code']}" and answer["expires_at"].endswith("Z")
    code: str = answer["code"]
    return code


async def _post(session: aiohttp.ClientSession, base: str, code: str, result: Any, **headers: str) -> int:
    data = result if isinstance(result, bytes) else json.dumps(result).encode()
    headers = {"Content-Type": "application/json", "User-Agent": PHONE_UA, **headers}
    async with session.post(f"{base}/sessions/{code}/results", data=data, headers=headers) as response:
        if response.status >= 400:
            assert "error" in await response.json()  # every refusal says why
        return response.status


def test_a_phone_result_reaches_the_session_with_its_browser_and_address() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        code = await _open(session, base)
        assert len(code) == 22 and is_code(code)  # 128 bits, URL-safe
        assert await _post(session, base, code, GOOD) == 204
        assert await _post(session, base, code, {"outcome": "success", "held_seconds": 60, "language": "en"}) == 204
        async with session.get(f"{base}/sessions/{code}") as response:
            assert response.status == 200 and response.headers["Cache-Control"] == "no-store"
            results = (await response.json())["results"]
        assert [(r["outcome"], r["reason"], r["held_seconds"]) for r in results] == [
            ("failed", "cut", 42.4),
            ("success", "", 60.0),
        ]
        assert {r["browser"] for r in results} == {"Chrome"} and {r["address"] for r in results} == {"127.0.0.1"}
        assert results[0]["language"] == "fr" and results[0]["received_at"] > 1.7e9
        assert await _open(session, base) != code

    run(_with_probe(ProbeConfig(), body))


def test_bad_input_gets_a_4xx_with_a_reason_never_a_500() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        code = await _open(session, base)
        refused = [
            b"{not json",
            b"\xff\xfe",
            b"[1, 2]",
            b"[" * 1020 + b"]" * 1020,  # deeper than the parser recurses
            {"outcome": "maybe", "held_seconds": 1},
            {"outcome": "success", "reason": "cut", "held_seconds": 1},
            {"outcome": "failed", "reason": "", "held_seconds": 1},
            {"outcome": "failed", "reason": "x" * 100, "held_seconds": 1},
            {"outcome": "failed", "reason": "cut", "held_seconds": "42"},
            {"outcome": "failed", "reason": "cut", "held_seconds": True},
            {"outcome": "failed", "reason": "cut", "held_seconds": -1},
            {"outcome": "failed", "reason": "cut", "held_seconds": 1e300},
            b'{"outcome": "failed", "reason": "cut", "held_seconds": 1' + b"0" * 400 + b"}",  # no float holds it
        ]
        for result in refused:
            assert await _post(session, base, code, result) == 400, result
        assert await _post(session, base, code, b"nan") == 400
        assert await _post(session, base, code, {**GOOD, "pad": "x" * 5000}) == 413
        for unknown in ("A" * 22, "short", "a.b" + "x" * 19, "é" * 22, "A" * 23):
            assert await _post(session, base, unknown, GOOD) == 404
            async with session.get(f"{base}/sessions/{unknown}") as response:
                assert response.status == 404
        async with session.post(
            f"{base}/sessions/{code}/results", data=json.dumps(GOOD), headers={"Content-Type": "text/plain"}
        ) as response:
            assert response.status == 415  # a cross-site form cannot post a result without a preflight
        assert await _post(session, base, code, GOOD, **{"Sec-Fetch-Site": "cross-site"}) == 403
        async with session.post(base + "/sessions", headers={"Sec-Fetch-Site": "cross-site"}) as response:
            assert response.status == 403
        async with session.post(base + "/sessions", data=b"x" * 10_000) as response:
            assert response.status == 413
        async with session.options(f"{base}/sessions/{code}/results", headers={"Origin": "https://evil.test"}) as r:
            assert r.status == 405 and "Access-Control-Allow-Origin" not in r.headers  # no CORS preflight
        async with session.get(f"{base}/sessions/{code}") as response:
            assert (await response.json())["results"] == []  # nothing refused was kept

    run(_with_probe(ProbeConfig(), body))


def test_results_are_capped_and_sessions_expire() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        code = await _open(session, base)
        assert [await _post(session, base, code, GOOD) for _ in range(4)] == [204, 204, 204, 429]
        await asyncio.sleep(1.3)
        assert await _post(session, base, code, GOOD) == 404
        async with session.get(f"{base}/sessions/{code}") as response:
            assert response.status == 404

    run(_with_probe(ProbeConfig(sessions=SessionLimits(ttl_seconds=1.0, max_results=3)), body))


def test_floods_of_sessions_are_refused_per_address_and_in_total() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        statuses = []
        for _ in range(8):
            async with session.post(base + "/sessions") as response:
                statuses.append(response.status)
                if response.status == 429:
                    assert int(response.headers["Retry-After"]) >= 1
        assert statuses == [201] * 5 + [429] * 3  # the burst, then the rate limit

    rates = SessionRateLimits(create=RateLimits(burst=5, per_minute=1))
    run(_with_probe(ProbeConfig(session_rates=rates), body))

    async def full(session: aiohttp.ClientSession, base: str) -> None:
        codes = [await _open(session, base) for _ in range(3)]
        async with session.post(base + "/sessions") as response:
            assert response.status == 503 and response.headers["Retry-After"]
        async with session.get(f"{base}/sessions/{codes[0]}") as response:
            assert response.status == 200  # the live ones still work

    run(_with_probe(ProbeConfig(sessions=SessionLimits(max_sessions=3)), full))


def test_the_browser_family_is_named_never_the_whole_user_agent() -> None:
    agents = {
        PHONE_UA: "Chrome",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Version/17.5 Mobile/15E148 "
        "Safari/604.1": "Safari",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 CriOS/131.0 Mobile/15E148 "
        "Safari/604.1": "Chrome",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0": "Edge",
        "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0": "Firefox",
        "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 SamsungBrowser/26.0 Chrome/122.0 Mobile "
        "Safari/537.36": "Samsung Internet",
        "curl/8.5": "Other",
        "": "Other",
    }
    assert {agent: browser_family(agent) for agent in agents} == agents


def test_behind_a_trusted_load_balancer_the_client_address_comes_from_x_forwarded_for() -> None:
    async def body(session: aiohttp.ClientSession, base: str) -> None:
        forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}  # the client wrote the first part
        async with session.get(base + "/whoami", headers=forwarded) as response:
            assert (await response.json())["address"] == "198.51.100.7"
        code = await _open(session, base)
        assert await _post(session, base, code, GOOD, **forwarded) == 204
        async with session.get(f"{base}/sessions/{code}") as response:
            assert (await response.json())["results"][0]["address"] == "198.51.100.7"
        async with session.get(base + "/whoami", headers={"X-Forwarded-For": "not an address"}) as response:
            assert (await response.json())["address"] == "127.0.0.1"

    run(_with_probe(ProbeConfig(trusted_proxies=parse_networks("127.0.0.0/8")), body))

    async def untrusted(session: aiohttp.ClientSession, base: str) -> None:
        async with session.get(base + "/whoami", headers={"X-Forwarded-For": "198.51.100.7"}) as response:
            assert (await response.json())["address"] == "127.0.0.1"  # anyone else cannot pose as another network

    run(_with_probe(ProbeConfig(trusted_proxies=parse_networks("10.0.0.0/8")), untrusted))


def test_the_forwarded_chain_is_read_from_the_right() -> None:
    trusted = parse_networks("10.0.0.0/8, fd00::/8")
    assert client_address("10.0.0.2", ["198.51.100.7"], trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", ["203.0.113.9, 198.51.100.7, 10.0.0.5"], trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", ["198.51.100.7", "10.0.0.5"], trusted) == "198.51.100.7"  # two headers
    assert client_address("10.0.0.2", ["10.0.0.3"], trusted) == "10.0.0.2"  # only proxies: the peer
    assert client_address("10.0.0.2", ["x, 198.51.100.7"], trusted) == "198.51.100.7"
    assert client_address("10.0.0.2", ["198.51.100.7, junk"], trusted) == "10.0.0.2"
    assert client_address("::ffff:10.0.0.2", ["2001:db8::7"], trusted) == "2001:db8::7"
    assert client_address("192.0.2.1", ["198.51.100.7"], trusted) == "192.0.2.1"


def test_a_result_that_arrives_in_pieces_is_read_whole() -> None:
    """A phone on a slow Wi-Fi sends its result in several segments: read() gives what has arrived so far."""

    async def scenario() -> None:
        runner, port = await start_probe(shutdown_timeout=0.5)
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.post(f"http://127.0.0.1:{port}/sessions") as created,
            ):
                code = (await created.json())["code"]
            body = b'{"outcome": "success", "reason": "", "held_seconds": 60, "language": "en"}'
            head = (
                f"POST /sessions/{code}/results HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(head + body[:20])
            await writer.drain()
            await asyncio.sleep(0.3)
            writer.write(body[20:])
            await writer.drain()
            status_line = await asyncio.wait_for(reader.readline(), 5)
            writer.close()
            assert status_line.split()[1] in (b"201", b"204"), status_line
        finally:
            await runner.cleanup()

    run(scenario())


def test_limits_count_an_ipv6_client_by_its_64() -> None:
    from sparkgui.probe.rate_limit import client_key

    assert client_key("2001:db8:1:2::7") == client_key("2001:db8:1:2:ffff:1:2:3") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::7") != client_key("2001:db8:1:2::7")
    assert client_key("::ffff:203.0.113.7") == client_key("203.0.113.7") == "203.0.113.7"
    limiter = RateLimiter(RateLimits(burst=2, per_minute=1))
    assert [limiter.retry_after(f"2001:db8:1:2::{n}") for n in range(1, 4)][:2] == [0, 0]
    assert limiter.retry_after("2001:db8:1:2::99") > 0  # a new address in the same /64: the same client
