"""Hostile PAC files, read from disk or from a loopback web server: endless loops, endless recursion and memory,
exceptions, syntax errors, answers that are not proxy lists, huge files, and servers that fail or stay silent.
Each ends in a named proxy cause within the deadline, and the PAC worker never outlives the CLI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from aiohttp import web

from tests.hostile.harness import hostile_profile, run_cli
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import start_http
from tests.support import Ep, run

PAC_FAILS = {"proxy.pac_error"}


def _pac(body: str) -> str:
    return "function FindProxyForURL(url, host) { " + body + " }\n"


SCRIPTS: dict[str, tuple[str, set[str]]] = {
    "endless loop": (_pac("while (true) {}"), PAC_FAILS),
    "endless recursion": (_pac("function f(n) { return f(n + 1) + 1; } return f(0);"), PAC_FAILS),
    "endless memory": (_pac("var a = []; while (true) { a.push(new Array(1000000).join('x')); }"), PAC_FAILS),
    "throws": (_pac("throw new Error('no proxy for you');"), PAC_FAILS),
    "syntax error": ("function FindProxyForURL(url, host) { return 'DIRECT' \n", PAC_FAILS),
    "no FindProxyForURL": ("var x = 1;\n", PAC_FAILS),
    "a number": (_pac("return 42;"), PAC_FAILS),
    "a word": (_pac("return 'BANANA';"), PAC_FAILS | {"proxy.bad_setting"}),
    "a proxy on port 0": (_pac("return 'PROXY 127.0.0.1:0';"), PAC_FAILS | {"proxy.bad_setting"}),
    "binary garbage": ("\x00\x01\x02\xff\xfe" * 200, PAC_FAILS),
    "huge": ("// " + "x" * (3 * 1024 * 1024) + "\n" + _pac("return 'DIRECT';"), PAC_FAILS),
}


def _discovery(hostile: object) -> dict[str, object]:
    return hostile.result("proxy:discovery")  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("case", sorted(SCRIPTS))
def test_a_hostile_pac_file_ends_in_a_named_proxy_cause(case: str, tmp_path: Path) -> None:
    script, causes = SCRIPTS[case]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    pac = inputs / "proxy.pac"
    pac.write_bytes(script.encode("utf-8", "surrogateescape"))

    async def scenario() -> object:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            text = hostile_profile([Ep("app.test", 443)])
            return await run_cli(tmp_path / "run", text, dns.port, "--pac", pac.as_uri())
        finally:
            await dns.stop()

    hostile = run(scenario())
    hostile.assert_well_behaved("proxy:discovery", causes)  # type: ignore[attr-defined]


async def _silent(request: web.Request) -> web.StreamResponse:
    await asyncio.sleep(600)
    return web.Response()


async def _missing(request: web.Request) -> web.StreamResponse:
    return web.Response(status=404, text="no such file")


async def _endless(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse()
    await response.prepare(request)
    for _ in range(4000):  # 64 MB at most, far past the PAC size limit
        await response.write(b"// " + b"x" * 16381 + b"\n")
    return response


@pytest.mark.parametrize("handler", [_silent, _missing, _endless], ids=["silent", "404", "endless"])
def test_a_hostile_pac_server_ends_in_a_named_proxy_cause(handler: object, tmp_path: Path) -> None:
    async def scenario() -> object:
        server, port = await start_http({"/proxy.pac": handler})  # type: ignore[dict-item]
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            text = hostile_profile([Ep("app.test", 443)])
            url = f"http://127.0.0.1:{port}/proxy.pac"
            return await run_cli(tmp_path / "run", text, dns.port, "--pac", url)
        finally:
            await dns.stop()
            await server.cleanup()

    hostile = run(scenario())
    hostile.assert_well_behaved("proxy:discovery", PAC_FAILS)  # type: ignore[attr-defined]
