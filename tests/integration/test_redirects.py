"""Redirects on the platform's own origin are followed as a browser does (a bounded number of times); one
that loops is named, never reported as "answered the web request (HTTP 301)"."""

from __future__ import annotations

from aiohttp import web

from sparkgui.core.model import CheckRecord, Status
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, start_https
from tests.support import Ep, make_profile, run, run_checks


async def _https_check(pki: LoopbackPki, routes: dict[str, object]) -> CheckRecord:
    runner, port = await start_https(pki.server_context("app.test"), routes)  # type: ignore[arg-type]
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    try:
        outcome = await run_checks(make_profile([Ep("app.test", port)]), dns.port)
    finally:
        await runner.cleanup()
        await dns.stop()
    return next(r for r in outcome.records if r.id.startswith("https:"))


def _redirect(to: str, status: int = 301) -> object:
    async def handler(request: web.Request) -> web.Response:
        return web.Response(status=status, headers={"Location": to})

    return handler


async def _page(request: web.Request) -> web.Response:
    return web.Response(text="<title>Platform</title>", content_type="text/html")


def test_a_redirect_to_itself_is_a_loop_not_an_answer(pki: LoopbackPki) -> None:
    record = run(_https_check(pki, {"/": _redirect("/")}))
    result = record.result
    assert (result.status, result.cause) == (Status.FAIL, "http.redirect_loop"), result
    assert len(result.evidence["redirects"]) == 2 and "loop" in str(result.summary)


def test_an_endless_chain_of_redirects_stops_at_the_bound(pki: LoopbackPki) -> None:
    async def onwards(request: web.Request) -> web.Response:
        step = int(request.match_info.get("n", "0"))
        return web.Response(status=302, headers={"Location": f"/hop/{step + 1}"})

    record = run(_https_check(pki, {"/": onwards, "/hop/{n}": onwards}))
    assert record.result.cause == "http.redirect_loop"
    assert len(record.result.evidence["redirects"]) == 7  # the first URL and six redirects: past the bound of 5


def test_a_redirect_on_the_platform_is_followed_to_its_page(pki: LoopbackPki) -> None:
    record = run(_https_check(pki, {"/": _redirect("/app/", 302), "/app/": _page}))
    result = record.result
    assert (result.status, result.evidence["status"], result.evidence["final_status"]) == (Status.PASS, 302, 200)
    assert [url.rsplit("/", 2)[-2:] for url in result.evidence["redirects"]][-1] == ["app", ""]
