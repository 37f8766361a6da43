"""Check ids and targets, built by constructors rather than f-strings spread over the code.

A check id is the stable string that reports, tests and the window key on (`tcp:app.sparkup.app:443`). It is
made once here, from a kind and a structured `Target` (host, port, URL), and keeps both parts, so nothing ever
parses an id or a target back to find the host or the port.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from sparkgui.core.hostnames import parent_domain

HTTPS_PORT = 443


class CheckKind(StrEnum):
    """What a check tests; the first part of its id."""

    DNS = "dns"
    TCP = "tcp"
    IPV6 = "ipv6"
    TLS = "tls"
    HTTPS = "https"
    WS = "ws"
    WS_HOLD = "ws-hold"
    PROXY = "proxy"
    QUALITY = "quality"


@dataclass(frozen=True)
class Target:
    """Where a check points: a host and a TCP port, the URL when there is one, and the text its id shows.

    `label` is the target as the id and the JSON report write it; `host` and `port` are the parts a rule or
    an evidence table needs, never recovered from `label`.
    """

    label: str
    host: str = ""
    port: int = HTTPS_PORT
    url: str = ""

    @property
    def domain(self) -> str:
        """The registrable parent of the host (`*.sparkup.app` for `app.sparkup.app`)."""
        return parent_domain(self.host) if self.host else ""

    def __str__(self) -> str:
        return self.label

    @classmethod
    def host_only(cls, host: str, port: int = HTTPS_PORT) -> Target:
        """`HOST` on 443, `HOST:PORT` elsewhere (the TLS, HTTPS and IPv6 checks)."""
        return cls(host if port == HTTPS_PORT else f"{host}:{port}", host, port)

    @classmethod
    def host_port(cls, host: str, port: int) -> Target:
        """Always `HOST:PORT` (the TCP check)."""
        return cls(f"{host}:{port}", host, port)

    @classmethod
    def of_url(cls, url: str) -> Target:
        """A WebSocket or HTTPS URL, with its host and its port (the scheme's default when not written)."""
        parts = urlsplit(url)
        default = 80 if parts.scheme in ("ws", "http") else HTTPS_PORT
        try:
            port = parts.port or default
        except ValueError:
            port = default
        return cls(url, parts.hostname or "", port, url)

    @classmethod
    def named(cls, name: str, host: str = "", port: int = HTTPS_PORT) -> Target:
        """A run-wide check (`proxy:discovery`, `quality:latency`), optionally about one host."""
        return cls(name, host, port)

    @classmethod
    def parse(cls, kind: str, label: str) -> Target:
        """The target of a check read back from a JSON report, where only its text is stored."""
        if "://" in label:
            return cls.of_url(label)
        if kind in (CheckKind.PROXY, CheckKind.QUALITY):
            return cls.named(label)
        host, sep, port_text = label.rpartition(":")
        if sep and host and ":" not in host and port_text.isascii() and port_text.isdigit():
            return cls(label, host, int(port_text))
        return cls(label, label)


class CheckId(str):
    """The stable id of a check (`kind:target`), a string that keeps its kind and structured target."""

    kind: CheckKind
    target: Target

    def __new__(cls, kind: CheckKind, target: Target) -> CheckId:
        """Build the `kind:target` string and keep both parts on it, so nothing parses it back."""
        made = super().__new__(cls, f"{kind}:{target.label}")
        made.kind = kind
        made.target = target
        return made

    def __reduce__(self) -> tuple[type[CheckId], tuple[CheckKind, Target]]:
        return (CheckId, (self.kind, self.target))

    @classmethod
    def dns(cls, host: str) -> CheckId:
        """The DNS lookup of `host`."""
        return cls(CheckKind.DNS, Target(host, host))

    @classmethod
    def tcp(cls, host: str, port: int) -> CheckId:
        """The TCP connection to `host:port`."""
        return cls(CheckKind.TCP, Target.host_port(host, port))

    @classmethod
    def ipv6(cls, host: str, port: int) -> CheckId:
        """The IPv6 path to `host:port`."""
        return cls(CheckKind.IPV6, Target.host_only(host, port))

    @classmethod
    def tls(cls, host: str, port: int) -> CheckId:
        """The TLS handshake with `host:port`."""
        return cls(CheckKind.TLS, Target.host_only(host, port))

    @classmethod
    def https(cls, host: str, port: int) -> CheckId:
        """The HTTPS request to an endpoint on `host:port`."""
        return cls(CheckKind.HTTPS, Target.host_only(host, port))

    @classmethod
    def ws(cls, url: str) -> CheckId:
        """The WebSocket upgrade and echo at `url`."""
        return cls(CheckKind.WS, Target.of_url(url))

    @classmethod
    def ws_hold(cls, url: str) -> CheckId:
        """The WebSocket held open at `url`."""
        return cls(CheckKind.WS_HOLD, Target.of_url(url))

    @classmethod
    def proxy_discovery(cls) -> CheckId:
        """Where the route comes from (environment, PAC, OS settings…)."""
        return cls(CheckKind.PROXY, Target.named("discovery"))

    @classmethod
    def proxy_direct(cls, host: str, port: int) -> CheckId:
        """Whether `host` is reachable without the proxy."""
        return cls(CheckKind.PROXY, Target.named("direct", host, port))

    @classmethod
    def quality(cls, url: str) -> CheckId:
        """Round trips and jitter over the WebSocket echo at `url`."""
        return cls(CheckKind.QUALITY, Target.named("latency", Target.of_url(url).host, Target.of_url(url).port))

    @classmethod
    def speed(cls, name: str, host: str, port: int = HTTPS_PORT) -> CheckId:
        """A speed test to the probe at `host` (`quality:download`…), or the verdict on them (`quality:capacity`)."""
        return cls(CheckKind.QUALITY, Target.named(name, host, port))

    @classmethod
    def parse(cls, text: str) -> CheckId:
        """An id read back from a JSON report. Unknown kinds raise ValueError."""
        kind_text, _, label = text.partition(":")
        kind = CheckKind(kind_text)
        return cls(kind, Target.parse(kind, label))
