"""Hostile proxies, given with --proxy: silence, a trickle, a reset or a close in answer to CONNECT, garbage,
oversized or endless headers, challenges without a scheme, refusals, and proxies that lie: "200 Connection
established", then a cut, garbage or silence. Each ends in a named cause on the check that meets it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sparkgui.core.demo.listener import Listener
from tests.hostile import peers
from tests.hostile.harness import hostile_profile, run_cli
from tests.hostile.peers import Behaviour
from tests.servers.dns_server import DnsServer
from tests.support import Ep, run

ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"
INVALID = {"proxy.invalid_response"}

# case: (behaviour, the check that meets the fault, the causes that name it)
CASES: dict[str, tuple[Behaviour, str, set[str]]] = {
    "silence": (peers.silent_after(peers.read_head), "tcp:", {"proxy.no_answer"}),
    "trickled answer": (peers.trickle_after(peers.read_head, ESTABLISHED, 0.2), "tcp:", {"proxy.no_answer"}),
    "reset": (peers.reset_after(peers.read_head), "tcp:", {"proxy.no_answer"}),
    "clean close": (peers.close_after(peers.read_head), "tcp:", {"proxy.no_answer"}),
    "garbage": (peers.close_after(peers.read_head, peers.garbage(600) + b"\r\n\r\n"), "tcp:", INVALID),
    "oversized header": (
        peers.answer_after(peers.read_head, b"HTTP/1.1 200 OK\r\nX-Pad: " + b"a" * 200_000),
        "tcp:",
        INVALID,
    ),
    "endless headers": (peers.pour_after(peers.read_head, b"HTTP/1.1 200 OK\r\nX-Pad: ", 400), "tcp:", INVALID),
    "non-ascii status": (
        peers.answer_after(peers.read_head, "HTTP/1.1 ٢٠٠ OK\r\n\r\n".encode()),
        "tcp:",
        INVALID,
    ),
    "407 without a challenge": (
        peers.close_after(peers.read_head, b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n"),
        "tcp:",
        {"proxy.auth_required"},
    ),
    "403": (
        peers.close_after(peers.read_head, b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"),
        "tcp:",
        {"proxy.connect_denied"},
    ),
    "established, then a reset": (peers.reset_after(peers.read_head, ESTABLISHED), "tls:", {"tls.blocked"}),
    "established, then a close": (peers.close_after(peers.read_head, ESTABLISHED), "tls:", {"tls.blocked"}),
    "established, then garbage": (  # in the same write: the proxy spoke before the client's TLS hello
        peers.answer_after(peers.read_head, ESTABLISHED + peers.garbage(4096)),
        "tcp:",
        INVALID,
    ),
    "established, then its own HTTP answer": (
        peers.close_after(peers.read_head, ESTABLISHED + b"HTTP/1.0 403 Forbidden\r\n\r\nBlocked by policy"),
        "tcp:",
        {"proxy.connect_denied"},
    ),
    "200 OK with a block page": (
        peers.close_after(
            peers.read_head,
            b"HTTP/1.1 200 OK\r\nServer: WebFilter\r\nContent-Type: text/html\r\n\r\n"
            b"<html><head><title>Access Denied</title></head></html>",
        ),
        "tcp:",
        {"proxy.connect_denied"},
    ),
    **{
        f"{status} to a sign-in page": (
            peers.close_after(
                peers.read_head,
                b"HTTP/1.1 %d Sign in\r\nLocation: http://login.corp.example/auth\r\nContent-Length: 0\r\n\r\n"
                % status,
            ),
            "tcp:",
            {"http.captive_portal"},
        )
        for status in (302, 511)
    },
    **{
        f"{status} (the proxy cannot reach the host)": (
            peers.close_after(
                peers.read_head,
                b"HTTP/1.1 %d Oops\r\nServer: squid/5.7\r\nX-Squid-Error: ERR_DNS_FAIL 0\r\nContent-Length: 0\r\n\r\n"
                % status,
            ),
            "tcp:",
            {"proxy.upstream_failed"},
        )
        for status in (502, 503, 504)
    },
    "established, then silence": (peers.answer_after(peers.read_head, ESTABLISHED), "tls:", {"tls.timeout"}),
}


async def _through(proxy_behaviour: Behaviour, folder: Path, *args: str, env: dict[str, str] | None = None) -> object:
    """Run the CLI with `--proxy` set to a loopback proxy that behaves as told."""
    proxy = Listener(proxy_behaviour)
    port = await proxy.start()
    dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
    try:
        text = hostile_profile([Ep("app.test", 443)])
        return await run_cli(folder, text, dns.port, "--proxy", f"http://127.0.0.1:{port}", *args, env=env)
    finally:
        await dns.stop()
        await proxy.stop()


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_proxy_ends_in_a_named_cause(case: str, tmp_path: Path) -> None:
    behaviour, where, causes = CASES[case]
    hostile = run(_through(behaviour, tmp_path / "run"))
    result = hostile.assert_well_behaved(where, causes)  # type: ignore[attr-defined]
    assert result["status"] == "fail"
    if case in ("reset", "clean close"):
        assert "closed the connection without answering" in result["summary"]
    elif case in ("silence", "trickled answer"):
        assert "never answered" in result["summary"]
    elif case.startswith("established, then a"):  # the tunnel opened, then was cut: the proxy is named
        assert (
            "The proxy 127.0.0.1:" in result["summary"] and "the proxy, or the network behind it" in result["summary"]
        )


def test_a_proxy_wanting_a_sign_in_sparkgui_cannot_give_says_so_when_credentials_were_given(tmp_path: Path) -> None:
    digest = b'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Digest realm="x", nonce="1"\r\n'
    behaviour = peers.close_after(peers.read_head, digest + b"Content-Length: 0\r\n\r\n")
    hostile = run(_through(behaviour, tmp_path / "run", "--proxy-user", "alice", env={"SPARKGUI_PROXY_PASSWORD": "pw"}))
    result = hostile.assert_well_behaved("tcp:", {"proxy.auth_required"})  # type: ignore[attr-defined]
    assert "sign-in sparkgui cannot give (Digest)" in result["summary"], result["summary"]
