"""Open a TCP tunnel through an HTTP proxy with CONNECT, authenticating with Basic, NTLM or Negotiate.

Each failure is told apart (proxy unreachable, credentials wanted or refused, CONNECT refused, nonsense, no
answer) so the report can say exactly where the path breaks. Credentials never leave this module and
proxy_auth (which makes the sign-in tokens) except in the Proxy-Authorization header sent to the proxy.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import ipaddress
import socket
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sparkgui.core.net.connector import Attempt, happy_eyeballs
from sparkgui.core.net.proxy_auth import (
    AuthContext,
    AuthFactory,
    basic_authorization,
    challenges,
    spnego_auth,
    usable_schemes,
)
from sparkgui.core.net.proxy_spec import ProxySpec

MAX_HEADER_BYTES = 64 * 1024
MAX_BODY_BYTES = 256 * 1024
MAX_INTERIM_ANSWERS = 8  # 100 Continue and the like before the real answer
BODY_DRAIN_S = 1.0  # how long an error page may take to arrive before the connection is given up
EVIDENCE_HEADERS = ("Server", "Via", "X-Squid-Error", "Proxy-Agent", "Content-Type", "Location")
SIGN_IN_PAGE_STATUSES = (301, 302, 303, 307, 308, 511)  # "sign in there first", as a web portal on a proxy says


class TunnelOutcome(StrEnum):
    """Where a CONNECT tunnel ended up: open, or the step at which it failed."""

    OPEN = "open"
    UNREACHABLE = "unreachable"  # the proxy itself cannot be reached
    AUTH_REQUIRED = "auth_required"  # 407 and no usable credentials
    AUTH_FAILED = "auth_failed"  # 407 again after credentials
    DENIED = "denied"  # CONNECT refused (403, 405...)
    OWN_PAGE = "own_page"  # "200", then a page of the proxy's own (a block page) instead of a tunnel
    SIGN_IN_PAGE = "sign_in_page"  # a redirect or 511: sign in on a web page first (a portal on the proxy)
    UPSTREAM_FAILED = "upstream_failed"  # 502/503/504: the proxy could not resolve or reach the host itself
    BAD_ANSWER = "bad_answer"  # not HTTP
    NO_ANSWER = "no_answer"  # connected, but no answer to CONNECT in time
    CLOSED = "closed"  # connected, then closed or reset without answering CONNECT


@dataclass
class Tunnel:
    """A CONNECT attempt's result: the open socket (owned by the caller) and what the proxy said."""

    sock: socket.socket | None
    outcome: TunnelOutcome
    proxy: str
    elapsed_ms: int
    status: int | None = None
    reason: str = ""
    auth_schemes: tuple[str, ...] = ()
    auth_tried: tuple[str, ...] = ()  # every scheme signed in with, in order (the next when one got nowhere)
    auth_broken: bool = False  # the last sign-in could not be completed (an unusable challenge), not refused
    headers: dict[str, str] = field(default_factory=dict)
    detail: str = ""
    unanswerable: bool = False  # the proxy wants a sign-in sparkgui cannot give (Digest, Bearer…)
    attempts: list[Attempt] = field(default_factory=list)
    # What was sent to prove who we are (the password, user:password, every Proxy-Authorization value): never
    # written to evidence, even when a proxy copies it into its own headers.
    secrets: set[str] = field(default_factory=set, repr=False, compare=False)

    @property
    def auth_used(self) -> str:
        """The scheme of the last sign-in tried, or "" when none was."""
        return self.auth_tried[-1] if self.auth_tried else ""

    def evidence(self) -> dict[str, Any]:
        """Return the tunnel's outcome and the proxy's answer as report evidence."""
        data: dict[str, Any] = {"proxy": self.proxy, "tunnel": str(self.outcome), "elapsed_ms": self.elapsed_ms}
        if self.status is not None:
            data["proxy_status"] = self._scrubbed(f"{self.status} {self.reason}".strip())
        if self.auth_schemes:
            data["auth_schemes"] = list(self.auth_schemes)
        if self.auth_used:
            data["auth_used"] = self.auth_used
        if len(self.auth_tried) > 1:
            data["auth_tried"] = list(self.auth_tried)
        if self.headers:
            data["proxy_headers"] = {name: self._scrubbed(value) for name, value in self.headers.items()}
        if self.detail:
            data["detail"] = self._scrubbed(self.detail)
        if self.attempts and self.outcome is TunnelOutcome.UNREACHABLE:
            data["attempts"] = [a.as_evidence() for a in self.attempts]
        return data

    def _scrubbed(self, text: str) -> str:
        """`text`, or a placeholder when it holds any of the credentials (a proxy may echo them back)."""
        if any(secret and secret in text for secret in self.secrets):
            return "[removed: it contained the proxy credentials]"
        return text

    def close(self) -> None:
        """Close the socket, if any; safe to call twice."""
        if self.sock is not None:
            self.sock.close()
            self.sock = None


@dataclass
class _Answer:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    keep_alive: bool
    early: bytes = b""  # what followed a 2xx head before anything was sent through the tunnel

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def first(self, name: str) -> str:
        values = self.all(name)
        return values[0] if values else ""


class _NotHttp(Exception):
    pass


async def open_tunnel(
    proxy: ProxySpec,
    host: str,
    port: int,
    *,
    connect_timeout: float,
    answer_timeout: float,
    auth_factory: AuthFactory | None = None,
) -> Tunnel:
    """CONNECT `host:port` through `proxy` within the deadlines; the caller owns the returned socket."""
    began = time.perf_counter()
    tunnel = Tunnel(None, TunnelOutcome.UNREACHABLE, proxy.address, 0)
    if proxy.credentials is not None and proxy.credentials.password:
        credentials = proxy.credentials
        tunnel.secrets.update({credentials.password, f"{credentials.username}:{credentials.password}"})
    try:
        await _open(tunnel, proxy, host, port, connect_timeout, answer_timeout, auth_factory or spnego_auth)
        if tunnel.outcome is not TunnelOutcome.OPEN:
            tunnel.close()  # only an open tunnel is the caller's to close
    except BaseException:
        tunnel.close()
        raise
    finally:
        tunnel.elapsed_ms = round((time.perf_counter() - began) * 1000)
    return tunnel


async def _open(
    tunnel: Tunnel,
    proxy: ProxySpec,
    host: str,
    port: int,
    connect_timeout: float,
    answer_timeout: float,
    auth_factory: AuthFactory,
) -> None:
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if not await _connect(tunnel, proxy, connect_timeout):
        return
    answer = await _exchange(tunnel, authority, None, answer_timeout)
    if answer is None or answer.status != 407:
        return
    tunnel.auth_schemes = tuple(dict.fromkeys(scheme for scheme, _ in challenges(answer.all("Proxy-Authenticate"))))
    schemes = usable_schemes(tunnel.auth_schemes, proxy.credentials)
    if not schemes:
        tunnel.outcome = TunnelOutcome.AUTH_REQUIRED
        tunnel.unanswerable = proxy.credentials is not None  # credentials given, but no scheme to use them in
        tunnel.close()
        return
    reusable = answer.keep_alive
    for scheme in schemes:  # as browsers do: when Negotiate or NTLM gets nowhere, the next scheme offered
        tunnel.auth_tried = (*tunnel.auth_tried, scheme)
        tunnel.auth_broken = False
        if scheme == "Basic" or not reusable or tunnel.sock is None:
            tunnel.close()
            if not await _connect(tunnel, proxy, connect_timeout):
                return
        tunnel.outcome = TunnelOutcome.AUTH_FAILED  # unless the proxy says otherwise below
        if scheme == "Basic":
            assert proxy.credentials is not None
            answer = await _exchange(tunnel, authority, basic_authorization(proxy.credentials), answer_timeout)
        else:
            answer = await _connection_auth(tunnel, authority, scheme, auth_factory(scheme, proxy), answer_timeout)
        if answer is not None and answer.status != 407:
            return  # open, refused, upstream failure: settled by the proxy's answer
        if answer is None and tunnel.outcome is not TunnelOutcome.AUTH_FAILED:
            return  # the proxy went quiet, closed or spoke nonsense: that is the finding
        tunnel.outcome = TunnelOutcome.AUTH_FAILED
        tunnel.close()
        reusable = False


async def _connect(tunnel: Tunnel, proxy: ProxySpec, timeout: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        ipaddress.ip_address(proxy.host)
        addresses = [proxy.host]
    except ValueError:
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(proxy.host, proxy.port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as exc:
            tunnel.outcome = TunnelOutcome.UNREACHABLE
            tunnel.detail = f"the proxy's name {proxy.host} cannot be resolved ({type(exc).__name__})"
            return False
        addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    connection = await happy_eyeballs(addresses, proxy.port, max(0.05, deadline - loop.time()))
    tunnel.attempts.extend(connection.attempts)
    if connection.sock is None:
        tunnel.outcome = TunnelOutcome.UNREACHABLE
        tunnel.detail = "no connection to the proxy"
        return False
    tunnel.sock = connection.sock
    return True


async def _exchange(tunnel: Tunnel, authority: str, authorization: str | None, timeout: float) -> _Answer | None:
    """Send CONNECT, read the answer, and settle the tunnel's outcome; None when there is no usable answer."""
    assert tunnel.sock is not None
    loop = asyncio.get_running_loop()
    lines = [
        f"CONNECT {authority} HTTP/1.1",
        f"Host: {authority}",
        "Proxy-Connection: keep-alive",
        "User-Agent: sparkgui",
    ]
    if authorization:
        lines.append(f"Proxy-Authorization: {authorization}")
        tunnel.secrets.update({authorization, authorization.partition(" ")[2]})
    try:
        async with asyncio.timeout(timeout):
            await loop.sock_sendall(tunnel.sock, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
            answer = await _read_answer(tunnel.sock)
    except TimeoutError:
        tunnel.outcome = TunnelOutcome.NO_ANSWER
        tunnel.detail = f"the proxy accepted the connection but did not answer CONNECT within {timeout:g} s"
        tunnel.close()
        return None
    except _NotHttp as exc:
        tunnel.outcome = TunnelOutcome.BAD_ANSWER
        tunnel.detail = str(exc)
        tunnel.close()
        return None
    except OSError as exc:
        tunnel.outcome = TunnelOutcome.CLOSED
        tunnel.detail = f"the proxy closed the connection without answering CONNECT ({type(exc).__name__})"
        tunnel.close()
        return None
    tunnel.status, tunnel.reason = answer.status, answer.reason
    tunnel.headers = {name: answer.first(name) for name in EVIDENCE_HEADERS if answer.first(name)}
    if 200 <= answer.status < 300 and answer.early:
        # In a TLS tunnel the client speaks first: bytes before its ClientHello are the proxy talking itself,
        # a page of its own (a filter's block page) or nonsense.
        own_page = answer.early.lstrip()[:1] == b"<" or answer.early.startswith(b"HTTP/")
        tunnel.outcome = TunnelOutcome.OWN_PAGE if own_page else TunnelOutcome.BAD_ANSWER
        tunnel.detail = f"the proxy said the tunnel was open, then answered itself: {answer.early[:80]!r}"
        tunnel.close()
    elif 200 <= answer.status < 300:
        tunnel.outcome = TunnelOutcome.OPEN
    elif answer.status in (502, 503, 504):
        tunnel.outcome = TunnelOutcome.UPSTREAM_FAILED
        tunnel.close()
    elif answer.status in SIGN_IN_PAGE_STATUSES:
        tunnel.outcome = TunnelOutcome.SIGN_IN_PAGE
        location = answer.first("Location")
        tunnel.detail = f"the proxy sends to a sign-in page: {location[:200]}" if location else ""
        tunnel.close()
    elif answer.status != 407:
        tunnel.outcome = TunnelOutcome.DENIED
        tunnel.close()
    return answer


async def _read_answer(sock: socket.socket) -> _Answer:
    """The proxy's final answer to a request: interim 1xx answers are passed over, bare-LF lines accepted."""
    loop = asyncio.get_running_loop()
    data = b""
    for _ in range(MAX_INTERIM_ANSWERS + 1):
        data = await _read_head(loop, sock, data)
        head, rest = _split_head(data)
        status_line, *header_lines = [line.rstrip("\r") for line in head.decode("latin-1").split("\n")]
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not _is_number(parts[1]) or len(parts[1]) != 3:
            raise _NotHttp(f"the proxy sent a malformed status line: {status_line[:80]!r}")
        if not 100 <= int(parts[1]) < 200:
            break
        data = rest  # 100 Continue and its kin: the real answer follows
    else:
        raise _NotHttp("the proxy sent interim answers without end")
    headers = [(k.strip(), v.strip()) for k, _, v in (line.partition(":") for line in header_lines) if k.strip()]
    answer = _Answer(int(parts[1]), parts[2] if len(parts) > 2 else "", headers, keep_alive=True)
    if 200 <= answer.status < 300:
        answer.early = rest
    connection = (answer.first("Proxy-Connection") or answer.first("Connection")).lower()
    answer.keep_alive = connection != "close" and not parts[0].endswith("1.0")
    if answer.status >= 300:  # drain a body so the connection can carry the next round of authentication
        length = answer.first("Content-Length")
        remaining = min(int(length), MAX_BODY_BYTES) - len(rest) if _is_number(length) else 0
        try:
            async with asyncio.timeout(BODY_DRAIN_S):  # a trickled body must not cost the answer already read
                while remaining > 0:
                    chunk = await loop.sock_recv(sock, min(remaining, 65536))
                    if not chunk:
                        answer.keep_alive = False
                        break
                    remaining -= len(chunk)
        except TimeoutError:
            answer.keep_alive = False
        if not _is_number(length):
            answer.keep_alive = False
    return answer


async def _read_head(loop: asyncio.AbstractEventLoop, sock: socket.socket, data: bytes) -> bytes:
    """Read until a whole answer head is in `data` (CRLF CRLF, or LF LF from a sloppy proxy)."""
    while not _head_ends(data):
        chunk = await loop.sock_recv(sock, 4096)
        if not chunk:
            if not data:
                raise ConnectionResetError("closed without an answer")
            raise _NotHttp(f"the proxy closed the connection in the middle of its answer: {data[:80]!r}")
        data += chunk
        if len(data) > MAX_HEADER_BYTES:
            raise _NotHttp("the proxy's answer headers are unreasonably long")
        if not data.startswith(b"HTTP/"[: len(data)]):
            raise _NotHttp(f"the proxy did not answer in HTTP: {data[:80]!r}")
    return data


def _head_ends(data: bytes) -> bool:
    return b"\r\n\r\n" in data or b"\n\n" in data


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """(head, what follows it), the head ending at the first blank line, CRLF or bare LF."""
    ends = [(at, len(mark)) for mark in (b"\r\n\r\n", b"\n\n") if (at := data.find(mark)) != -1]
    at, size = min(ends)
    return data[:at], data[at + size :]


def _is_number(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also accepts "²" or "٣", which `int()` then refuses or misreads."""
    return text.isascii() and text.isdigit()


async def _connection_auth(
    tunnel: Tunnel, authority: str, scheme: str, context: AuthContext, timeout: float
) -> _Answer | None:
    """NTLM / Negotiate: token exchanges on one connection until the proxy says yes or no."""
    in_token: bytes | None = None
    for _ in range(4):  # NTLM needs 2 rounds, Kerberos 1; more is a misbehaving proxy
        try:
            out_token = context.step(in_token)
        except Exception as exc:  # the auth library refused (no credentials, bad challenge)
            tunnel.outcome = TunnelOutcome.AUTH_FAILED
            tunnel.auth_broken = True
            tunnel.detail = f"{scheme} authentication could not proceed ({type(exc).__name__})"
            tunnel.close()
            return None
        if out_token is None:
            break
        if tunnel.sock is None:
            return None
        answer = await _exchange(tunnel, authority, f"{scheme} {base64.b64encode(out_token).decode()}", timeout)
        if answer is None or answer.status != 407:
            return answer
        challenge = next(
            (
                data
                for offered, data in challenges(answer.all("Proxy-Authenticate"))
                if offered.lower() == scheme.lower()
            ),
            "",
        )
        if not challenge or not answer.keep_alive:
            return answer  # no challenge to answer: the credentials were refused
        with contextlib.suppress(ValueError):
            in_token = base64.b64decode(challenge)
    tunnel.outcome = TunnelOutcome.AUTH_FAILED
    tunnel.detail = f"the proxy kept asking for {scheme} sign-in"
    tunnel.close()
    return None
