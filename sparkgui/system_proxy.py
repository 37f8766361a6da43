"""The operating system's proxy settings through Qt (QNetworkProxyFactory.systemProxyForQuery).

On Windows and macOS this covers the system's manual proxy, its PAC file and auto-detection, exactly as
the browser sees them. Lives outside the Qt-free core: the core receives it as a plain callable.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence


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


def system_lookup_for_this_os() -> object | None:
    """Qt's lookup where it knows more than the environment (Windows, macOS); on Linux and other Unixes Qt
    only reads the proxy variables, which sparkgui reads itself, so skip the Qt import there."""
    return qt_system_proxies if sys.platform in ("win32", "darwin") else None
