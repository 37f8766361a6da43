"""Hostile peers at the HTTP stage, behind a valid TLS handshake: the request meets silence, a trickle, a reset,
a clean close, garbage, oversized or contradictory headers, or a body that never ends. Each ends in a named HTTP
cause within the HTTP deadline, and never passes for "answered the web request"."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import peers
from tests.hostile.harness import run_against_peer
from tests.servers.tls_servers import LoopbackPki
from tests.support import run

LOST = {"http.connection_lost"}
NOT_HTTP = {"http.invalid_response"}
OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"

CASES = {
    "silence": (peers.silent_after(peers.read_head), {"http.timeout"}),
    "trickled status line": (peers.trickle_after(peers.read_head, b"HTTP/1.1 200 OK\r\n", 0.2), {"http.timeout"}),
    "reset": (peers.reset_after(peers.read_head), LOST),
    "reset mid-head": (peers.reset_after(peers.read_head, b"HTTP/1.1 200 OK\r\nContent-"), LOST),
    "clean close": (peers.close_after(peers.read_head), LOST),
    "garbage": (peers.close_after(peers.read_head, peers.garbage(2048)), NOT_HTTP),
    "not an http status line": (peers.answer_after(peers.read_head, b"SSH-2.0-OpenSSH_9.6\r\n\r\n"), NOT_HTTP),
    "oversized header": (peers.answer_after(peers.read_head, OK_HEAD + b"X-Big: " + b"a" * 200_000), NOT_HTTP),
    "endless headers": (
        peers.pour_after(peers.read_head, OK_HEAD + b"X-Pad: ", 400),
        NOT_HTTP,
    ),
    "two content lengths": (
        peers.answer_after(peers.read_head, OK_HEAD + b"Content-Length: 5\r\nContent-Length: 9\r\n\r\nhello"),
        NOT_HTTP,
    ),
    "non-ascii content length": (
        peers.answer_after(peers.read_head, OK_HEAD + "Content-Length: ٥\r\n\r\nhello".encode()),
        NOT_HTTP,
    ),
    "status 999": (
        peers.close_after(peers.read_head, b"HTTP/1.1 999 Whatever\r\nContent-Length: 0\r\n\r\n"),
        {"http.unexpected_status", "http.invalid_response"},
    ),
    "truncated body": (
        peers.close_after(peers.read_head, OK_HEAD + b"Content-Length: 100000\r\n\r\n<html>"),
        LOST,
    ),
    "trickled body": (
        peers.trickle_after(peers.read_head, OK_HEAD + b"Content-Length: 1000\r\n\r\n<html>", 0.02),
        {"http.timeout"},
    ),
    "endless body": (peers.pour_after(peers.read_head, OK_HEAD + b"\r\n", 20_000), {"ok"}),
    "status 000": (peers.close_after(peers.read_head, b"HTTP/1.1 000 Zero\r\nContent-Length: 0\r\n\r\n"), NOT_HTTP),
    "status 099": (peers.close_after(peers.read_head, b"HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n"), NOT_HTTP),
    "101 to a plain GET": (
        peers.answer_after(peers.read_head, b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n"),
        NOT_HTTP | LOST,
    ),
    **{
        f"redirect to {name}": (
            peers.close_after(peers.read_head, b"HTTP/1.1 302 Found\r\nLocation: " + where + b"\r\n\r\n"),
            NOT_HTTP,
        )
        for name, where in {
            "a broken IPv6 URL": b"https://[app.test/",
            "port 99999": b"https://app.test:99999/",
            "a port in letters": b"https://app.test:abc/",
        }.items()
    },
    "407 from a proxy intercepting HTTPS": (
        peers.close_after(
            peers.read_head,
            b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: NTLM\r\nContent-Length: 0\r\n\r\n",
        ),
        {"http.blocked"},
    ),
    "a gzip body that is not gzip": (
        peers.close_after(peers.read_head, OK_HEAD + b"Content-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!"),
        NOT_HTTP,
    ),
    "redirect to bytes that are not UTF-8": (
        peers.close_after(peers.read_head, b"HTTP/1.1 302 Found\r\nLocation: /\xff\xfe\r\n\r\n"),
        NOT_HTTP | LOST | {"http.redirect_loop"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_web_answer_ends_in_a_named_http_cause(case: str, pki: LoopbackPki, tmp_path: Path) -> None:
    behaviour, causes = CASES[case]
    hostile = run(run_against_peer(tmp_path / "run", behaviour, ssl_context=pki.server_context("app.test")))
    result = hostile.assert_well_behaved("https:", causes)
    assert hostile.result("tls:")["status"] == "pass"
    if causes != {"ok"}:
        assert result["status"] == "fail", result


OK_EMPTY = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
PROBE_CASES = {
    "silent": None,
    "deeply nested JSON": b"HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n" + b"[" * 4000,
    "not JSON": b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "a list": b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n[]",
}


@pytest.mark.parametrize("case", sorted(PROBE_CASES))
def test_a_probe_whose_whoami_misbehaves_still_passes_the_web_request(
    case: str, pki: LoopbackPki, tmp_path: Path
) -> None:
    behaviour = peers.by_path({"/": OK_EMPTY, "/whoami": PROBE_CASES[case]})
    context = pki.server_context("app.test")
    hostile = run(run_against_peer(tmp_path / "run", behaviour, ssl_context=context, probe=True))
    result = hostile.assert_well_behaved("https:", {"ok"})
    assert result["status"] == "pass" and "public_address" not in result["evidence"], result


def _page(html: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s" % (len(html), html)


PAGES_INSTEAD_OF_THE_PROBE = {
    "a consent page": (
        _page(b"<html><form action=/accept>Accept the terms to use the Wi-Fi</form></html>"),
        "http.captive_portal",
    ),
    "a block page": (
        _page(b"<html><title>Restricted</title>This site is restricted by your organisation</html>"),
        "http.blocked",
    ),
    "some other page": (_page(b"<!DOCTYPE html><html><title>It works</title></html>"), "http.invalid_response"),
}


@pytest.mark.parametrize("case", sorted(PAGES_INSTEAD_OF_THE_PROBE))
def test_a_web_page_where_the_probe_sends_none_is_not_a_pass(case: str, pki: LoopbackPki, tmp_path: Path) -> None:
    answer, cause = PAGES_INSTEAD_OF_THE_PROBE[case]
    behaviour = peers.by_path({"/": answer, "/whoami": answer})
    context = pki.server_context("app.test")
    hostile = run(run_against_peer(tmp_path / "run", behaviour, ssl_context=context, probe=True))
    result = hostile.assert_well_behaved("https:", {cause})
    assert result["status"] == "fail" and result["evidence"]["page_title"], result
