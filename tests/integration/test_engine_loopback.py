"""The engine against real servers on loopback: every cause code that loopback can produce."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from pathlib import Path

import pytest
import trustme
from aiohttp import web

from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import prepare_run, run_profile
from sparkgui.core.events import RecordingSink
from sparkgui.core.model import CheckResult, Status, Verdict
from sparkgui.core.net.connector import Outcome, happy_eyeballs
from sparkgui.core.net.resolver import ResolverConfig
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import NXDOMAIN, SERVFAIL, SILENT, DnsServer
from tests.servers.tls_servers import (
    LoopbackPki,
    RawServer,
    closed_port,
    reset_after_client_hello,
    speak_plain_http,
    start_http,
    start_https,
    stay_silent,
)
from tests.support import Ep, by_id, loopback_network, make_profile, run, run_checks


async def _https_platform(
    pki: LoopbackPki, host: str = "app.test", **routes: web.RequestHandler
) -> tuple[web.AppRunner, int]:
    return await start_https(pki.server_context(host), routes or None)  # type: ignore[arg-type]


def test_healthy_endpoint_passes_every_check(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        checks = by_id(outcome)
        assert outcome.verdict is Verdict.READY
        for kind in ("dns:app.test", f"tcp:app.test:{port}", f"tls:app.test:{port}", f"https:app.test:{port}"):
            assert checks[kind].result.status is Status.PASS, checks[kind]
        assert checks[f"ipv6:app.test:{port}"].result.status is Status.SKIPPED
        tls = checks[f"tls:app.test:{port}"].result.evidence
        assert tls["issuer"] == "sparkgui test CA" and "app.test" in tls["sans"]
        assert checks["dns:app.test"].result.evidence["addresses"] == ["127.0.0.1"]
        assert checks[f"https:app.test:{port}"].result.evidence["status"] == 200

    run(scenario())


@pytest.mark.parametrize(
    ("behaviour", "cause"),
    [(NXDOMAIN, "dns.nxdomain"), (SERVFAIL, "dns.servfail"), (SILENT, "dns.timeout"), ([], "dns.no_address")],
)
def test_dns_faults_are_told_apart_and_block_later_checks(behaviour: list[str] | str, cause: str) -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": behaviour}).start()
        began = time.perf_counter()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", 443)], timeouts={"dns": 0.6}), dns.port)
        finally:
            await dns.stop()
        elapsed = time.perf_counter() - began
        checks = by_id(outcome)
        dns_result = checks["dns:app.test"].result
        assert (dns_result.status, dns_result.cause) == (Status.FAIL, cause)
        assert dns_result.remedy is not None
        for dependent in ("tcp:app.test:443", "tls:app.test", "https:app.test"):
            result = checks[dependent].result
            assert result.status is Status.SKIPPED
            assert result.evidence["prerequisite"] == "dns:app.test"  # a DNS fault is never a firewall fault
            assert "DNS lookup of app.test" in str(result.summary)
        assert outcome.verdict is Verdict.NOT_READY
        assert elapsed < 0.6 + 1.5  # the DNS deadline holds

    run(scenario())


def test_no_resolver_configured(tmp_path: Path) -> None:
    empty = tmp_path / "resolv.conf"
    empty.write_text("# no nameserver here\n")
    profile = make_profile([Ep("app.test", 443)])
    outcome = run(run_profile(profile, NetworkSettings(resolvers=ResolverConfig(resolv_conf=str(empty)))))
    result = by_id(outcome)["dns:app.test"].result
    assert (result.status, result.cause) == (Status.FAIL, "dns.no_resolver")


@pytest.mark.parametrize("answers", [["0.0.0.0"], ["127.0.0.9"]])
def test_hijacking_resolver_is_detected(answers: list[str]) -> None:
    async def scenario() -> None:
        # A resolver that answers every name (the random canary included) with its portal's address.
        dns = await DnsServer({"app.test": answers}, wildcard=answers).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", 443)]), dns.port)
        finally:
            await dns.stop()
        result = by_id(outcome)["dns:app.test"].result
        assert (result.status, result.cause) == (Status.FAIL, "dns.hijacked")
        assert result.evidence["hijack"]

    run(scenario())


def test_honest_resolver_is_not_called_hijacked() -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", closed_port())]), dns.port)
        finally:
            await dns.stop()
        assert by_id(outcome)["dns:app.test"].result.status is Status.PASS
        assert any(name.endswith(".example.com") for name, _ in dns.queries)  # the canary was asked

    run(scenario())


def test_refused_port() -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        port = closed_port()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await dns.stop()
        checks = by_id(outcome)
        tcp = checks[f"tcp:app.test:{port}"].result
        assert (tcp.status, tcp.cause) == (Status.FAIL, "tcp.refused")
        assert checks[f"tls:app.test:{port}"].result.evidence["prerequisite"] == f"tcp:app.test:{port}"

    run(scenario())


def test_silently_dropped_port_times_out_within_the_connect_deadline() -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        with BlackholePort() as hole:
            began = time.perf_counter()
            try:
                outcome = await run_checks(
                    make_profile([Ep("app.test", hole.port)], timeouts={"connect": 0.8}), dns.port
                )
            finally:
                await dns.stop()
            elapsed = time.perf_counter() - began
        tcp = by_id(outcome)[f"tcp:app.test:{hole.port}"].result
        assert (tcp.status, tcp.cause) == (Status.FAIL, "tcp.timeout")
        assert 0.7 <= tcp.duration_ms / 1000 < 0.8 + 0.5
        assert elapsed < 0.8 + 1.5

    run(scenario())


def test_broken_ipv6_costs_no_time_and_is_a_warning(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"))  # listens on IPv4 only
        dns = await DnsServer({"app.test": ["::1", "127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        checks = by_id(outcome)
        assert checks[f"tcp:app.test:{port}"].result.status is Status.PASS
        assert checks[f"tcp:app.test:{port}"].result.evidence["connected_to"] == "127.0.0.1"
        ipv6 = checks[f"ipv6:app.test:{port}"].result
        assert (ipv6.status, ipv6.cause) == (Status.WARN, "ipv6.broken")
        assert checks[f"https:app.test:{port}"].result.status is Status.PASS
        assert outcome.verdict is Verdict.READY_WITH_WARNINGS

    run(scenario())


def test_blackholed_ipv6_loses_only_the_head_start() -> None:
    async def scenario() -> None:
        with BlackholePort("::1") as hole:
            # IPv4 answers on the same port number as the IPv6 black hole.
            server = await asyncio.start_server(lambda r, w: w.close(), "127.0.0.1", hole.port)
            began = time.perf_counter()
            connection = await happy_eyeballs(["::1", "127.0.0.1"], hole.port, timeout=3.0)
            elapsed = time.perf_counter() - began
            connection.close()
            server.close()
            await server.wait_closed()
        assert connection.winner is not None and connection.winner.address == "127.0.0.1"
        ipv6, ipv4 = connection.attempts
        assert ipv6.outcome is Outcome.ABANDONED
        assert ipv4.started_ms == pytest.approx(250, abs=60)  # the head start, and nothing more
        assert elapsed < 0.5

    run(scenario())


def test_working_ipv6_passes(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"), host="::1")
        dns = await DnsServer({"app.test": ["::1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        checks = by_id(outcome)
        assert checks[f"ipv6:app.test:{port}"].result.status is Status.PASS
        assert outcome.verdict is Verdict.READY

    run(scenario())


def _tls_case(pki: LoopbackPki, context_host: str, **issue: object) -> tuple[str, Status]:
    result = _tls_result(pki, context_host, **issue)
    return result.cause, result.status


def _tls_result(pki: LoopbackPki, context_host: str, **issue: object) -> CheckResult:
    """The TLS check's result against a server whose certificate is for `context_host`, issued with `issue`."""

    async def scenario() -> CheckResult:
        runner, port = await start_https(pki.server_context(context_host, **issue))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"tls:app.test:{port}"].result
        assert by_id(outcome)[f"https:app.test:{port}"].result.status is (
            Status.SKIPPED if result.status is Status.FAIL else Status.PASS
        )
        return result

    return run(scenario())


def test_certificate_for_another_name(pki: LoopbackPki) -> None:
    assert _tls_case(pki, "portal.example") == ("tls.hostname_mismatch", Status.FAIL)


def test_expired_certificate(pki: LoopbackPki) -> None:
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    assert _tls_case(pki, "app.test", not_before=past - dt.timedelta(days=30), not_after=past) == (
        "tls.expired",
        Status.FAIL,
    )


def test_an_out_of_date_certificate_for_another_name_is_a_stranger_not_an_expiry(pki: LoopbackPki) -> None:
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=30)  # a portal's stale certificate of its own
    assert _tls_case(pki, "portal.example", not_before=past - dt.timedelta(days=365), not_after=past) == (
        "tls.hostname_mismatch",
        Status.FAIL,
    )


def test_a_certificate_not_valid_yet_says_from_when(pki: LoopbackPki) -> None:
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    result = _tls_result(pki, "app.test", not_before=soon, not_after=soon + dt.timedelta(days=90))
    assert (result.status, result.cause) == (Status.FAIL, "tls.expired")
    assert "is not valid yet (valid from " + soon.date().isoformat() in str(result.summary), result.summary


def test_untrusted_chain_names_the_issuer(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        stranger = LoopbackPki(trustme.CA(organization_name="Untrusted Inspector"))
        runner, port = await start_https(stranger.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"tls:app.test:{port}"].result
        assert (result.status, result.cause) == (Status.FAIL, "tls.untrusted")
        assert result.evidence["issuer"] == "Untrusted Inspector"
        assert "Untrusted Inspector" in str(result.summary)

    run(scenario())


def test_trusted_interception_by_unexpected_issuer_is_a_warning(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            profile = make_profile([Ep("app.test", port)], expected_issuers=["Amazon"])
            outcome = await run_checks(profile, dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"tls:app.test:{port}"].result
        assert (result.status, result.cause) == (Status.WARN, "tls.intercepted")
        assert result.evidence["issuer"] == "sparkgui test CA"
        assert result.evidence["interception"] == "issuer_not_expected"
        assert by_id(outcome)[f"https:app.test:{port}"].result.status is Status.PASS
        assert outcome.verdict is Verdict.READY_WITH_WARNINGS

    run(scenario())


def test_without_expected_issuers_os_only_trust_counts_as_interception(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)], expected_issuers=[]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"tls:app.test:{port}"].result
        assert (result.status, result.cause) == (Status.WARN, "tls.intercepted")
        assert result.evidence["interception"] == "trusted_by_os_only"

    run(scenario())


@pytest.mark.parametrize(
    ("behaviour", "cause"),
    [
        (reset_after_client_hello, "tls.blocked"),
        (stay_silent, "tls.timeout"),
        (speak_plain_http, "tls.handshake_failed"),
    ],
)
def test_broken_handshakes_are_told_apart(behaviour: object, cause: str) -> None:
    async def scenario() -> None:
        server = await RawServer(behaviour).start()  # type: ignore[arg-type]
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        began = time.perf_counter()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", server.port)], timeouts={"tls": 0.8}), dns.port)
        finally:
            await server.stop()
            await dns.stop()
        result = by_id(outcome)[f"tls:app.test:{server.port}"].result
        assert (result.status, result.cause) == (Status.FAIL, cause)
        assert time.perf_counter() - began < 0.8 + 2

    run(scenario())


async def _answer(status: int, headers: dict[str, str] | None = None, body: str = "", delay: float = 0) -> web.Response:
    await asyncio.sleep(delay)
    return web.Response(status=status, headers=headers, text=body, content_type="text/html")


@pytest.mark.parametrize(
    ("status", "headers", "body", "cause"),
    [
        (302, {"Location": "http://portal.example/login?next=app"}, "", "http.captive_portal"),
        (511, {}, "<title>Sign in</title>", "http.captive_portal"),
        (
            403,
            {"Server": "squid/5.7"},
            "<title>ERROR: The requested URL could not be retrieved</title>",
            "http.blocked",
        ),
        (403, {}, "<title>Access denied by web filter</title>", "http.blocked"),
        (451, {}, "", "http.blocked"),
        (500, {}, "oops", "http.unexpected_status"),
        (404, {}, "", "http.unexpected_status"),
    ],
)
def test_https_answers_are_classified(
    pki: LoopbackPki, status: int, headers: dict[str, str], body: str, cause: str
) -> None:
    async def handler(request: web.Request) -> web.Response:
        return await _answer(status, headers, body)

    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"), {"/": handler})
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"https:app.test:{port}"].result
        assert (result.status, result.cause) == (Status.FAIL, cause)
        assert result.evidence["status"] == status

    run(scenario())


def test_redirect_within_the_platform_passes(pki: LoopbackPki) -> None:
    async def handler(request: web.Request) -> web.Response:
        return await _answer(302, {"Location": "/login"})

    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"), {"/": handler})
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        assert by_id(outcome)[f"https:app.test:{port}"].result.status is Status.PASS

    run(scenario())


def test_https_request_without_answer_times_out(pki: LoopbackPki) -> None:
    async def handler(request: web.Request) -> web.Response:
        return await _answer(200, delay=30)

    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"), {"/": handler})
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        began = time.perf_counter()
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)], timeouts={"http": 0.7}), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        result = by_id(outcome)[f"https:app.test:{port}"].result
        assert (result.status, result.cause) == (Status.FAIL, "http.timeout")
        assert time.perf_counter() - began < 0.7 + 2

    run(scenario())


def test_tls_and_https_overlap_tcp_but_never_report_past_a_failed_step() -> None:
    async def scenario() -> None:
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        sink = RecordingSink()
        with BlackholePort() as hole:
            profile = make_profile([Ep("app.test", hole.port)], timeouts={"connect": 0.8, "tls": 20, "http": 20})
            began = time.perf_counter()
            try:
                outcome = await prepare_run(profile, loopback_network(dns.port), sink).execute()
            finally:
                await dns.stop()
            elapsed = time.perf_counter() - began
        kinds = [(kind, getattr(payload, "id", payload)) for kind, payload in sink.events]
        tcp_done = kinds.index(("check_finished", f"tcp:app.test:{hole.port}"))
        assert kinds.index(("check_started", f"tls:app.test:{hole.port}")) < tcp_done  # started early…
        assert kinds.index(("check_started", f"https:app.test:{hole.port}")) < tcp_done
        checks = by_id(outcome)
        for dependent in (f"tls:app.test:{hole.port}", f"https:app.test:{hole.port}"):
            result = checks[dependent].result  # …but reported as skipped, naming the TCP check
            assert result.status is Status.SKIPPED
            assert result.evidence["prerequisite"] == f"tcp:app.test:{hole.port}"
        assert elapsed < 0.8 + 1.5  # their own 20 s deadlines were not waited for: they were stopped

    run(scenario())


def test_a_lost_ipv6_lookup_is_not_called_no_ipv6(pki: LoopbackPki) -> None:
    async def scenario() -> None:
        runner, port = await start_https(pki.server_context("app.test"))
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        dns.silent_types.add("AAAA")  # the AAAA answer is lost, the A answer arrives
        try:
            outcome = await run_checks(make_profile([Ep("app.test", port)], timeouts={"dns": 0.6}), dns.port)
        finally:
            await runner.cleanup()
            await dns.stop()
        ipv6 = next(r for r in outcome.records if r.info.kind == "ipv6").result
        assert ipv6.status is Status.SKIPPED
        assert "got no answer" in str(ipv6.summary) and ipv6.evidence["aaaa_rcode"] == "timeout"
        assert by_id(outcome)["dns:app.test"].result.status is Status.PASS

    run(scenario())


@pytest.mark.parametrize(("portal_answers", "cause"), [(True, "http.captive_portal"), (False, "tls.hostname_mismatch")])
def test_a_portal_intercepting_https_is_named_by_its_plain_http_answer(
    pki: LoopbackPki, portal_answers: bool, cause: str
) -> None:
    async def portal(request: web.Request) -> web.Response:
        return web.Response(status=302, headers={"Location": "http://portal.example/login"})

    async def scenario() -> None:
        # The portal answers HTTPS for every name with its own certificate, and redirects plain HTTP.
        https_runner, https_port = await start_https(pki.server_context("portal.example"))
        http_runner, http_port = await start_http({"/": portal})
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        connect_to = {("app.test", 80): http_port if portal_answers else closed_port()}
        try:
            outcome = await run_checks(make_profile([Ep("app.test", https_port)]), dns.port, connect_to=connect_to)
        finally:
            await https_runner.cleanup()
            await http_runner.cleanup()
            await dns.stop()
        tls = by_id(outcome)[f"tls:app.test:{https_port}"].result
        assert (tls.status, tls.cause) == (Status.FAIL, cause)
        if portal_answers:
            assert tls.evidence["portal"] == "http://portal.example/login"
            assert tls.evidence["issuer"] == "sparkgui test CA"  # the certificate evidence is kept

    run(scenario())
