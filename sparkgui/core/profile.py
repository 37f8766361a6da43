"""Profiles: what to check for one platform, loaded from TOML into frozen, validated dataclasses.

Unknown keys are errors so that a typo never silently drops a check, and every error names the file,
the key and what was expected.
"""

from __future__ import annotations

import hashlib
import json
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sparkgui.core.hostnames import HostNameError, parent_domain, to_ascii_host

SCHEMA_VERSION = 1
MAX_PROFILE_BYTES = 1024 * 1024  # a profile is a few kilobytes of text
BUNDLED_PROFILE = "sparkup"

T = TypeVar("T")


class ProfileError(ValueError):
    """A profile cannot be used. The message names the file, the key and what was expected."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: {key}: " if key else f"{source}: "
        super().__init__(where + problem)


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
        for endpoint in self.endpoints:
            domain = parent_domain(endpoint.host)
            pattern = f"*.{domain}" if domain != endpoint.host else domain  # `*.x.y` would not cover `x.y` itself
            idle = ws.long_hold_seconds if ws is not None and parent_domain(ws.host) == domain else 0
            rules.setdefault((pattern, endpoint.port), AllowRule(pattern, endpoint.port, idle_timeout_s=idle))
        return tuple(rules.values())

    @property
    def ports(self) -> tuple[int, ...]:
        """The TCP ports the platform is reached on, each once, in ascending order (443 for a real platform)."""
        found = [endpoint.port for endpoint in self.endpoints]
        if self.websocket is not None:
            found.append(self.websocket.port)
        return tuple(sorted(set(found))) or (443,)


def load_profile(path: str | Path) -> Profile:
    """Load a profile file; raise ProfileError with an actionable message for any problem.

    Only a regular file of at most MAX_PROFILE_BYTES is read: a FIFO would block for ever and /dev/zero would
    fill the memory.
    """
    if not str(path).strip():
        raise ProfileError("profile", "", "empty file name; give the path of a profile file")
    path = Path(path)
    source = path.name or str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(info.st_mode):
            raise ProfileError(str(path), "", "is not a regular file (a device, a pipe or a socket); give a .toml file")
        if info.st_size > MAX_PROFILE_BYTES:
            too_big = f"is {info.st_size} bytes; a profile is at most {MAX_PROFILE_BYTES} bytes"
            raise ProfileError(str(path), "", too_big)
        with path.open("rb") as handle:
            data = handle.read(MAX_PROFILE_BYTES + 1)
        if len(data) > MAX_PROFILE_BYTES:
            raise ProfileError(str(path), "", f"is over {MAX_PROFILE_BYTES} bytes; a profile is small text")
    except FileNotFoundError:
        raise ProfileError(str(path), "", "no such file; check the path") from None
    except IsADirectoryError:
        raise ProfileError(str(path), "", "is a folder, not a profile file") from None
    except OSError as exc:
        raise ProfileError(str(path), "", f"cannot be read ({exc.strerror or exc})") from None
    return parse_profile(data, source=source, origin=str(path))


def load_bundled_profile(name: str = BUNDLED_PROFILE) -> Profile:
    """A profile shipped with sparkgui (resources/profiles/NAME.toml)."""
    if name not in bundled_profile_names():
        raise ProfileError(name, "", f"no bundled profile of that name; choose {', '.join(bundled_profile_names())}")
    data = resources.files("sparkgui_resources").joinpath("profiles", f"{name}.toml").read_bytes()
    return parse_profile(data, source=f"{name}.toml", origin=f"bundled:{name}")


def bundled_profile_names() -> list[str]:
    """List the names of the profiles shipped with sparkgui, sorted."""
    folder = resources.files("sparkgui_resources").joinpath("profiles")
    return sorted(item.name.removesuffix(".toml") for item in folder.iterdir() if item.name.endswith(".toml"))


def parse_profile(data: bytes, *, source: str, origin: str | None = None) -> Profile:
    """Read a profile from TOML bytes; errors name `source`; `origin` (default: `source`) becomes `Profile.source`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProfileError(source, "", "is not UTF-8 text; save it as UTF-8") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, "", f"is not valid TOML ({exc})") from None
    except RecursionError:
        raise ProfileError(source, "", "is nested too deeply to be a profile") from None
    try:
        profile = _Reader(source).profile(raw, origin or source)
    except RecursionError:
        raise ProfileError(source, "", "is nested too deeply to be a profile") from None
    return replace(profile, digest=hashlib.sha256(data).hexdigest())


class _Reader:
    """Walks the TOML tree, checking each key and remembering where it is for error messages."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: str) -> ProfileError:
        return ProfileError(self.source, key, problem)

    def table(self, raw: Any, key: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(key, f"expected a table, got {_kind(raw)}")
        for name in raw:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                raise self.fail(where, f"unknown key; expected one of {', '.join(sorted(allowed))}")
        return raw

    def value(self, table: Mapping[str, Any], key: str, where: str, kind: type[T], default: T | None = None) -> T:
        if key not in table:
            if default is None:
                raise self.fail(where, f"is required ({kind.__name__})")
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, f"expected {_kind_name(kind)}, got {_kind(value)}")
        return value

    def seconds(self, table: Mapping[str, Any], key: str, where: str, default: float) -> float:
        value = self.value(table, key, where, float, default)
        if not 0 < value <= 3600:
            raise self.fail(where, f"expected a number of seconds above 0 and at most 3600, got {value:g}")
        return value

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.value(table, key, where, list, [])
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}[{index}]", f"expected a non-empty string, got {_kind(item)}")
        return tuple(item.strip() for item in items)

    def profile(self, raw: Any, origin: str) -> Profile:
        top = self.table(
            raw,
            "",
            {
                "schema",
                "version",
                "name",
                "description",
                "endpoint",
                "websocket",
                "tls",
                "timeouts",
                "allowlist",
                "quality",
                "capacity",
                "requirement",
                "allow",
            },
        )
        schema = self.value(top, "schema", "schema", int)
        if schema != SCHEMA_VERSION:
            raise self.fail("schema", f"expected {SCHEMA_VERSION}, got {schema}; this sparkgui reads schema 1")
        name = self.value(top, "name", "name", str).strip()
        if not name:
            raise self.fail("name", "must not be empty")
        version = self.value(top, "version", "version", int, 0)
        if not 0 <= version <= 2**31:
            raise self.fail("version", f"expected a whole number from 0, got {version}")
        endpoints_raw = self.value(top, "endpoint", "endpoint", list)
        if not endpoints_raw:
            raise self.fail("endpoint", "expected at least one [[endpoint]]")
        endpoints = tuple(self.endpoint(item, f"endpoint[{i + 1}]") for i, item in enumerate(endpoints_raw))
        seen: set[tuple[str, int]] = set()
        for index, endpoint in enumerate(endpoints):
            if (endpoint.host, endpoint.port) in seen:
                raise self.fail(f"endpoint[{index + 1}].host", f"{_quote(endpoint.host)} is listed twice")
            seen.add((endpoint.host, endpoint.port))
        tls = self.table(top.get("tls", {}), "tls", {"expected_issuers"})
        allowlist = self.table(top.get("allowlist", {}), "allowlist", {"rules"})
        websocket = self.websocket(top["websocket"]) if "websocket" in top else None
        requirements = tuple(
            self.requirement(item, f"requirement[{i + 1}]", websocket)
            for i, item in enumerate(self.value(top, "requirement", "requirement", list, []))
        )
        ids = [r.id for r in requirements]
        if len(set(ids)) != len(ids):
            raise self.fail("requirement", "two requirements have the same id; give each its own")
        allow_raw = self.value(top, "allow", "allow", list, [])
        allow = tuple(self.allow_rule(item, f"allow[{i + 1}]") for i, item in enumerate(allow_raw))
        return Profile(
            requirement_specs=requirements,
            allow_rules=allow,
            name=name,
            description=self.value(top, "description", "description", str, "").strip(),
            endpoints=endpoints,
            websocket=websocket,
            expected_issuers=self.strings(tls, "expected_issuers", "tls.expected_issuers"),
            timeouts=self.timeouts(top.get("timeouts", {})),
            allowlist=self.strings(allowlist, "rules", "allowlist.rules"),
            source=origin,
            quality=self.quality(top["quality"]) if "quality" in top else None,
            capacity=self.capacity(top["capacity"], endpoints) if "capacity" in top else None,
            version=version,
        )

    def requirement(self, raw: Any, where: str, websocket: WebSocketSpec | None) -> RequirementSpec:
        table = self.table(raw, where, {"id", "kind", "title", "min_seconds"})
        ident = self.value(table, "id", f"{where}.id", str).strip()
        if not ident or len(ident) > 64 or any(ch.isspace() for ch in ident):
            raise self.fail(f"{where}.id", f"expected a short id without spaces, got {_quote(ident)}")
        written = self.value(table, "kind", f"{where}.kind", str)
        try:
            kind = RequirementKind(written)
        except ValueError:
            known = ", ".join(k.value for k in RequirementKind)
            raise self.fail(f"{where}.kind", f"expected one of {known}, got {_quote(written)}") from None
        default = websocket.long_hold_seconds if websocket is not None and kind is RequirementKind.WEBSOCKET else 0
        minimum = self.value(table, "min_seconds", f"{where}.min_seconds", float, default)
        if not 0 <= minimum <= 24 * 3600:
            raise self.fail(f"{where}.min_seconds", f"expected seconds from 0 to 86400, got {minimum:g}")
        title = self.value(table, "title", f"{where}.title", str, "").strip()
        return RequirementSpec(ident, kind, title, minimum)

    def allow_rule(self, raw: Any, where: str) -> AllowRule:
        table = self.table(raw, where, {"host", "port", "protocol", "purpose", "idle_timeout_s", "no_inspection"})
        written = self.value(table, "host", f"{where}.host", str).strip()
        wildcard, bare = written.startswith("*."), written.removeprefix("*.")
        try:
            host = ("*." if wildcard else "") + to_ascii_host(bare)
        except HostNameError as exc:
            raise self.fail(f"{where}.host", f"{_quote(written)} is not a host name or *.domain: it {exc}") from None
        port = self.value(table, "port", f"{where}.port", int, 443)
        if not 1 <= port <= 65535:
            raise self.fail(f"{where}.port", f"expected a TCP port from 1 to 65535, got {port}")
        protocol = self.value(table, "protocol", f"{where}.protocol", str, "tcp").strip().lower()
        if protocol not in ("tcp", "udp"):
            raise self.fail(f"{where}.protocol", f'expected "tcp" or "udp", got {_quote(protocol)}')
        idle = self.value(table, "idle_timeout_s", f"{where}.idle_timeout_s", float, 0)
        if not 0 <= idle <= 24 * 3600:
            raise self.fail(f"{where}.idle_timeout_s", f"expected seconds from 0 to 86400, got {idle:g}")
        return AllowRule(
            host=host,
            port=port,
            protocol=protocol,
            purpose=self.value(table, "purpose", f"{where}.purpose", str, "").strip(),
            idle_timeout_s=idle,
            no_inspection=self.value(table, "no_inspection", f"{where}.no_inspection", bool, False),
        )

    def endpoint(self, raw: Any, where: str) -> Endpoint:
        table = self.table(raw, where, {"host", "purpose", "path", "port", "probe"})
        written = self.value(table, "host", f"{where}.host", str)
        try:
            host = to_ascii_host(written)
        except HostNameError as exc:
            raise self.fail(f"{where}.host", f"{_quote(written)} is not a valid host name: it {exc}") from None
        path = self.value(table, "path", f"{where}.path", str, "/")
        if not path.startswith("/") or any(ch.isspace() for ch in path):
            raise self.fail(
                f"{where}.path", f"expected a path starting with '/' and without spaces, got {_quote(path)}"
            )
        port = self.value(table, "port", f"{where}.port", int, 443)
        if not 1 <= port <= 65535:
            raise self.fail(f"{where}.port", f"expected a TCP port from 1 to 65535, got {port}")
        return Endpoint(
            host=host,
            purpose=self.value(table, "purpose", f"{where}.purpose", str, "").strip(),
            path=path,
            port=port,
            display_host=written.strip().rstrip(".").lower(),
            probe=self.value(table, "probe", f"{where}.probe", bool, False),
        )

    def websocket(self, raw: Any) -> WebSocketSpec:
        table = self.table(raw, "websocket", {"url", "hold_seconds", "long_hold_seconds", "heartbeat_seconds"})
        url = self.value(table, "url", "websocket.url", str).strip()
        parts = urlsplit(url)
        if parts.scheme not in ("wss", "ws") or not parts.hostname:
            raise self.fail("websocket.url", f"expected a wss:// URL with a host, got {_quote(url)}")
        try:
            host = to_ascii_host(parts.hostname)
            port = parts.port
        except (HostNameError, ValueError) as exc:
            raise self.fail("websocket.url", f"{_quote(url)} has an invalid host or port ({exc})") from None
        netloc = host if port is None else f"{host}:{port}"
        normalised = parts._replace(netloc=netloc, path=parts.path or "/").geturl()
        return WebSocketSpec(
            url=normalised,
            hold_seconds=self.seconds(table, "hold_seconds", "websocket.hold_seconds", 60),
            long_hold_seconds=self.seconds(table, "long_hold_seconds", "websocket.long_hold_seconds", 600),
            heartbeat_seconds=self.seconds(table, "heartbeat_seconds", "websocket.heartbeat_seconds", 25),
        )

    def capacity(self, raw: Any, endpoints: tuple[Endpoint, ...]) -> CapacitySpec:
        numbers = {
            "download_kbps_per_attendee": (0.1, 100_000.0),
            "upload_kbps_per_attendee": (0.0, 100_000.0),
            "photos_per_minute_per_100": (0.0, 10_000.0),
            "photo_max_seconds": (0.5, 600.0),
            "max_seconds": (2.0, 60.0),
        }
        table = self.table(raw, "capacity", {*numbers, "photo_bytes", "max_bytes"})
        if not any(endpoint.probe for endpoint in endpoints):
            raise self.fail("capacity", "the speed test needs the platform's probe: mark its [[endpoint]] probe = true")
        values: dict[str, Any] = {}
        for key, (low, high) in numbers.items():
            value = self.value(table, key, f"capacity.{key}", float, getattr(CapacitySpec, key))
            if not low <= value <= high:
                raise self.fail(f"capacity.{key}", f"expected a number from {low:g} to {high:g}, got {value:g}")
            values[key] = value
        for key, (low, high) in {"photo_bytes": (1_000, 50_000_000), "max_bytes": (100_000, 100_000_000)}.items():
            count = self.value(table, key, f"capacity.{key}", int, getattr(CapacitySpec, key))
            if not low <= count <= high:
                raise self.fail(
                    f"capacity.{key}", f"expected a whole number of bytes from {low} to {high}, got {count}"
                )
            values[key] = count
        return CapacitySpec(**values)

    def quality(self, raw: Any) -> QualitySpec:
        table = self.table(raw, "quality", {"max_latency_ms", "max_jitter_ms", "samples", "max_dns_ms"})
        latency = self.value(table, "max_latency_ms", "quality.max_latency_ms", float, QualitySpec.max_latency_ms)
        jitter = self.value(table, "max_jitter_ms", "quality.max_jitter_ms", float, QualitySpec.max_jitter_ms)
        dns_ms = self.value(table, "max_dns_ms", "quality.max_dns_ms", float, QualitySpec.max_dns_ms)
        for key, value in (("max_latency_ms", latency), ("max_jitter_ms", jitter), ("max_dns_ms", dns_ms)):
            if not 0 < value <= 60_000:
                raise self.fail(f"quality.{key}", f"expected milliseconds above 0 and at most 60000, got {value:g}")
        samples = self.value(table, "samples", "quality.samples", int, QualitySpec.samples)
        if not 5 <= samples <= 200:
            raise self.fail("quality.samples", f"expected a whole number from 5 to 200, got {samples}")
        return QualitySpec(latency, jitter, samples, dns_ms)

    def timeouts(self, raw: Any) -> Timeouts:
        table = self.table(raw, "timeouts", {"dns", "connect", "tls", "http"})
        return Timeouts(
            dns=self.seconds(table, "dns", "timeouts.dns", Timeouts.dns),
            connect=self.seconds(table, "connect", "timeouts.connect", Timeouts.connect),
            tls=self.seconds(table, "tls", "timeouts.tls", Timeouts.tls),
            http=self.seconds(table, "http", "timeouts.http", Timeouts.http),
        )


def _quote(text: str) -> str:
    """Quote a value as TOML writes it, so the message shows what to look for in the file."""
    return json.dumps(text, ensure_ascii=False)


def _kind(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "a whole number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a table",
    }.get(type(value), type(value).__name__)


def _kind_name(kind: type) -> str:
    names = {bool: "true or false", int: "a whole number", float: "a number", str: "a string", list: "a list"}
    return names.get(kind, kind.__name__)
