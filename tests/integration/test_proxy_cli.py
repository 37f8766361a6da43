"""The proxy options of the real CLI, and credential hygiene: the password never shows in the output, the
report, or the process listing; WPAD; the OS proxy lookup through Qt."""

from __future__ import annotations

import asyncio
import json
import os
import pty
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web

from sparkgui.app.system_proxy import qt_system_proxies
from sparkgui.core.model import Status
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.net.routes import RouteConfig
from tests.servers.dns_server import DnsServer
from tests.servers.squid import Squid, squid_available
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, by_id, make_profile, profile_toml, run, validate_report

pytestmark = pytest.mark.skipif(not squid_available(), reason="squid is not installed (build/setup-dev.sh)")
SECRET = "Tr0ub4dor&3-secret"


@pytest.fixture(scope="module")
def basic_squid() -> Iterator[Squid]:
    with Squid(hosts={"app.test": "127.0.0.1"}, auth="basic", users={"carol": SECRET}) as squid:
        yield squid


async def _cli(
    tmp_path: Path, pki: LoopbackPki, args: list[str], env: dict[str, str], answer: str | None = None
) -> tuple[int, str, str, list[str]]:
    """Run the CLI against a loopback platform; watch its process listing while it runs; optionally answer
    its password prompt on a terminal."""
    runner, port = await start_https(pki.server_context("app.test"))
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    profile = tmp_path / "p.toml"
    profile.write_text(profile_toml([Ep("app.test", port)]))
    master = slave = None
    if answer is not None:
        master, slave = pty.openpty()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "sparkgui",
            "--headless",
            "--profile",
            str(profile),
            "--resolver",
            dns.address,
            "--json",
            "-",
            *args,
            stdin=slave if slave is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**os.environ, **env},
            start_new_session=answer is not None,
        )
        listings = []
        if master is not None:
            await asyncio.sleep(1.0)
            os.write(master, (answer or "").encode() + b"\n")
        communicate = asyncio.ensure_future(process.communicate())
        while not communicate.done():
            cmdline = Path(f"/proc/{process.pid}/cmdline")
            if cmdline.exists():
                listings.append(cmdline.read_bytes().decode(errors="replace"))
            await asyncio.sleep(0.02)
        stdout, stderr = await asyncio.wait_for(communicate, 60)
    finally:
        if slave is not None:
            os.close(slave)
        if master is not None:
            os.close(master)
        await runner.cleanup()
        await dns.stop()
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode(), listings


def test_password_from_the_environment_never_leaks(tmp_path: Path, pki: LoopbackPki, basic_squid: Squid) -> None:
    code, out, err, listings = run(
        _cli(tmp_path, pki, ["--proxy", basic_squid.url, "--proxy-user", "carol"], {"SPARKGUI_PROXY_PASSWORD": SECRET})
    )
    assert code == 0, err
    report = json.loads(out)
    validate_report(report)
    assert report["environment"]["route"]["proxy"] == basic_squid.address
    assert SECRET not in out + err
    assert "carol" not in out  # no user names in the report either
    assert listings and not any(SECRET in listing for listing in listings)


def test_password_prompted_on_the_terminal(tmp_path: Path, pki: LoopbackPki, basic_squid: Squid) -> None:
    code, out, err, _ = run(
        _cli(tmp_path, pki, ["--proxy", basic_squid.url, "--proxy-user", "carol"], {}, answer=SECRET)
    )
    assert code == 0, err
    assert SECRET not in out + err


def test_wrong_password_is_auth_failed(tmp_path: Path, pki: LoopbackPki, basic_squid: Squid) -> None:
    code, out, err, _ = run(
        _cli(
            tmp_path, pki, ["--proxy", basic_squid.url, "--proxy-user", "carol"], {"SPARKGUI_PROXY_PASSWORD": "not-it"}
        )
    )
    assert code == 2
    causes = {c["cause"] for c in json.loads(out)["checks"]}
    assert "proxy.auth_failed" in causes
    assert "not-it" not in out + err


def test_a_user_name_in_the_proxy_url_is_signed_in_with_the_password_given(
    tmp_path: Path, pki: LoopbackPki, basic_squid: Squid
) -> None:
    url = basic_squid.url.replace("http://", "http://carol@")
    code, out, err, _ = run(_cli(tmp_path, pki, ["--proxy", url], {"SPARKGUI_PROXY_PASSWORD": SECRET}))
    assert code == 0, err
    assert SECRET not in out + err and "carol" not in out
    code, _, err, _ = run(
        _cli(tmp_path, pki, ["--proxy", url, "--proxy-user", "carol"], {"SPARKGUI_PROXY_PASSWORD": ""})
    )
    assert code == 3 and "no proxy password given" in err, err


def test_no_terminal_and_no_password_says_what_to_do(tmp_path: Path, pki: LoopbackPki, basic_squid: Squid) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SPARKGUI_PROXY_PASSWORD"}
    code, _, err, _ = run(_cli(tmp_path, pki, ["--proxy", basic_squid.url, "--proxy-user", "carol"], env))
    assert code == 3
    assert "SPARKGUI_PROXY_PASSWORD" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--proxy", "http://proxy.example:notaport"], "invalid port"),
        (["--proxy", "socks5://127.0.0.1:1080"], "not supported"),
        (["--proxy", "http://:3128"], "has no host"),
        (["--pac", "wpad.dat"], "expected a URL"),
        (["--pac", "ftp://127.0.0.1/x.pac"], "expected a URL"),
        (["--pac", "http://127.0.0.1:99999/x.pac"], "expected a URL"),
        (["--pac", "http:///x.pac"], "expected a URL"),
        (["--proxy", "https://127.0.0.1:3128"], "https:// proxies"),
        (["--proxy", "http://alice:12/S3cr3t@127.0.0.1:3128"], "holds a password"),
        (["--no-proxy", "--proxy-user", "alice"], "no proxy to sign in to"),
    ],
)
def test_malformed_proxy_options_exit_3(tmp_path: Path, pki: LoopbackPki, args: list[str], message: str) -> None:
    code, _, err, _ = run(_cli(tmp_path, pki, args, {}))
    assert code == 3, err
    assert message in err and "Traceback" not in err


def test_wpad_finds_the_pac_file(pki: LoopbackPki, basic_squid: Squid) -> None:
    if os.geteuid() != 0:
        pytest.skip("WPAD is served on port 80, which needs root")
    script = f'function FindProxyForURL(url, host) {{ return "PROXY {basic_squid.address}"; }}'

    async def scenario() -> None:
        async def wpad(request: web.Request) -> web.Response:
            return web.Response(text=script, content_type="application/x-ns-proxy-autoconfig")

        app = web.Application()
        app.router.add_get("/wpad.dat", wpad)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.77", 80).start()
        https_runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"], "wpad.venue.test": ["127.0.0.77"]}).start()
        try:
            from sparkgui.core.context import NetworkSettings
            from sparkgui.core.engine import run_profile

            network = NetworkSettings(
                resolvers=ResolverConfig(("127.0.0.1",), dns.port, search=("hall.venue.test",)),
                route=RouteConfig(environ={}),
            )
            outcome = await run_profile(make_profile([Ep("app.test", port)]), network)
        finally:
            await runner.cleanup()
            await https_runner.cleanup()
            await dns.stop()
        tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
        assert (tcp.status, tcp.cause) == (Status.FAIL, "proxy.auth_required")  # WPAD chose the Basic squid
        assert tcp.evidence["route"]["source"].startswith("WPAD http://wpad.venue.test/wpad.dat")
        assert ("wpad.hall.venue.test", "A") in dns.queries  # most specific domain first

    run(scenario())


def test_qt_reads_the_system_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:3128")
    monkeypatch.setenv("no_proxy", "direct.test")
    answers = qt_system_proxies(["https://app.test/", "https://direct.test/"])
    assert answers["https://app.test/"] == "http://127.0.0.1:3128"
    assert answers["https://direct.test/"] is None


def test_system_lookup_is_used_and_bounded(pki: LoopbackPki, basic_squid: Squid) -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            route = RouteConfig(environ={}, wpad=False, system_lookup=lambda urls: {u: basic_squid.url for u in urls})
            from sparkgui.core.engine import run_profile
            from tests.support import loopback_network

            outcome = await run_profile(make_profile([Ep("app.test", 443)]), loopback_network(dns.port, route=route))
        finally:
            await dns.stop()
        discovery = by_id(outcome)["proxy:discovery"].result
        assert "the system's settings" in str(discovery.summary)
        assert by_id(outcome)["tcp:app.test:443"].result.cause == "proxy.auth_required"

    run(scenario())
