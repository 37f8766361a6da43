"""Profiles say the platform's requirements and allow-list rules as data; mistakes get a message naming the key."""

from __future__ import annotations

import csv
import io
import json

import pytest

from sparkgui.core.allowlist import rule_text, rules_csv, rules_document
from sparkgui.core.profile import ProfileError, RequirementKind, load_bundled_profile, parse_profile
from tests.support import Ep, profile_toml
from tests.ws_support import websocket_section


def _profile(extra: str, websocket: bool = True) -> object:
    text = profile_toml([Ep("app.example.com", 443)], extra=(websocket_section(443) if websocket else "") + extra)
    return parse_profile(text.encode(), source="p.toml")


def test_without_requirement_tables_the_four_published_ones_are_derived() -> None:
    profile = _profile("")
    kinds = [r.kind for r in profile.requirements]  # type: ignore[attr-defined]
    assert kinds == [RequirementKind.DNS, RequirementKind.HTTPS, RequirementKind.WEBSOCKET, RequirementKind.PROXY]
    assert profile.requirements[2].min_seconds == 3  # type: ignore[attr-defined]  # the profile's long hold
    assert RequirementKind.WEBSOCKET not in [r.kind for r in _profile("", websocket=False).requirements]  # type: ignore[attr-defined]


def test_requirement_tables_are_read_and_checked() -> None:
    profile = _profile('\n[[requirement]]\nid = "ws"\nkind = "websocket"\nmin_seconds = 900\ntitle = "Live"\n')
    (only,) = profile.requirements  # type: ignore[attr-defined]
    assert (only.id, only.kind, only.min_seconds, only.title) == ("ws", RequirementKind.WEBSOCKET, 900, "Live")
    with pytest.raises(ProfileError, match=r"requirement\[1\]\.kind: expected one of dns, https, websocket, proxy"):
        _profile('\n[[requirement]]\nid = "x"\nkind = "telepathy"\n')
    with pytest.raises(ProfileError, match="same id"):
        _profile('\n[[requirement]]\nid = "x"\nkind = "dns"\n[[requirement]]\nid = "x"\nkind = "https"\n')


def test_allow_rules_render_in_both_languages_and_export_for_firewalls() -> None:
    profile = load_bundled_profile()
    (rule,) = profile.allow
    assert (rule.host, rule.port, rule.protocol, rule.idle_timeout_s, rule.no_inspection) == (
        "*.sparkup.app", 443, "tcp", 600, True,
    )  # fmt: skip
    assert rule_text(rule).render("en") == (
        "*.sparkup.app — TCP 443 outgoing (HTTPS and WebSocket); idle timeout of at least 10 minutes; no TLS inspection"
    )
    assert "délai d'inactivité d'au moins 10 minutes" in rule_text(rule).render("fr")
    rows = list(csv.DictReader(io.StringIO(rules_csv(profile))))
    assert rows == [
        {
            "host": "*.sparkup.app", "port": "443", "protocol": "tcp", "direction": "outgoing",
            "idle_timeout_s": "600", "no_tls_inspection": "yes",
            "purpose": "Participant web app, probe and live WebSockets",
        }
    ]  # fmt: skip
    document = json.loads(rules_document(profile, "fr"))
    assert document["schema"] == "sparkgui.allowlist/1" and document["rules"][0]["no_tls_inspection"] is True


def test_without_allow_tables_one_rule_per_domain_and_port_is_derived() -> None:
    profile = _profile("", websocket=False)
    (rule,) = profile.allow  # type: ignore[attr-defined]
    assert (rule.host, rule.port) == ("*.example.com", 443)


def test_derived_rules_cover_a_websocket_on_a_domain_of_its_own() -> None:
    text = profile_toml([Ep("app.example.com", 443)], extra='[websocket]\nurl = "wss://live.other.net/ws"\n')
    profile = parse_profile(text.encode(), source="p.toml")
    assert [(r.host, r.port, r.idle_timeout_s) for r in profile.allow] == [
        ("*.example.com", 443, 0),
        ("*.other.net", 443, 600),
    ]


def test_the_csv_never_holds_a_spreadsheet_formula() -> None:
    extra = '\n[[allow]]\nhost = "*.example.com"\npurpose = "=HYPERLINK(\\"http://x\\")"\n'
    (row,) = csv.DictReader(io.StringIO(rules_csv(_profile(extra))))  # type: ignore[arg-type]
    assert row["purpose"] == '\'=HYPERLINK("http://x")'
    assert json.loads(rules_document(_profile(extra)))["rules"][0]["idle_timeout_s"] == 0  # type: ignore[arg-type]


def test_bad_allow_rules_are_refused_with_the_key() -> None:
    with pytest.raises(ProfileError, match=r"allow\[1\]\.port: expected a TCP port"):
        _profile('\n[[allow]]\nhost = "*.example.com"\nport = 70000\n')
    with pytest.raises(ProfileError, match=r"allow\[1\]\.no_inspection: expected true or false"):
        _profile('\n[[allow]]\nhost = "*.example.com"\nno_inspection = "yes"\n')
    with pytest.raises(ProfileError, match=r"allow\[1\]\.host"):
        _profile('\n[[allow]]\nhost = "not a host"\n')


def test_a_cancelled_run_asks_to_run_again_not_to_fix_anything() -> None:
    from sparkgui.core.causes import Cause
    from sparkgui.core.checks.base import passed, skipped
    from sparkgui.core.i18n import tr
    from sparkgui.core.requirements import RequirementStatus, requirements_of
    from tests.support import record

    profile = _profile("", websocket=False)
    records = [
        record("dns", "app.example.com", passed(tr("ok"))),
        record("tcp", "app.example.com:443", skipped(Cause.SKIPPED_CANCELLED, tr("cancelled"))),
    ]
    https = next(r for r in requirements_of(profile, records) if r.kind is RequirementKind.HTTPS)  # type: ignore[arg-type]
    assert https.status is RequirementStatus.NOT_TESTED and str(https.action) == "Run the check again: it was cancelled"


def test_a_redirect_to_the_platforms_other_domain_is_no_portal() -> None:
    from sparkgui.core.checks.portal import platform_domains, portal_sign

    extra = '\n[[allow]]\nhost = "*.example.com"\n[[allow]]\nhost = "*.example-login.net"\n'
    own = platform_domains(_profile(extra))  # type: ignore[arg-type]
    assert {"example.com", "example-login.net"} <= own
    assert portal_sign(302, "https://sso.example-login.net/start", "app.example.com", own) == ""
    assert portal_sign(302, "http://10.0.0.1/login", "app.example.com", own) == "http://10.0.0.1/login"
