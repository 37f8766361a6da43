"""The probe's settings for a deployment: a TOML file, then `SPARKGUI_PROBE_*` variables, then the command line.

Each overrides the one before, so a container sets variables and a host a file.
Every bad value is refused with a message naming where it came from (`probe.toml: port`, `SPARKGUI_PROBE_PORT`,
`--port`) and what is expected. Nothing here holds a secret: the TLS key stays in its own file.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from sparkgui.probe.app import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_MESSAGE_BYTES, ProbeConfig
from sparkgui.probe.forwarded import parse_networks
from sparkgui.probe.published import Published
from sparkgui.probe.sessions import SessionLimits
from sparkgui.probe.test_page import TestPageSettings
from sparkgui.probe.transfers import TransferLimits

ENV_PREFIX = "SPARKGUI_PROBE_"
LOG_FORMATS = ("text", "json")


class SettingsError(ValueError):
    """A setting that cannot be used; the message says where it came from and what to write instead."""


@dataclass(frozen=True)
class ProbeSettings:
    """Where the probe listens, its TLS files, its limits and its log format."""

    host: str = "127.0.0.1"
    port: int = 8443
    cert: str | None = None
    key: str | None = None
    heartbeat: float | None = None
    max_message: int = DEFAULT_MAX_MESSAGE_BYTES
    max_connections: int = DEFAULT_MAX_CONNECTIONS
    max_connections_per_address: int | None = None  # half of max_connections when unset
    max_transfer_bytes: int = TransferLimits.max_transfer_bytes
    log_format: str = "text"
    profile: str | None = None  # the published profile (FILE, signed as FILE.sig), served at /profile.toml
    redis_url: str | None = None  # attendee sessions in Redis (several probes); in memory when unset
    session_hours: float = 24.0  # how long an attendee session lives
    test_hold: float = TestPageSettings.hold_seconds  # how long the test page holds its WebSocket
    test_heartbeat: float = TestPageSettings.heartbeat_seconds
    trusted_proxies: str = ""  # the load balancer's networks ("10.0.0.0/8, fd00::/8"): X-Forwarded-For from them

    def config(self) -> ProbeConfig:
        """The server's behaviour these settings ask for (ValueError when the profile cannot be read)."""
        return ProbeConfig(
            published=Published.read(self.profile) if self.profile else None,
            redis_url=self.redis_url,
            trusted_proxies=parse_networks(self.trusted_proxies),
            sessions=SessionLimits(ttl_seconds=self.session_hours * 3600.0),
            test_page=TestPageSettings(hold_seconds=self.test_hold, heartbeat_seconds=self.test_heartbeat),
            heartbeat_seconds=self.heartbeat,
            max_message_bytes=self.max_message,
            max_connections=self.max_connections,
            max_connections_per_address=self.max_connections_per_address,
            transfers=TransferLimits(max_transfer_bytes=self.max_transfer_bytes),
        )


def _port(value: object) -> int:
    port = _whole(value)
    if not 0 <= port <= 65535:
        raise ValueError(f"expected a TCP port from 0 to 65535, got {port}")
    return port


def _whole(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise ValueError(f"expected a whole number, got {value!r}")


MAX_SECONDS = 30 * 24 * 3600.0  # a month: past it a duration (or hours) is a typo


def _at_least_one(value: object) -> int:
    count = _whole(value)
    if count < 1:
        raise ValueError(f"expected at least 1, got {count}")
    return count


def seconds_setting(value: object) -> float:
    """A duration setting (or a number of hours): a finite number above 0, at most a month's worth."""
    return _seconds(value)


def _seconds(value: object) -> float:
    try:
        seconds = float(value) if isinstance(value, int | float | str) and not isinstance(value, bool) else -1.0
    except ValueError:
        raise ValueError(f"expected a number of seconds, got {value!r}") from None
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_SECONDS:  # nan, inf: every session would be a 500
        raise ValueError(f"expected a number above 0 and at most {MAX_SECONDS:.0f}, got {value!r}")
    return seconds


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a non-empty text, got {value!r}")
    return value.strip()


def _host(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected an address or a host name ('' for every address), got {value!r}")
    return value.strip()


def _redis_url(value: object) -> str:
    text = _text(value)
    if not text.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError(f"expected a Redis URL (redis://host:6379/0, rediss:// for TLS), got {text!r}")
    from redis.connection import parse_url

    try:
        parse_url(text)  # type: ignore[no-untyped-call]  # a port in letters, a database that is no number: said now, not at the first request
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a usable Redis URL ({exc})") from None
    return text


def _networks(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f'expected networks like "10.0.0.0/8, fd00::/8", got {value!r}')
    parse_networks(value)
    return value.strip()


def _log_format(value: object) -> str:
    text = _text(value)
    if text not in LOG_FORMATS:
        raise ValueError(f"expected one of {', '.join(LOG_FORMATS)}, got {text!r}")
    return text


READERS: dict[str, Callable[[object], Any]] = {
    "host": _host,
    "port": _port,
    "cert": _text,
    "key": _text,
    "heartbeat": _seconds,
    "max_message": _at_least_one,
    "max_connections": _at_least_one,
    "max_connections_per_address": _at_least_one,
    "max_transfer_bytes": _at_least_one,
    "log_format": _log_format,
    "profile": _text,
    "redis_url": _redis_url,
    "session_hours": _seconds,
    "test_hold": _seconds,
    "test_heartbeat": _seconds,
    "trusted_proxies": _networks,
}
assert set(READERS) == {f.name for f in fields(ProbeSettings)}


def from_file(path: str | Path, base: ProbeSettings | None = None) -> ProbeSettings:
    """`base` with the keys of a TOML file (`port = 8443`, `max_transfer_bytes = 25000000`…) applied."""
    where = Path(path)
    try:
        data = tomllib.loads(where.read_text("utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{where}: no such file; check the path given to --config") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{where}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{where}: is not valid TOML ({exc})") from None
    return _apply(base or ProbeSettings(), data, lambda key: f"{where.name}: {key}")


def from_environment(environ: Mapping[str, str], base: ProbeSettings | None = None) -> ProbeSettings:
    """`base` with every `SPARKGUI_PROBE_<KEY>` variable applied (`SPARKGUI_PROBE_PORT=443`)."""
    found = {key: environ[ENV_PREFIX + key.upper()] for key in READERS if ENV_PREFIX + key.upper() in environ}
    return _apply(base or ProbeSettings(), found, lambda key: ENV_PREFIX + key.upper())


def from_options(options: Mapping[str, object], base: ProbeSettings) -> ProbeSettings:
    """`base` with the command-line options that were given (None: not given) applied."""
    given = {key: value for key, value in options.items() if key in READERS and value is not None}
    return _apply(base, given, lambda key: "--" + key.replace("_", "-"))


def _apply(base: ProbeSettings, data: Mapping[str, object], where: Callable[[str], str]) -> ProbeSettings:
    unknown = sorted(set(data) - set(READERS))
    if unknown:
        raise SettingsError(f"{where(unknown[0])}: unknown setting; known: {', '.join(READERS)}")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        try:
            values[key] = READERS[key](raw)
        except ValueError as exc:
            raise SettingsError(f"{where(key)}: {exc}") from None
    return replace(base, **values)


def load_settings(config_file: str | None, environ: Mapping[str, str], options: Mapping[str, object]) -> ProbeSettings:
    """The file, then the environment, then the command line; the certificate and key come as a pair."""
    settings = from_file(config_file) if config_file else ProbeSettings()
    settings = from_options(options, from_environment(environ, settings))
    if bool(settings.cert) != bool(settings.key):
        raise SettingsError(
            "give both a certificate and a key (cert and key) to serve TLS, or neither for plain HTTP behind a "
            "TLS-terminating proxy"
        )
    return settings
