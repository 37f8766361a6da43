"""Proxy sign-in rounds against real loopback proxies: several challenges in one header, a scheme that gets
nowhere followed by the next one offered (as browsers do), and a connection-based exchange that never ends.

The NTLM/Negotiate token maker is replaced (it is a unit of logic of its own, pyspnego's); the proxies, the
sockets and every CONNECT round are real.
"""

from __future__ import annotations

import asyncio
import base64
import gc
import warnings
from collections.abc import Callable

from sparkgui.core.demo.listener import Listener
from sparkgui.core.net.proxy_auth import AuthContext
from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxySpec
from sparkgui.core.net.proxy_tunnel import Tunnel, TunnelOutcome, open_tunnel
from tests.hostile import peers
from tests.support import run

GOOD_BASIC = "Basic " + base64.b64encode(b"alice:right").decode()
ESTABLISHED = b"HTTP/1.1 200 Connection established\r\n\r\n"


def _challenge(*headers: str) -> bytes:
    lines = "".join(f"Proxy-Authenticate: {value}\r\n" for value in headers)
    return f"HTTP/1.1 407 Proxy Authentication Required\r\n{lines}Content-Length: 0\r\n\r\n".encode()


def sign_in_proxy(challenge: bytes, accepts: Callable[[str], bool]) -> peers.Behaviour:
    """A proxy answering every CONNECT without an accepted Proxy-Authorization with `challenge`, on one
    connection for several rounds, and the accepted one with 200."""

    async def behaviour(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for _ in range(8):
            head = await peers.read_head(reader)
            if not head:
                return
            authorization = next(
                (
                    line.partition(":")[2].strip()
                    for line in head.decode("latin-1").split("\r\n")
                    if line.lower().startswith("proxy-authorization:")
                ),
                "",
            )
            writer.write(ESTABLISHED if authorization and accepts(authorization) else challenge)
            await writer.drain()
            if authorization and accepts(authorization):
                await asyncio.sleep(5)
                return

    return behaviour


class EndlessExchange:
    """An NTLM-like client that always has one more token to send."""

    def step(self, in_token: bytes | None = None) -> bytes | None:
        return b"token-" + (in_token or b"first")


def _endless(scheme: str, proxy: ProxySpec) -> AuthContext:
    return EndlessExchange()


async def _tunnel(behaviour: peers.Behaviour, credentials: ProxyCredentials | None) -> Tunnel:
    listener = Listener(behaviour)
    port = await listener.start()
    try:
        tunnel = await open_tunnel(
            ProxySpec("127.0.0.1", port, credentials),
            "app.test",
            443,
            connect_timeout=2,
            answer_timeout=2,
            auth_factory=_endless,
        )
        tunnel.close()
        return tunnel
    finally:
        await listener.stop()


def test_basic_offered_in_the_same_header_after_ntlm_is_found_and_used() -> None:
    proxy = sign_in_proxy(_challenge('NTLM, Basic realm="corp"'), lambda auth: auth == GOOD_BASIC)
    tunnel = run(_tunnel(proxy, ProxyCredentials("alice", "right")))
    assert tunnel.auth_schemes == ("NTLM", "Basic")
    assert tunnel.outcome is TunnelOutcome.OPEN, tunnel.evidence()
    assert tunnel.auth_tried == ("NTLM", "Basic")
    assert tunnel.evidence()["auth_tried"] == ["NTLM", "Basic"]


def test_a_negotiate_exchange_that_gets_nowhere_falls_back_to_basic() -> None:
    proxy = sign_in_proxy(_challenge("Negotiate", 'Basic realm="corp"'), lambda auth: auth == GOOD_BASIC)
    tunnel = run(_tunnel(proxy, ProxyCredentials("alice", "right")))
    assert tunnel.outcome is TunnelOutcome.OPEN, tunnel.evidence()
    assert tunnel.auth_used == "Basic"


def test_a_wrong_password_is_refused_after_every_scheme_was_tried() -> None:
    proxy = sign_in_proxy(_challenge("NTLM", 'Basic realm="corp"'), lambda auth: auth == GOOD_BASIC)
    tunnel = run(_tunnel(proxy, ProxyCredentials("alice", "wrong")))
    assert tunnel.outcome is TunnelOutcome.AUTH_FAILED
    assert tunnel.auth_tried == ("NTLM", "Basic")
    assert tunnel.sock is None


def test_an_ntlm_exchange_that_never_ends_is_a_refused_sign_in_and_leaves_no_socket() -> None:
    proxy = sign_in_proxy(_challenge("NTLM dG9rZW4="), lambda auth: False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        tunnel = run(_tunnel(proxy, ProxyCredentials("alice", "right")))
        gc.collect()
    assert tunnel.outcome is TunnelOutcome.AUTH_FAILED, tunnel.evidence()
    assert "kept asking for NTLM" in tunnel.detail
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)]
