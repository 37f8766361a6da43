"""Proxies as a browser on that laptop sees them: a real squid on loopback (open, Basic, NTLM, CONNECT deny
list, TLS interception), PAC files served over HTTP, and proxies that misbehave."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiohttp import web

from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import prepare_run
from sparkgui.core.environment import describe_environment
from sparkgui.core.model import RunOutcome, Status, Verdict
from sparkgui.core.net.proxy_spec import ProxyCredentials, parse_proxy_url
from sparkgui.core.net.routes import PROXY_PROBE_S, RouteConfig
from sparkgui.core.report import build_report
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import NXDOMAIN, DnsServer
from tests.servers.squid import Squid, squid_available
from tests.servers.tls_servers import LoopbackPki, RawServer, closed_port, start_http, start_https, stay_silent
from tests.support import Ep, by_id, loopback_network, make_profile, run, validate_report

pytestmark = pytest.mark.skipif(not squid_available(), reason="squid is not installed (build/setup-dev.sh)")

HOSTS = {"app.test": "127.0.0.1", "blocked.test": "127.0.0.1"}


@pytest.fixture(scope="module")
def open_squid() -> Iterator[Squid]:
    with Squid(hosts=HOSTS, deny_connect_to=["blocked.test"]) as squid:
        yield squid


@pytest.fixture(scope="module")
def basic_squid() -> Iterator[Squid]:
    with Squid(hosts=HOSTS, auth="basic", users={"alice": "correct horse"}) as squid:
        yield squid


@pytest.fixture(scope="module")
def ntlm_squid() -> Iterator[Squid]:
    with Squid(hosts=HOSTS, auth="ntlm") as squid:
        yield squid


async def _run(
    pki: LoopbackPki, route: RouteConfig, zone: dict[str, list[str] | str] | None = None, names: tuple[str, ...] = ()
) -> tuple[RunOutcome, dict[str, Any], int]:
    """One HTTPS platform serving app.test (and `names`), a loopback DNS, the engine on the given route."""
    runner, port = await start_https(pki.server_context("app.test", *names))
    dns = await DnsServer(zone or {"app.test": ["127.0.0.1"]}).start()
    try:
        profile = make_profile([Ep("app.test", port), *(Ep(n, port) for n in names)])
        network = loopback_network(dns.port, route=route)
        engine_run = prepare_run(profile, network)
        outcome = await engine_run.execute()
        report = build_report(outcome, profile, describe_environment(network, engine_run.context.route_table))
        validate_report(report)
        return outcome, report, port
    finally:
        await runner.cleanup()
        await dns.stop()


def _proxy(squid: Squid, user: str | None = None, password: str = "") -> RouteConfig:
    credentials = ProxyCredentials(user, password) if user else None
    return RouteConfig(proxy=parse_proxy_url(squid.url), credentials=credentials, environ={})


def test_environment_proxy_carries_every_check(pki: LoopbackPki, open_squid: Squid) -> None:
    route = RouteConfig(environ={"HTTPS_PROXY": open_squid.url})
    outcome, report, port = run(_run(pki, route))
    checks = by_id(outcome)
    assert outcome.verdict is Verdict.READY, [r for r in outcome.records if r.result.status is Status.FAIL]
    tcp = checks[f"tcp:app.test:{port}"].result
    assert tcp.evidence["proxy"] == open_squid.address and tcp.evidence["tunnel"] == "open"
    assert checks["proxy:discovery"].result.evidence["routes"][f"https://app.test:{port}/"]["source"] == (
        "environment (HTTPS_PROXY)"
    )
    assert checks[f"ipv6:app.test:{port}"].result.status is Status.SKIPPED
    assert checks["proxy:direct"].result.evidence["direct"] == "open"  # loopback is reachable directly too
    assert report["environment"]["route"] == {
        "mode": "proxy",
        "proxy": open_squid.address,
        "source": "environment (HTTPS_PROXY)",
    }
    log = open_squid.access_log()
    assert f"CONNECT app.test:{port}" in log  # TCP, TLS and HTTPS really went through squid


def test_no_proxy_and_lower_case_variables(pki: LoopbackPki, open_squid: Squid) -> None:
    route = RouteConfig(
        environ={"https_proxy": open_squid.url, "HTTPS_PROXY": "http://127.0.0.1:9", "no_proxy": "localhost,.test"}
    )
    outcome, report, port = run(_run(pki, route))
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert tcp.status is Status.PASS and tcp.evidence["route"]["mode"] == "direct"
    assert tcp.evidence["route"]["source"] == "environment (no_proxy)"
    assert report["environment"]["route"]["mode"] == "direct"


def test_basic_auth_required_failed_and_accepted(pki: LoopbackPki, basic_squid: Squid) -> None:
    outcome, _, port = run(_run(pki, _proxy(basic_squid)))
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.status, tcp.cause) == (Status.FAIL, "proxy.auth_required")
    assert tcp.evidence["auth_schemes"] == ["Basic"]
    assert by_id(outcome)[f"tls:app.test:{port}"].result.status is Status.SKIPPED

    outcome, report, port = run(_run(pki, _proxy(basic_squid, "alice", "wrong horse")))
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.status, tcp.cause) == (Status.FAIL, "proxy.auth_failed")
    assert "wrong horse" not in str(report) and "alice" not in str(report)

    outcome, report, port = run(_run(pki, _proxy(basic_squid, "alice", "correct horse")))
    assert outcome.verdict is Verdict.READY
    assert by_id(outcome)[f"tcp:app.test:{port}"].result.evidence["auth_used"] == "Basic"
    assert "correct horse" not in str(report) and "Proxy-Authorization" not in str(report)


def test_ntlm_handshake_runs_in_full(pki: LoopbackPki, ntlm_squid: Squid) -> None:
    outcome, _, port = run(_run(pki, _proxy(ntlm_squid)))
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.cause, tcp.evidence["auth_schemes"]) == ("proxy.auth_required", ["NTLM"])

    outcome, _, port = run(_run(pki, _proxy(ntlm_squid, "alice", "pw")))
    assert outcome.verdict is Verdict.READY
    assert by_id(outcome)[f"tcp:app.test:{port}"].result.evidence["auth_used"] == "NTLM"
    tunnels = [line.split() for line in ntlm_squid.access_log().splitlines() if "TCP_TUNNEL/200" in line]
    assert tunnels and all(fields[7] != "-" for fields in tunnels)  # squid logged an authenticated user


def test_connect_denied_for_one_host_only(pki: LoopbackPki, open_squid: Squid) -> None:
    zone: dict[str, list[str] | str] = {"app.test": ["127.0.0.1"], "blocked.test": ["127.0.0.1"]}
    outcome, _, port = run(_run(pki, _proxy(open_squid), zone, ("blocked.test",)))
    checks = by_id(outcome)
    denied = checks[f"tcp:blocked.test:{port}"].result
    assert (denied.status, denied.cause) == (Status.FAIL, "proxy.connect_denied")
    assert denied.evidence["proxy_status"].startswith("403")
    assert checks[f"https:app.test:{port}"].result.status is Status.PASS  # no healthy host is blamed


def test_local_dns_failure_is_only_a_warning_through_a_proxy(pki: LoopbackPki, open_squid: Squid) -> None:
    outcome, _, port = run(_run(pki, _proxy(open_squid), {"app.test": NXDOMAIN}))
    checks = by_id(outcome)
    dns = checks["dns:app.test"].result
    assert (dns.status, dns.cause) == (Status.WARN, "dns.nxdomain")
    assert "proxy" in str(dns.summary)
    assert checks[f"https:app.test:{port}"].result.status is Status.PASS
    assert checks["proxy:direct"].result.evidence["direct"] == "no_dns"
    assert outcome.verdict is Verdict.READY_WITH_WARNINGS


def test_proxy_down(pki: LoopbackPki) -> None:
    route = RouteConfig(proxy=parse_proxy_url(f"http://127.0.0.1:{closed_port()}"), environ={})
    outcome, _, port = run(_run(pki, route))
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.status, tcp.cause) == (Status.FAIL, "proxy.unreachable")


def _garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> asyncio.Future[None]:
    async def talk() -> None:
        await reader.read(1024)
        writer.write(b"SSH-2.0-OpenSSH_9.2\r\n")
        await writer.drain()
        await asyncio.sleep(0.2)

    return asyncio.ensure_future(talk())


def _answering(
    data: bytes, *, then_wait: float = 0
) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter], asyncio.Future[None]]:
    """A proxy that reads the CONNECT, answers `data`, maybe stays silent `then_wait` s, and hangs up."""

    def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> asyncio.Future[None]:
        async def talk() -> None:
            await reader.read(1024)
            writer.write(data)
            await writer.drain()
            await asyncio.sleep(then_wait)
            writer.close()

        return asyncio.ensure_future(talk())

    return behaviour


@pytest.mark.parametrize(
    ("behaviour", "cause"),
    [
        (_garbage, "proxy.invalid_response"),
        (stay_silent, "proxy.no_answer"),  # not unreachable: it took the connection (issue 15, point 10)
        # Digits that str.isdigit accepts but int() does not: a named cause, never internal.error.
        (_answering("HTTP/1.1 ²⁰⁰ OK\r\n\r\n".encode()), "proxy.invalid_response"),
        (
            _answering("HTTP/1.1 407 Auth\r\nProxy-Authenticate: Basic\r\nContent-Length: ²\r\n\r\n".encode()),
            "proxy.auth_required",
        ),
        (  # the challenge came; its error page trickles: the answer already read stands
            _answering(
                b"HTTP/1.1 407 Auth\r\nProxy-Authenticate: NTLM\r\nContent-Length: 5000\r\n\r\n<html>", then_wait=10
            ),
            "proxy.auth_required",
        ),
        (_answering(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 403 Forbidden\r\n\r\n"), "proxy.connect_denied"),
        (_answering(b"HTTP/1.1 403 Forbidden\n\n"), "proxy.connect_denied"),  # bare LF: an answer all the same
    ],
)
def test_misbehaving_proxies_get_a_clear_cause_and_never_hang(pki: LoopbackPki, behaviour: object, cause: str) -> None:
    async def scenario() -> tuple[RunOutcome, float, int]:
        server = await RawServer(behaviour).start()  # type: ignore[arg-type]
        began = time.perf_counter()
        try:
            route = RouteConfig(proxy=parse_proxy_url(f"http://127.0.0.1:{server.port}"), environ={})
            outcome, _, port = await _run(pki, route)
        finally:
            await server.stop()
        return outcome, time.perf_counter() - began, port

    outcome, elapsed, port = run(scenario())
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.status, tcp.cause) == (Status.FAIL, cause)
    assert elapsed < 2.0 + 3  # the profile's http deadline (2 s) bounds the wait for an answer


def test_tls_inspection_by_a_real_ssl_bump_proxy(pki: LoopbackPki, tmp_path: Path) -> None:
    inspector = trustme.CA(organization_name="Venue Inspection CA")
    folder = tmp_path / "bump"
    folder.mkdir()
    os.chmod(tmp_path, 0o755)
    os.chmod(folder, 0o755)
    bump_pem = folder / "bump.pem"
    bump_pem.write_bytes(inspector.cert_pem.bytes() + inspector.private_key_pem.bytes())
    platform_ca = folder / "platform-ca.pem"
    pki.ca.cert_pem.write_to_path(str(platform_ca))
    for path in (bump_pem, platform_ca):
        os.chmod(path, 0o644)
    with Squid(hosts=HOSTS, bump_ca=(str(bump_pem), str(platform_ca))) as squid:
        for trusted in (False, True):
            bundle = folder / f"trust-{trusted}.pem"
            bundle.write_bytes(platform_ca.read_bytes() + (inspector.cert_pem.bytes() if trusted else b""))
            os.environ["SSL_CERT_FILE"] = str(bundle)  # the pki fixture restores it afterwards
            outcome, _, port = run(_run(pki, _proxy(squid)))
            tls = by_id(outcome)[f"tls:app.test:{port}"].result
            assert tls.evidence["issuer"] == "Venue Inspection CA"
            if trusted:
                assert (tls.status, tls.cause) == (Status.WARN, "tls.intercepted")
                assert "inspection" in str(tls.remedy)
                assert by_id(outcome)[f"https:app.test:{port}"].result.status is Status.PASS
            else:
                assert (tls.status, tls.cause) == (Status.FAIL, "tls.untrusted")


# --- PAC files -----------------------------------------------------------------------------------------


async def _serve_pac(body: str, status: int = 200) -> tuple[web.AppRunner, str]:
    async def pac(request: web.Request) -> web.Response:
        return web.Response(text=body, status=status, content_type="application/x-ns-proxy-autoconfig")

    runner, port = await start_http({"/proxy.pac": pac})
    return runner, f"http://127.0.0.1:{port}/proxy.pac"


def _pac_run(pki: LoopbackPki, body: str, status: int = 200) -> tuple[RunOutcome, float, int]:
    async def scenario() -> tuple[RunOutcome, float, int]:
        pac_runner, url = await _serve_pac(body, status)
        began = time.perf_counter()
        try:
            outcome, _, port = await _run(pki, RouteConfig(pac_url=url, environ={}))
        finally:
            await pac_runner.cleanup()
        return outcome, time.perf_counter() - began, port

    return run(scenario())


def test_pac_file_picks_the_proxy(pki: LoopbackPki, open_squid: Squid) -> None:
    script = (
        "function FindProxyForURL(url, host) {\n"
        f'  if (dnsDomainIs(host, ".test")) return "PROXY {open_squid.address}; DIRECT";\n'
        '  return "DIRECT";\n}\n'
    )
    outcome, _, port = _pac_run(pki, script)
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert tcp.status is Status.PASS and tcp.evidence["proxy"] == open_squid.address
    assert tcp.evidence["route"]["mode"] == "pac"
    assert by_id(outcome)["proxy:discovery"].result.status is Status.PASS


@pytest.mark.parametrize("then", ["squid", "DIRECT"])
def test_a_pac_files_dead_first_proxy_gives_way_to_the_next_entry(
    pki: LoopbackPki, open_squid: Squid, then: str
) -> None:
    dead = f"127.0.0.1:{closed_port()}"
    entry = f"PROXY\t{open_squid.address}" if then == "squid" else "DIRECT"  # any whitespace, as browsers read it
    script = f'function FindProxyForURL(url, host) {{ return "PROXY {dead}; {entry}"; }}'
    outcome, _, port = _pac_run(pki, script)
    checks = by_id(outcome)
    tcp = checks[f"tcp:app.test:{port}"].result
    assert tcp.status is Status.PASS, tcp
    assert tcp.evidence.get("proxy") == (open_squid.address if then == "squid" else None), tcp.evidence
    discovery = checks["proxy:discovery"].result
    assert discovery.status is Status.PASS and f"{dead} did not answer" in str(discovery.evidence["routes"])
    assert outcome.verdict in (Verdict.READY, Verdict.READY_WITH_WARNINGS)


def test_a_long_list_of_silent_pac_proxies_costs_one_deadline_not_one_each(pki: LoopbackPki) -> None:
    holes = [BlackholePort() for _ in range(8)]
    try:
        entries = "; ".join(f"PROXY 127.0.0.1:{hole.port}" for hole in holes) + "; DIRECT"
        outcome, elapsed, port = _pac_run(pki, f'function FindProxyForURL(url, host) {{ return "{entries}"; }}')
    finally:
        for hole in holes:
            hole.close()
    assert by_id(outcome)[f"tcp:app.test:{port}"].result.status is Status.PASS  # DIRECT, the first that answers
    assert elapsed < PROXY_PROBE_S + 4, elapsed  # one probe deadline for all eight, not eight in a row


def test_pac_entries_sparkgui_cannot_test_are_named_and_credentials_never_quoted(pki: LoopbackPki) -> None:
    script = (
        'function FindProxyForURL(url, host) { return "SOCKS5 127.0.0.1:1080; '
        'PROXY alice:S3cr3t@127.0.0.1:3128; DIRECT"; }'
    )
    outcome, _, port = _pac_run(pki, script)
    discovery = by_id(outcome)["proxy:discovery"].result
    said = str(discovery.evidence["routes"]) + str(discovery.summary.render("en"))
    assert "SOCKS5 127.0.0.1:1080" in said and "cannot test" in said, said
    assert "S3cr3t" not in said and "alice" not in said
    assert by_id(outcome)[f"tcp:app.test:{port}"].result.evidence.get("proxy") is None  # DIRECT was tested


def test_a_file_pac_url_is_percent_decoded_as_os_settings_write_it(pki: LoopbackPki, tmp_path: Path) -> None:
    folder = tmp_path / "My PAC"
    folder.mkdir()
    (folder / "proxy.pac").write_text('function FindProxyForURL(url, host) { return "DIRECT"; }')
    url = (folder / "proxy.pac").as_uri()
    assert "%20" in url
    outcome, _, _ = run(_run(pki, RouteConfig(pac_url=url, environ={})))
    discovery = by_id(outcome)["proxy:discovery"].result
    assert discovery.status is Status.PASS, discovery.evidence


def test_a_pac_file_whose_only_proxies_are_dead_names_the_first(pki: LoopbackPki) -> None:
    first, second = closed_port(), closed_port()
    script = f'function FindProxyForURL(url, host) {{ return "PROXY 127.0.0.1:{first}; PROXY 127.0.0.1:{second}"; }}'
    outcome, _, port = _pac_run(pki, script)
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert (tcp.status, tcp.cause) == (Status.FAIL, "proxy.unreachable") and str(first) in tcp.evidence["proxy"]


@pytest.mark.parametrize(
    ("script", "status", "words"),
    [
        ("function FindProxyForURL(url, host) { throw new Error('broken'); }", 200, "cannot be evaluated"),
        ("function FindProxyForURL(url, host) { while (true) {} }", 200, "did not finish"),
        ("function FindProxyForURL(url, host) { return 'BANANA 1.2.3.4'; }", 200, "no DIRECT or HTTP proxy"),
        ("this is not javascript {", 200, "cannot be evaluated"),
        ("", 404, "answered HTTP 404"),
        ("x" * (1024 * 1024 + 10), 200, "larger than"),
    ],
)
def test_broken_pac_files_fall_back_to_direct_and_say_why(
    pki: LoopbackPki, script: str, status: int, words: str
) -> None:
    outcome, elapsed, port = _pac_run(pki, script, status)
    discovery = by_id(outcome)["proxy:discovery"].result
    assert (discovery.status, discovery.cause) == (Status.WARN, "proxy.pac_error")  # browsers go direct too
    assert words in discovery.evidence["error"]
    assert outcome.verdict is Verdict.READY_WITH_WARNINGS
    assert by_id(outcome)[f"https:app.test:{port}"].result.status is Status.PASS  # direct, as browsers do
    assert elapsed < 2.0 + 4  # the PAC deadline (the profile's http timeout) holds, even for an endless loop


def test_unusable_environment_setting_is_reported(pki: LoopbackPki) -> None:
    outcome, _, _ = run(_run(pki, RouteConfig(environ={"HTTPS_PROXY": "socks5://127.0.0.1:1080"})))
    discovery = by_id(outcome)["proxy:discovery"].result
    assert (discovery.status, discovery.cause) == (Status.FAIL, "proxy.bad_setting")
    assert "socks5:// proxies are not supported" in discovery.evidence["error"]


def test_network_settings_default_reads_this_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:3128")
    assert NetworkSettings().route.environ is None  # None means os.environ at discovery time


def _echoing_credentials(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> asyncio.Future[None]:
    """A lying proxy: it copies the Proxy-Authorization it was sent into its own Via, Server and reason."""

    async def talk() -> None:
        head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        sent = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")
                     if line.lower().startswith("proxy-authorization:")), "")  # fmt: skip
        if not sent:
            writer.write(b"HTTP/1.1 407 Sign in\r\nProxy-Authenticate: Basic realm=x\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
            sent = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")
                         if line.lower().startswith("proxy-authorization:")), "")  # fmt: skip
        token = sent.partition(" ")[2]
        decoded = base64.b64decode(token).decode() if token else ""
        writer.write(
            f"HTTP/1.1 403 Denied {sent}\r\nVia: 1.1 echo ({sent})\r\nServer: proxy {decoded}\r\n"
            f"X-Squid-Error: {token}\r\nContent-Length: 0\r\n\r\n".encode("latin-1")
        )
        await writer.drain()
        writer.close()

    return asyncio.ensure_future(talk())


def test_a_proxy_that_echoes_the_credentials_never_gets_them_into_the_report(pki: LoopbackPki) -> None:
    password = "s3cret-horse-battery"

    async def scenario() -> tuple[RunOutcome, dict[str, Any], int]:
        server = await RawServer(_echoing_credentials).start()
        try:
            route = RouteConfig(
                proxy=parse_proxy_url(f"http://127.0.0.1:{server.port}"),
                credentials=ProxyCredentials("alice", password),
                environ={},
            )
            return await _run(pki, route)
        finally:
            await server.stop()

    outcome, report, port = run(scenario())
    tcp = by_id(outcome)[f"tcp:app.test:{port}"].result
    assert tcp.cause in ("proxy.connect_denied", "http.blocked"), tcp
    text = json.dumps(report)
    token = base64.b64encode(f"alice:{password}".encode()).decode()
    for secret in (password, token, f"alice:{password}"):
        assert secret not in text
    assert "[removed: it contained the proxy credentials]" in text
