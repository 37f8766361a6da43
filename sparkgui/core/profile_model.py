"""The profile's types: what to check for one platform, as frozen dataclasses (read by profile_reader)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from sparkgui.core.hostnames import parent_domain
from sparkgui.core.i18n import Explained, Text

SCHEMA_VERSION = 1  # the profile format's version: a file's `schema` key must say it


class ProfileError(Explained, ValueError):
    """A profile cannot be used. The message names the file, the key and what was expected."""

    def __init__(self, source: str, key: str, problem: Text) -> None:
        self.source, self.key, self.problem = source, key, problem
        where: dict[str, str | int | float | Text] = {"source": source, "key": key, "problem": problem}
        super().__init__(Text("{source}: {key}: {problem}" if key else "{source}: {problem}", where))


@dataclass(frozen=True)
class Endpoint:
    """An HTTPS endpoint the platform needs: requested at `path` on `host:port`; `purpose` says what it is for."""

    host: str  # ASCII (punycode) form
    purpose: str = ""
    path: str = "/"
    port: int = 443
    display_host: str = ""  # as written in the profile, for people
    probe: bool = False  # the platform's probe: it also says which public address it sees (/whoami)

    @property
    def label(self) -> str:
        """The host as the profile wrote it, for people (else its ASCII form)."""
        return self.display_host or self.host

    @property
    def base_url(self) -> str:
        """`https://host`, with the port only when it is not 443: every URL on this endpoint starts so."""
        return f"https://{self.host}" if self.port == 443 else f"https://{self.host}:{self.port}"


@dataclass(frozen=True)
class WebSocketSpec:
    """The platform's WebSocket: its URL, how long to hold it open (usual and long test), how often to ping it."""

    url: str
    hold_seconds: float = 60
    long_hold_seconds: float = 600
    heartbeat_seconds: float = 25

    @property
    def host(self) -> str:
        """The URL's host name ("" when it has none)."""
        return urlsplit(self.url).hostname or ""

    @property
    def port(self) -> int:
        """The URL's port, else the scheme's default (443 for wss, 80 for ws)."""
        parts = urlsplit(self.url)
        return parts.port or (443 if parts.scheme == "wss" else 80)


@dataclass(frozen=True)
class QualitySpec:
    """Connection quality the live features need, measured over the platform's WebSocket echo."""

    max_latency_ms: float = 500
    max_jitter_ms: float = 150
    samples: int = 20
    max_dns_ms: float = 1000  # a slower answer still works, but every page load waits for it: a warning


@dataclass(frozen=True)
class CapacitySpec:
    """What the event asks of the link per attendee, and the bounds of the speed test on the platform's probe.

    The speed is measured to the profile's probe endpoint (`probe = true`), whose `/download` and `/upload`
    routes serve it. Photos follow Mosaic: one phone photo (`photo_bytes`) per upload, and at the event's
    peak `photos_per_minute_per_100` of them each minute for every hundred attendees.
    """

    download_kbps_per_attendee: float = 50.0  # live polls, Q&A and the Mosaic wall's thumbnails
    upload_kbps_per_attendee: float = 8.0  # votes, questions, reactions
    photo_bytes: int = 3_000_000
    photo_max_seconds: float = 5.0  # a photo slower than this to upload: attendees wait on the Mosaic wall
    photos_per_minute_per_100: float = 5.0
    max_bytes: int = 25_000_000  # per direction
    max_seconds: float = 10.0  # per direction


@dataclass(frozen=True)
class Timeouts:
    """Deadlines in seconds for each network step, so nothing waits on the OS's defaults."""

    dns: float = 3
    connect: float = 4
    tls: float = 5
    http: float = 8


class RequirementKind(StrEnum):
    """The platform's published requirements, each decided by its own checks."""

    DNS = "dns"  # DNS resolves the platform's domains
    HTTPS = "https"  # outgoing HTTPS on the platform's ports
    WEBSOCKET = "websocket"  # WebSockets that stay open long enough
    PROXY = "proxy"  # a proxy, if there is one, lets all of that through


@dataclass(frozen=True)
class RequirementSpec:
    """One requirement the platform publishes: `title` replaces the built-in wording when the profile gives one."""

    id: str
    kind: RequirementKind
    title: str = ""
    min_seconds: float = 0  # websocket: how long a connection must stay open


@dataclass(frozen=True)
class AllowRule:
    """One allow-list rule for the venue's firewall and proxy, as data (rendered in the reader's language)."""

    host: str  # a name or a pattern: app.example.com, *.example.com
    port: int = 443
    protocol: str = "tcp"
    purpose: str = ""
    idle_timeout_s: float = 0  # 0: no idle-timeout requirement
    no_inspection: bool = False  # the platform's TLS must not be decrypted (no TLS inspection)


@dataclass(frozen=True)
class Profile:
    """What to check for one platform, validated; `source` is where it was read from (a path or `bundled:NAME`)."""

    name: str
    endpoints: tuple[Endpoint, ...]
    description: str = ""
    websocket: WebSocketSpec | None = None
    expected_issuers: tuple[str, ...] = ()
    timeouts: Timeouts = field(default_factory=Timeouts)
    allowlist: tuple[str, ...] = ()
    source: str = ""
    quality: QualitySpec | None = None
    capacity: CapacitySpec | None = None
    requirement_specs: tuple[RequirementSpec, ...] = ()  # as written; `requirements` fills in the defaults
    allow_rules: tuple[AllowRule, ...] = ()  # as written; `allow` fills in the defaults
    version: int = 0  # the platform's revision of its published profile: a newer one replaces an older one
    digest: str = ""  # SHA-256 of the bytes it was read from: the report says exactly which profile was used

    @property
    def origin(self) -> str:
        """Where it came from, as `source` says: bundled, published (verified), cache (its copy) or file."""
        prefix = self.source.split(":", 1)[0] if ":" in self.source else ""
        return prefix if prefix in ("bundled", "published", "cache") else "file"

    @property
    def probe_endpoint(self) -> Endpoint | None:
        """The platform's probe (`probe = true`), which also serves the speed test."""
        return next((endpoint for endpoint in self.endpoints if endpoint.probe), None)

    @property
    def requirements(self) -> tuple[RequirementSpec, ...]:
        """The requirements to report on: the profile's own, else the platform's four published ones."""
        if self.requirement_specs:
            return self.requirement_specs
        kinds = [RequirementKind.DNS, RequirementKind.HTTPS]
        if self.websocket is not None:
            kinds.append(RequirementKind.WEBSOCKET)
        kinds.append(RequirementKind.PROXY)
        hold = self.websocket.long_hold_seconds if self.websocket is not None else 0
        return tuple(
            RequirementSpec(str(kind), kind, min_seconds=hold if kind is RequirementKind.WEBSOCKET else 0)
            for kind in kinds
        )

    @property
    def allow(self) -> tuple[AllowRule, ...]:
        """The allow-list rules: the profile's own, else one per domain and port of the endpoints."""
        if self.allow_rules:
            return self.allow_rules
        rules: dict[tuple[str, int], AllowRule] = {}
        ws = self.websocket
        places = [(endpoint.host, endpoint.port) for endpoint in self.endpoints]
        if ws is not None and ws.host:  # the live connection may live on a domain of its own
            places.append((ws.host, ws.port))
        for host, port in places:
            domain = parent_domain(host)
            pattern = f"*.{domain}" if domain != host else domain  # `*.x.y` would not cover `x.y` itself
            idle = ws.long_hold_seconds if ws is not None and parent_domain(ws.host) == domain else 0
            rules.setdefault((pattern, port), AllowRule(pattern, port, idle_timeout_s=idle))
        return tuple(rules.values())

    @property
    def ports(self) -> tuple[int, ...]:
        """The TCP ports the platform is reached on, each once, in ascending order (443 for a real platform)."""
        found = [endpoint.port for endpoint in self.endpoints]
        if self.websocket is not None:
            found.append(self.websocket.port)
        return tuple(sorted(set(found))) or (443,)
