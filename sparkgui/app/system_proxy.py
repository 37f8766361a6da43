"""The operating system's proxy settings, behind a small protocol with a null fallback.

On Windows and macOS Qt's `QNetworkProxyFactory.systemProxyForQuery` covers the system's manual proxy, its PAC
file and auto-detection, exactly as the browser sees them. On Linux and other Unixes Qt only reads the proxy
variables, which sparkgui reads itself, so there the null source is used and Qt is never imported.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from typing import Protocol

from sparkgui.core.net.routes import SystemProxyLookup


class SystemProxySource(Protocol):
    """Where a run finds the OS's proxy settings."""

    def lookup(self) -> SystemProxyLookup | None:
        """The lookup to hand to the route discovery, or None when the OS says nothing beyond the environment."""


class NoSystemProxy:
    """The null source: the OS is not asked."""

    def lookup(self) -> SystemProxyLookup | None:
        """Nothing to ask."""
        return None


class QtSystemProxy:
    """The OS's settings through Qt (Windows, macOS)."""

    def lookup(self) -> SystemProxyLookup | None:
        """Qt's lookup, imported only when a run asks."""
        return qt_system_proxies


def qt_system_proxies(urls: Sequence[str]) -> Mapping[str, str | None]:
    """For each URL, `http://host:port` of the proxy the OS would use, or None for a direct connection."""
    from PySide6.QtCore import QUrl
    from PySide6.QtNetwork import QNetworkProxy, QNetworkProxyFactory, QNetworkProxyQuery

    answers: dict[str, str | None] = {}
    for url in urls:
        answers[url] = None
        for proxy in QNetworkProxyFactory.systemProxyForQuery(QNetworkProxyQuery(QUrl(url))):
            kind = proxy.type()
            if kind == QNetworkProxy.ProxyType.NoProxy:
                break
            if kind == QNetworkProxy.ProxyType.HttpProxy and proxy.hostName():
                answers[url] = f"http://{proxy.hostName()}:{proxy.port()}"
                break
    return answers


def system_proxy_for_this_os(platform: str | None = None) -> SystemProxySource:
    """Qt's source where it knows more than the environment (Windows, macOS), else the null source."""
    return QtSystemProxy() if (platform or sys.platform) in ("win32", "darwin") else NoSystemProxy()
