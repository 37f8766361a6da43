"""The window's proxy setting: what each choice makes of the run's route, what is refused (and why), and
what is remembered (never a password)."""

from __future__ import annotations

import sys

import pytest

import sparkgui.app.system_proxy
from sparkgui.app.network import network_for
from sparkgui.app.proxy_choice import ProxyChoice, describe_choice
from sparkgui.core.context import NetworkSettings
from sparkgui.core.net.proxy_spec import ProxyCredentials
from sparkgui.core.net.routes import RouteConfig
from sparkgui.ui.proxy_dialogs import ChoiceError, checked_choice
from sparkgui.ui.settings import UiSettings

BASE = NetworkSettings(route=RouteConfig(environ={"HTTPS_PROXY": "http://127.0.0.1:9"}))


def test_each_choice_shapes_the_route(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")  # where Qt knows the OS's settings
    auto = network_for(BASE, ProxyChoice(), None).route
    assert auto.system_lookup is sparkgui.app.system_proxy.qt_system_proxies  # as the CLI passes it
    assert auto.environ == BASE.route.environ and auto.proxy is None and not auto.no_proxy

    none = network_for(BASE, ProxyChoice("none"), None).route
    assert none.no_proxy and none.proxy is None

    manual = network_for(BASE, ProxyChoice("manual", "http://127.0.0.1:3128"), None).route
    assert manual.proxy is not None and manual.proxy.address == "127.0.0.1:3128" and not manual.no_proxy

    pac = network_for(BASE, ProxyChoice("pac", "http://127.0.0.1:8080/proxy.pac"), None).route
    assert pac.pac_url == "http://127.0.0.1:8080/proxy.pac" and pac.proxy is None

    secret = ProxyCredentials("u", "s3cret-pw")
    signed = network_for(BASE, ProxyChoice("manual", "http://127.0.0.1:3128"), secret).route
    assert signed.credentials == secret
    assert "s3cret-pw" not in repr(signed)  # the route's repr hides the password


def test_automatic_on_linux_leaves_the_lookup_to_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert network_for(BASE, ProxyChoice(), None) is BASE  # nothing to add: same settings object


def test_settings_that_cannot_work_are_refused_with_a_reason() -> None:
    assert checked_choice("manual", " 127.0.0.1:3128 ") == ProxyChoice("manual", "http://127.0.0.1:3128")
    assert checked_choice("pac", "file:///etc/proxy.pac") == ProxyChoice("pac", "file:///etc/proxy.pac")
    assert checked_choice("none", "ignored") == ProxyChoice("none")
    with pytest.raises(ChoiceError, match="invalid port"):
        checked_choice("manual", "http://127.0.0.1:99999")
    with pytest.raises(ChoiceError, match="socks5:// proxies are not supported"):
        checked_choice("manual", "socks5://127.0.0.1:1080")
    with pytest.raises(ChoiceError, match="Leave the user name and password out") as refused:
        checked_choice("manual", "http://bob:hunter2@127.0.0.1:3128")
    assert "hunter2" not in str(refused.value)
    with pytest.raises(ChoiceError, match="PAC file's address"):
        checked_choice("pac", "wpad.example/proxy.pac")


def test_the_choice_is_remembered_and_described(ui_settings: UiSettings) -> None:
    assert ui_settings.proxy == ProxyChoice()
    ui_settings.proxy = ProxyChoice("manual", "http://127.0.0.1:3128")
    assert ui_settings.proxy == ProxyChoice("manual", "http://127.0.0.1:3128")
    ui_settings.store.setValue("proxy/mode", "telepathy")  # a damaged settings file: back to automatic
    assert ui_settings.proxy == ProxyChoice()
    assert (
        describe_choice(ProxyChoice("manual", "http://127.0.0.1:3128")).render("fr") == "Manuel\u00a0: 127.0.0.1:3128"
    )
    assert describe_choice(ProxyChoice("none")).render("en") == "None (direct)"
