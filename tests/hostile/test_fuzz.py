"""Fuzzing the inputs a person or a file hands sparkgui: profiles, command lines and reports to render.

Whatever the input, the answer is a result or a message for people (ProfileError, UsageError), never another
exception. Bounded: a fixed number of examples each, no deadline per example (CI machines vary).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sparkgui.cli.args import UsageError, parse
from sparkgui.core.profile import ProfileError, parse_profile
from sparkgui.report.content import build_document

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _refusal(call: Callable[[], object]) -> str | None:
    """The message for people when `call` refuses its input, None when it accepts it; anything else raises."""
    try:
        call()
    except (ProfileError, UsageError) as exc:
        return str(exc)
    return None


_KEYS = st.sampled_from(
    ["schema", "name", "description", "host", "port", "path", "purpose", "url", "hold_seconds", "long_hold_seconds",
     "heartbeat_seconds", "expected_issuers", "dns", "connect", "tls", "http", "rules", "samples", "zzz"]
)  # fmt: skip
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=12,
)
_TABLES = st.sampled_from(["endpoint", "websocket", "tls", "timeouts", "allowlist", "quality", "other"])


def _toml_value(value: Any) -> str:
    if value is None:
        return '""'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + "}"


@FUZZ
@given(
    top=st.dictionaries(_KEYS, _VALUES, max_size=5),
    tables=st.lists(st.tuples(_TABLES, st.booleans(), st.dictionaries(_KEYS, _VALUES, max_size=5)), max_size=4),
)
def test_any_profile_loads_or_says_what_is_wrong(top: dict[str, Any], tables: list[Any]) -> None:
    lines = [f"{key} = {_toml_value(value)}" for key, value in top.items()]
    for name, is_array, content in tables:
        lines.append(f"[[{name}]]" if is_array else f"[{name}]")
        lines += [f"{key} = {_toml_value(value)}" for key, value in content.items()]
    refusal = _refusal(lambda: parse_profile("\n".join(lines).encode(), source="fuzz.toml"))
    assert refusal is None or refusal.startswith("fuzz.toml")


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes_as_a_profile_are_refused_in_words(data: bytes) -> None:
    refusal = _refusal(lambda: parse_profile(data, source="bytes.toml"))
    assert refusal is None or refusal.startswith("bytes.toml")


_OPTIONS = st.sampled_from(
    ["--headless", "--profile", "--json", "--pdf", "--hold", "--long-hold", "--proxy", "--pac", "--no-proxy",
     "--proxy-user", "--resolver", "--lang", "--demo", "--event", "--venue", "--contact", "--version", "-x", "--"]
)  # fmt: skip


@FUZZ
@given(st.lists(_OPTIONS | st.text(max_size=12).filter(lambda t: not t.startswith("-")), max_size=8))
def test_any_command_line_parses_or_is_a_usage_error(argv: list[str]) -> None:
    refusal = _refusal(lambda: parse(argv))
    assert refusal is None or refusal.strip()


_CHECK = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["dns:a.test", "tcp:a.test:443", "tls:a.test", "ws-hold:wss://a.test/ws",
                               "quality:latency", "proxy:direct", "odd:thing", ":", ""]),
        "status": st.sampled_from(["pass", "warn", "fail", "skipped", "error", "???"]),
        "cause": st.sampled_from(["ok", "dns.timeout", "tcp.refused", "ws.idle_timeout", "mystery.x", "",
                                  "proxy.auth_failed"]),
        "summary": st.text(max_size=30),
        "evidence": st.dictionaries(st.sampled_from(["held_s", "hold_s", "issuer", "addresses", "resolvers",
                                                     "route", "idle_s"]), _VALUES, max_size=4),
    }
)  # fmt: skip


@FUZZ
@given(
    checks=st.lists(_CHECK, max_size=6),
    verdict=st.sampled_from(["ready", "not_ready", "incomplete", "ready_with_warnings", "bogus"]),
    extra=st.dictionaries(st.sampled_from(["profile", "environment", "event", "tool", "duration_ms"]), _VALUES),
    lang=st.sampled_from(["en", "fr"]),
)
def test_any_report_renders_into_a_document(
    checks: list[dict[str, Any]], verdict: str, extra: dict[str, Any], lang: str
) -> None:
    report = {"schema": "sparkgui.report/1", "verdict": verdict, "checks": checks, **extra}
    document = build_document(report, lang=lang, digest="0" * 64)
    assert document.html.startswith("<html>") and "<script" not in document.html.lower()
