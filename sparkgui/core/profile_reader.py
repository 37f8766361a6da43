"""Validating a profile's TOML tree into its dataclasses.

Unknown keys are errors so that a typo never silently drops a check, and every error names the file,
the key and what was expected.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sparkgui.core.hostnames import HostNameError, to_ascii_host
from sparkgui.core.i18n import Text, amount, tr
from sparkgui.core.plain_text import plain_text
from sparkgui.core.profile_model import (
    SCHEMA_VERSION,
    AllowRule,
    CapacitySpec,
    Endpoint,
    Profile,
    ProfileError,
    QualitySpec,
    RequirementKind,
    RequirementSpec,
    Timeouts,
    WebSocketSpec,
)

T = TypeVar("T")
MAX_WHOLE_NUMBER = 10**15  # past this a number in a profile is a typo (a float would also lose digits)
MAX_ENDPOINTS = 64  # a platform has a handful of hosts; hundreds would overload the checker, not test the venue


def read_profile_tree(raw: Any, *, source: str, origin: str) -> Profile:
    """Check a parsed TOML tree key by key and build the Profile; errors name `source` and the key."""
    return _Reader(source).profile(raw, origin)


class _Reader:
    """Walks the TOML tree, checking each key and remembering where it is for error messages."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, key: str, problem: Text) -> ProfileError:
        return ProfileError(self.source, key, problem)

    def table(self, raw: Any, key: str, allowed: set[str]) -> Mapping[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(key, tr("expected a table, got {kind}", kind=_kind(raw)))
        for name in raw:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                raise self.fail(where, tr("unknown key; expected one of {keys}", keys=", ".join(sorted(allowed))))
        return raw

    def value(self, table: Mapping[str, Any], key: str, where: str, kind: type[T], default: T | None = None) -> T:
        if key not in table:
            if default is None:
                raise self.fail(where, tr("is required ({kind})", kind=_kind_name(kind)))
            return default
        value = table[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > MAX_WHOLE_NUMBER:
                raise self.fail(where, _too_large(value))
            value = float(value)
        if kind is int and isinstance(value, int) and abs(value) > MAX_WHOLE_NUMBER:
            raise self.fail(where, _too_large(value))
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, tr("expected {wanted}, got {kind}", wanted=_kind_name(kind), kind=_kind(value)))
        return value

    def seconds(self, table: Mapping[str, Any], key: str, where: str, default: float) -> float:
        value = self.value(table, key, where, float, default)
        if not 0 < value <= 3600:
            raise self.fail(
                where, tr("expected a number of seconds above 0 and at most 3600, got {value}", value=_figure(value))
            )
        return value

    def strings(self, table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
        items = self.value(table, key, where, list, [])
        for index, item in enumerate(items):
            if not isinstance(item, str) or not item.strip():
                raise self.fail(f"{where}[{index}]", tr("expected a non-empty string, got {kind}", kind=_kind(item)))
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
            raise self.fail(
                "schema",
                tr(
                    "expected {expected}, got {got}; this sparkgui reads schema {expected}",
                    expected=SCHEMA_VERSION,
                    got=schema,
                ),
            )
        name = plain_text(self.value(top, "name", "name", str)).strip()
        if not name:
            raise self.fail("name", tr("must not be empty"))
        version = self.value(top, "version", "version", int, 0)
        if not 0 <= version <= 2**31:
            raise self.fail("version", tr("expected a whole number from 0, got {value}", value=version))
        endpoints_raw = self.value(top, "endpoint", "endpoint", list)
        if not endpoints_raw:
            raise self.fail("endpoint", tr("expected at least one [[endpoint]]"))
        if len(endpoints_raw) > MAX_ENDPOINTS:
            raise self.fail(
                "endpoint",
                tr(
                    "has {count} entries; a profile lists at most {limit}",
                    count=len(endpoints_raw),
                    limit=MAX_ENDPOINTS,
                ),
            )
        endpoints = tuple(self.endpoint(item, f"endpoint[{i + 1}]") for i, item in enumerate(endpoints_raw))
        seen: set[tuple[str, int]] = set()
        for index, endpoint in enumerate(endpoints):
            if (endpoint.host, endpoint.port) in seen:
                raise self.fail(f"endpoint[{index + 1}].host", tr("{host} is listed twice", host=_quote(endpoint.host)))
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
            raise self.fail("requirement", tr("two requirements have the same id; give each its own"))
        allow_raw = self.value(top, "allow", "allow", list, [])
        allow = tuple(self.allow_rule(item, f"allow[{i + 1}]") for i, item in enumerate(allow_raw))
        return Profile(
            requirement_specs=requirements,
            allow_rules=allow,
            name=name,
            description=plain_text(self.value(top, "description", "description", str, "")).strip(),
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
            raise self.fail(f"{where}.id", tr("expected a short id without spaces, got {value}", value=_quote(ident)))
        written = self.value(table, "kind", f"{where}.kind", str)
        try:
            kind = RequirementKind(written)
        except ValueError:
            known = ", ".join(k.value for k in RequirementKind)
            raise self.fail(
                f"{where}.kind", tr("expected one of {known}, got {value}", known=known, value=_quote(written))
            ) from None
        default = websocket.long_hold_seconds if websocket is not None and kind is RequirementKind.WEBSOCKET else 0
        minimum = self.value(table, "min_seconds", f"{where}.min_seconds", float, default)
        if not 0 <= minimum <= 24 * 3600:
            raise self.fail(
                f"{where}.min_seconds", tr("expected seconds from 0 to 86400, got {value}", value=_figure(minimum))
            )
        title = plain_text(self.value(table, "title", f"{where}.title", str, "")).strip()
        return RequirementSpec(ident, kind, title, minimum)

    def allow_rule(self, raw: Any, where: str) -> AllowRule:
        table = self.table(raw, where, {"host", "port", "protocol", "purpose", "idle_timeout_s", "no_inspection"})
        written = self.value(table, "host", f"{where}.host", str).strip()
        wildcard, bare = written.startswith("*."), written.removeprefix("*.")
        try:
            host = ("*." if wildcard else "") + to_ascii_host(bare)
        except HostNameError as exc:
            raise self.fail(
                f"{where}.host",
                tr("{host} is not a host name or *.domain: {problem}", host=_quote(written), problem=exc.text),
            ) from None
        port = self.value(table, "port", f"{where}.port", int, 443)
        if not 1 <= port <= 65535:
            raise self.fail(f"{where}.port", tr("expected a TCP port from 1 to 65535, got {port}", port=port))
        protocol = self.value(table, "protocol", f"{where}.protocol", str, "tcp").strip().lower()
        if protocol not in ("tcp", "udp"):
            raise self.fail(f"{where}.protocol", tr('expected "tcp" or "udp", got {value}', value=_quote(protocol)))
        idle = self.value(table, "idle_timeout_s", f"{where}.idle_timeout_s", float, 0)
        if not 0 <= idle <= 24 * 3600:
            raise self.fail(
                f"{where}.idle_timeout_s", tr("expected seconds from 0 to 86400, got {value}", value=_figure(idle))
            )
        return AllowRule(
            host=host,
            port=port,
            protocol=protocol,
            purpose=plain_text(self.value(table, "purpose", f"{where}.purpose", str, "")).strip(),
            idle_timeout_s=idle,
            no_inspection=self.value(table, "no_inspection", f"{where}.no_inspection", bool, False),
        )

    def endpoint(self, raw: Any, where: str) -> Endpoint:
        table = self.table(raw, where, {"host", "purpose", "path", "port", "probe"})
        written = self.value(table, "host", f"{where}.host", str)
        try:
            host = to_ascii_host(written)
        except HostNameError as exc:
            raise self.fail(
                f"{where}.host",
                tr("{host} is not a valid host name: {problem}", host=_quote(written), problem=exc.text),
            ) from None
        path = self.value(table, "path", f"{where}.path", str, "/")
        if not path.startswith("/") or not _plain_path(path):
            raise self.fail(
                f"{where}.path",
                tr(
                    "expected a path starting with '/', without spaces or control characters, got {value}",
                    value=_quote(path),
                ),
            )
        port = self.value(table, "port", f"{where}.port", int, 443)
        if not 1 <= port <= 65535:
            raise self.fail(f"{where}.port", tr("expected a TCP port from 1 to 65535, got {port}", port=port))
        return Endpoint(
            host=host,
            purpose=plain_text(self.value(table, "purpose", f"{where}.purpose", str, "")).strip(),
            path=path,
            port=port,
            display_host=written.strip().rstrip(".").lower(),
            probe=self.value(table, "probe", f"{where}.probe", bool, False),
        )

    def websocket(self, raw: Any) -> WebSocketSpec:
        table = self.table(raw, "websocket", {"url", "hold_seconds", "long_hold_seconds", "heartbeat_seconds"})
        url = self.value(table, "url", "websocket.url", str).strip()
        try:
            parts = urlsplit(url)
            hostname, port = parts.hostname, parts.port
        except ValueError as exc:  # `wss://[x/`, a port in letters or past 65535
            raise self.fail(
                "websocket.url", tr("{url} is not a valid URL ({problem})", url=_quote(url), problem=str(exc))
            ) from None
        if parts.scheme not in ("wss", "ws") or not hostname:
            raise self.fail("websocket.url", tr("expected a wss:// URL with a host, got {url}", url=_quote(url)))
        if port == 0:
            raise self.fail("websocket.url", tr("expected a TCP port from 1 to 65535, got 0 in {url}", url=_quote(url)))
        if not _plain_path(parts.path + ("?" + parts.query if parts.query else "")):
            raise self.fail("websocket.url", tr("the path has spaces or control characters: {url}", url=_quote(url)))
        try:
            host = to_ascii_host(hostname)
        except HostNameError as exc:
            raise self.fail(
                "websocket.url", tr("{url} has an invalid host: {problem}", url=_quote(url), problem=exc.text)
            ) from None
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
            raise self.fail(
                "capacity", tr("the speed test needs the platform's probe: mark its [[endpoint]] probe = true")
            )
        values: dict[str, Any] = {}
        for key, (low, high) in numbers.items():
            value = self.value(table, key, f"capacity.{key}", float, getattr(CapacitySpec, key))
            if not low <= value <= high:
                raise self.fail(
                    f"capacity.{key}",
                    tr(
                        "expected a number from {low} to {high}, got {value}",
                        low=_figure(low),
                        high=_figure(high),
                        value=_figure(value),
                    ),
                )
            values[key] = value
        for key, (low, high) in {"photo_bytes": (1_000, 50_000_000), "max_bytes": (100_000, 100_000_000)}.items():
            count = self.value(table, key, f"capacity.{key}", int, getattr(CapacitySpec, key))
            if not low <= count <= high:
                raise self.fail(
                    f"capacity.{key}",
                    tr(
                        "expected a whole number of bytes from {low} to {high}, got {count}",
                        low=low,
                        high=high,
                        count=count,
                    ),
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
                raise self.fail(
                    f"quality.{key}",
                    tr("expected milliseconds above 0 and at most 60000, got {value}", value=_figure(value)),
                )
        samples = self.value(table, "samples", "quality.samples", int, QualitySpec.samples)
        if not 5 <= samples <= 200:
            raise self.fail("quality.samples", tr("expected a whole number from 5 to 200, got {value}", value=samples))
        return QualitySpec(latency, jitter, samples, dns_ms)

    def timeouts(self, raw: Any) -> Timeouts:
        table = self.table(raw, "timeouts", {"dns", "connect", "tls", "http"})
        return Timeouts(
            dns=self.seconds(table, "dns", "timeouts.dns", Timeouts.dns),
            connect=self.seconds(table, "connect", "timeouts.connect", Timeouts.connect),
            tls=self.seconds(table, "tls", "timeouts.tls", Timeouts.tls),
            http=self.seconds(table, "http", "timeouts.http", Timeouts.http),
        )


def _plain_path(path: str) -> bool:
    """A path a browser sends as written: no spaces, no control characters (NUL, ESC, DEL)."""
    return not any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in path)


def _quote(text: str) -> str:
    """Quote a value as TOML writes it, so the message shows what to look for in the file."""
    return json.dumps(text, ensure_ascii=False)


_KIND_WORDS: dict[type, Text] = {
    int: tr("a whole number"),
    float: tr("a number"),
    str: tr("a string"),
    list: tr("a list"),
}
_FOUND = {**_KIND_WORDS, bool: tr("a boolean"), dict: tr("a table")}  # what a value is
_WANTED = {**_KIND_WORDS, bool: tr("true or false")}  # what a key expects


def _kind(value: Any) -> Text:
    return _FOUND.get(type(value), Text(type(value).__name__))


def _kind_name(kind: type) -> Text:
    return _WANTED.get(kind, Text(kind.__name__))


def _too_large(value: int) -> Text:
    return tr("is far too large a number ({digits}…)", digits=str(value)[:12])


def _figure(value: float) -> Text:
    """A number from the profile, written the reader's way (`2.5`, `2,5`), whole when whole."""
    return amount(value) if abs(value) < 1e15 else Text(f"{value:g}")
