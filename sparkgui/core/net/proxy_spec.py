"""Proxy addresses and credentials, parsed once and never shown with their secrets."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from sparkgui.core.hostnames import HostNameError, is_ip_literal, to_ascii_host
from sparkgui.core.i18n import Explained, Text, tr


class ProxyUrlError(Explained, ValueError):
    """A proxy setting cannot be understood; the message says what is expected (never the password)."""

    def __init__(self, what: str | Text, problem: Text) -> None:
        super().__init__(Text("{what}: {problem}", {"what": what, "problem": problem}))


@dataclass(frozen=True)
class ProxyCredentials:
    """A proxy user name and password; the password stays out of `repr` and `str`."""

    username: str
    password: str = field(repr=False)

    def __str__(self) -> str:
        return f"{self.username} (password hidden)"


@dataclass(frozen=True)
class ProxySpec:
    """An HTTP proxy that tunnels HTTPS with CONNECT."""

    host: str
    port: int
    credentials: ProxyCredentials | None = field(default=None, repr=False, compare=False)

    @property
    def address(self) -> str:
        """`host:port`, the only form that ever reaches a report."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def with_credentials(self, credentials: ProxyCredentials | None) -> ProxySpec:
        """Return the same proxy with `credentials` (None removes them)."""
        return ProxySpec(self.host, self.port, credentials)

    def __str__(self) -> str:
        return self.address


def parse_proxy_url(text: str, *, what: str | Text = "proxy") -> ProxySpec:
    """Read `http://[user[:password]@]host:port` (or `host:port`). Raise ProxyUrlError with a usable message."""
    raw = text.strip()
    if not raw:
        raise ProxyUrlError(what, tr("empty; expected http://host:port"))
    if "://" not in raw:
        raw = "http://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise ProxyUrlError(
            what, tr("{setting} has an invalid port; expected http://host:port", setting=_redacted(text))
        ) from None
    if parts.scheme.lower() == "https":  # TLS to the proxy itself: sparkgui speaks plain HTTP to proxies
        raise ProxyUrlError(
            what,
            tr(
                "https:// proxies (an encrypted link to the proxy itself) are not supported; expected an HTTP "
                "proxy (http://host:port). If the proxy is an ordinary one, write http:// instead."
            ),
        )
    if parts.scheme.lower() != "http":
        raise ProxyUrlError(
            what,
            tr(
                "{scheme}:// proxies are not supported; expected an HTTP proxy (http://host:port)",
                scheme=parts.scheme,
            ),
        )
    if not parts.hostname:
        raise ProxyUrlError(what, tr("{setting} has no host; expected http://host:port", setting=_redacted(text)))
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
    except ValueError:
        if is_ip_literal(host):  # `10.1`, `0x7f.1`: a browser's shorthand for an address, ambiguous here
            raise ProxyUrlError(
                what,
                tr("the host {host} is not a complete IP address; write it in full (like 10.0.0.1)", host=repr(host)),
            ) from None
        try:
            host = to_ascii_host(host)
        except HostNameError as exc:
            raise ProxyUrlError(
                what, tr("the host {host} cannot be used: {problem}", host=repr(host), problem=exc.text)
            ) from None
    if port == 0:
        raise ProxyUrlError(
            what, tr("{setting} has port 0; expected http://host:port with a real port", setting=_redacted(text))
        )
    credentials = None
    if parts.username:
        credentials = ProxyCredentials(unquote(parts.username), unquote(parts.password or ""))
    return ProxySpec(host, port or 80, credentials)


def _redacted(text: str) -> str:
    """The setting as written, with any user name and password replaced, for error messages.

    Those reach reports: the venue user's login is theirs, not the report's.
    """
    if "@" not in text:
        return repr(text)
    head, _, tail = text.rpartition("@")
    scheme, sep, _ = head.rpartition("//")
    return repr(f"{scheme}{sep}***@{tail}")
