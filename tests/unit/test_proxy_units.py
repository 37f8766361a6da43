"""Units of proxy logic: URL parsing, no_proxy matching, PAC answers, scheme choice, secrets kept hidden."""

from __future__ import annotations

import pytest

from sparkgui.core.net.pac import PacError, parse_pac_answer
from sparkgui.core.net.proxy_auth import challenges, usable_schemes
from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxyUrlError, parse_proxy_url
from sparkgui.core.net.routes import bypasses_proxy


def test_proxy_urls() -> None:
    spec = parse_proxy_url("http://bob:p%40ss@Proxy.Venue.example:3128")
    assert (spec.host, spec.port, spec.address) == ("proxy.venue.example", 3128, "proxy.venue.example:3128")
    assert spec.credentials == ProxyCredentials("bob", "p@ss")
    assert parse_proxy_url("10.0.0.1:8080").address == "10.0.0.1:8080"
    assert parse_proxy_url("http://[2001:db8::1]:3128").address == "[2001:db8::1]:3128"
    assert parse_proxy_url("http://proxy.example").port == 80


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("socks5://h:1080", "not supported"),
        ("http://h:99999", "invalid port"),
        ("http://bob:hunter2@:3128", "has no host"),
        ("http://exa mple:3128", "not a valid"),
        ("http://bob:hunter2@10.1:3128", "not a complete IP address"),
        ("0x7f.1:3128", "not a complete IP address"),
    ],
)
def test_bad_proxy_urls_never_echo_the_password(text: str, message: str) -> None:
    with pytest.raises(ProxyUrlError) as caught:
        parse_proxy_url(text)
    assert message in str(caught.value)
    assert "hunter2" not in str(caught.value)


def test_secrets_stay_out_of_repr_and_str() -> None:
    spec = parse_proxy_url("http://bob:hunter2@proxy.example:3128")
    for text in (repr(spec), str(spec), repr(spec.credentials), str(spec.credentials)):
        assert "hunter2" not in text


@pytest.mark.parametrize(
    ("host", "port", "no_proxy", "bypass"),
    [
        ("app.sparkup.app", 443, "sparkup.app", True),
        ("app.sparkup.app", 443, ".sparkup.app", True),
        ("app.sparkup.app", 443, "*.sparkup.app", True),
        ("sparkup.app", 443, ".sparkup.app", True),
        ("notsparkup.app", 443, "sparkup.app", False),
        ("app.sparkup.app", 443, "localhost, 127.0.0.1", False),
        ("app.sparkup.app", 443, "*", True),
        ("app.sparkup.app", 443, "sparkup.app:8443", False),
        ("app.sparkup.app", 8443, "sparkup.app:8443", True),
        ("app.sparkup.app", 443, "", False),
    ],
)
def test_no_proxy_matching(host: str, port: int, no_proxy: str, bypass: bool) -> None:
    assert bypasses_proxy(host, port, no_proxy) is bypass


def test_pac_answers() -> None:
    assert parse_pac_answer("DIRECT").proxy is None
    choice = parse_pac_answer("PROXY proxy.example:8080; DIRECT")
    assert choice.proxy is not None and choice.proxy.address == "proxy.example:8080"
    skipped_socks = parse_pac_answer("SOCKS s.example:1080; PROXY p.example:3128")
    assert skipped_socks.proxy is not None and skipped_socks.proxy.address == "p.example:3128"
    tabs = parse_pac_answer("PROXY\tp.example:3128 ;  PROXY  q.example:8080;DIRECT")
    assert tabs.proxy is not None and tabs.proxy.address == "p.example:3128"
    assert [f.address if f else None for f in tabs.fallbacks] == ["q.example:8080", None]
    broken_first = parse_pac_answer("PROXY p.example:0; DIRECT")
    assert broken_first.proxy is None and broken_first.fallbacks == ()
    with pytest.raises(PacError, match="unusable proxy"):
        parse_pac_answer("PROXY p.example:0")
    for garbage in ("", "   ", "BANANA", "SOCKS5 s:1"):
        with pytest.raises(PacError):
            parse_pac_answer(garbage)


def test_scheme_choice_lists_every_usable_scheme_strongest_first() -> None:
    creds = ProxyCredentials("u", "p")
    assert usable_schemes(("Basic",), None) == []
    assert usable_schemes(("Basic",), creds) == ["Basic"]
    assert usable_schemes(("Basic", "NTLM", "Negotiate"), creds) == ["Negotiate", "NTLM", "Basic"]
    assert usable_schemes(("NTLM",), creds) == ["NTLM"]
    assert usable_schemes(("Digest",), creds) == []


def test_several_challenges_in_one_header_are_told_apart() -> None:
    assert challenges(['NTLM, Basic realm="corp"']) == [("NTLM", ""), ("Basic", 'realm="corp"')]
    assert challenges(['Bearer realm="corp", error="x, y", NTLM']) == [("Bearer", 'realm="corp"'), ("NTLM", "")]
    assert challenges(["Negotiate", "NTLM TlRMTVNTUAACAAAA=="]) == [("Negotiate", ""), ("NTLM", "TlRMTVNTUAACAAAA==")]
    assert challenges(['Basic realm="a \\" b", charset="UTF-8", Digest nonce="1"']) == [
        ("Basic", 'realm="a \\" b"'),
        ("Digest", 'nonce="1"'),
    ]
    assert challenges(["", " , ", 'realm="orphan"']) == []


def test_a_pac_url_is_quoted_without_its_userinfo() -> None:
    from sparkgui.core.net.routes import _without_userinfo

    assert _without_userinfo("http://alice:s3cret@wpad.example:8080/p.pac") == "http://wpad.example:8080/p.pac"
    assert _without_userinfo("file:///etc/proxy.pac") == "file:///etc/proxy.pac"


def test_where_a_route_comes_from_is_said_in_the_readers_language() -> None:
    from sparkgui.core.i18n import Text
    from sparkgui.core.net.routes import DIRECT_BY_DEFAULT, RouteConfig, discover_routes
    from tests.support import run

    chosen = run(discover_routes(RouteConfig(no_proxy=True), ["https://app.test/"], 1.0)).summary_route()
    assert chosen.source == "no proxy, as chosen: direct connections"  # the evidence stays data, in English
    said, default = chosen.said, DIRECT_BY_DEFAULT.said
    assert isinstance(said, Text) and isinstance(default, Text)
    assert said.render("fr") == "comme choisi dans sparkgui"  # after "No proxy: … connects directly", once
    demo = run(discover_routes(RouteConfig(no_proxy=True, simulated=True), ["https://app.test/"], 1.0))
    assert str(demo.summary_route().said) == "the simulated venue has no proxy"
    assert default.render("fr") == "aucun réglage de proxy trouvé"


def test_a_pac_error_is_said_in_the_readers_language() -> None:
    with pytest.raises(PacError) as caught:
        parse_pac_answer("BANANA 1.2.3.4")
    assert caught.value.render("fr").startswith("le fichier PAC a renvoyé 'BANANA 1.2.3.4'\u00a0: aucune entrée")
    assert str(caught.value).startswith("the PAC file returned 'BANANA 1.2.3.4': no DIRECT")  # logs: English
