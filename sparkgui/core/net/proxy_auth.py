"""Proxy sign-in: the challenges a proxy offers, the schemes sparkgui answers them with, and their tokens.

Basic from the credentials given; NTLM and Negotiate through pyspnego (the given credentials, or the logged-on
user's on Windows). The CONNECT rounds that carry them are proxy_tunnel's.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxySpec


class AuthContext(Protocol):
    """A connection-oriented authentication exchange (NTLM, Negotiate): one token in, one token out."""

    def step(self, in_token: bytes | None = None) -> bytes | None:
        """Return the next token to send, given the proxy's last one; None when the exchange is done."""
        ...


AuthFactory = Callable[[str, ProxySpec], AuthContext]


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_AUTH_PARAM = re.compile(rf"^{_TOKEN}\s*=")


def challenges(values: Iterable[str]) -> list[tuple[str, str]]:
    """The challenges in Proxy-Authenticate values as (scheme, what follows it: a token or the first parameter).

    One header may list several challenges, comma-separated (RFC 7235), as proxies and load balancers that
    merge headers send them: `NTLM, Basic realm="corp"`. A comma also separates a challenge's parameters, so a
    piece that reads `name=value` belongs to the challenge before it; commas inside quotes separate nothing.
    """
    found: list[tuple[str, str]] = []
    for value in values:
        for piece in _comma_pieces(value):
            if _AUTH_PARAM.match(piece):
                continue
            scheme, _, data = piece.partition(" ")
            if re.fullmatch(_TOKEN, scheme):
                found.append((scheme, data.strip()))
    return found


def _comma_pieces(value: str) -> list[str]:
    pieces, current, quoted, escaped = [], "", False, False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            pieces.append(current)
            current = ""
            continue
        current += char
    pieces.append(current)
    return [piece.strip().replace("\t", " ") for piece in pieces if piece.strip()]


def usable_schemes(offered: tuple[str, ...], credentials: ProxyCredentials | None) -> list[str]:
    """Negotiate, then NTLM, then Basic, of those offered.

    Basic needs credentials; the others can also use the OS's on Windows.
    """
    lowered = {s.lower() for s in offered}
    usable = []
    for wanted, name in (("negotiate", "Negotiate"), ("ntlm", "NTLM")):
        if wanted in lowered and (credentials is not None or _os_credentials_available()):
            usable.append(name)
    if "basic" in lowered and credentials is not None:
        usable.append("Basic")
    return usable


def _os_credentials_available() -> bool:
    """Windows logs the user on with credentials SSPI can use; elsewhere they must be given."""
    import sys

    return sys.platform == "win32"


def basic_authorization(credentials: ProxyCredentials) -> str:
    """The Proxy-Authorization value of a Basic sign-in."""
    token = base64.b64encode(f"{credentials.username}:{credentials.password}".encode()).decode("ascii")
    return f"Basic {token}"


def spnego_auth(scheme: str, proxy: ProxySpec) -> AuthContext:
    """An NTLM or Negotiate client from pyspnego: the given credentials, or the logged-on user's (SSPI)."""
    import spnego

    credentials = proxy.credentials
    client = spnego.client(
        username=credentials.username if credentials else None,
        password=credentials.password if credentials else None,
        hostname=proxy.host,
        service="HTTP",
        protocol="ntlm" if scheme == "NTLM" else "negotiate",
    )
    return _SpnegoContext(client)


class _SpnegoContext:
    def __init__(self, client: Any) -> None:
        self.client = client

    def step(self, in_token: bytes | None = None) -> bytes | None:
        token = self.client.step(in_token)
        return bytes(token) if token else None
