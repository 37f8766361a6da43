"""Proxy options from the command line: --proxy, --pac, --no-proxy, --proxy-user.

The password is never taken from the command line if it can be avoided (it would show in process
listings): it comes from the terminal prompt or SPARKGUI_PROXY_PASSWORD.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from urllib.parse import urlsplit

from sparkgui.cli.args import UsageError
from sparkgui.core.i18n import Text, tr
from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxyUrlError, parse_proxy_url
from sparkgui.core.net.routes import RouteConfig

PASSWORD_VARIABLE = "SPARKGUI_PROXY_PASSWORD"


def route_config(args: argparse.Namespace) -> RouteConfig:
    """Build the route from the proxy options, asking for the proxy password if needed; raise UsageError."""
    if args.proxy is not None and not args.proxy.strip():
        raise UsageError(tr("--proxy '': give the proxy as http://host:port, or use --no-proxy"))
    if args.proxy and _has_password(args.proxy):  # refused, and never echoed: it is a secret
        raise UsageError(
            tr(
                "--proxy: the URL holds a password, which anyone on this computer can read in the process list. "
                "Give --proxy http://host:port --proxy-user USER; the password is asked for, or read from "
                "{variable}.",
                variable=PASSWORD_VARIABLE,
            )
        )
    try:
        proxy = parse_proxy_url(args.proxy, what="--proxy") if args.proxy else None
    except ProxyUrlError as exc:
        raise UsageError(exc.text) from None
    if args.pac and not _usable_pac_url(args.pac):
        raise UsageError(
            tr("--pac {pac}: expected a URL such as http://wpad.example/proxy.pac or file:///…", pac=repr(args.pac))
        )
    if args.pac and _has_password(args.pac):  # the same secret, the same refusal
        raise UsageError(
            tr(
                "--pac: the URL holds a password, which anyone on this computer can read in the process list, and "
                "which would go into the report. Give the PAC file's address without it."
            )
        )
    if args.proxy_user and args.no_proxy:
        raise UsageError(tr("--proxy-user: there is no proxy to sign in to with --no-proxy; leave one of them out."))
    user = args.proxy_user or (proxy.credentials.username if proxy and proxy.credentials else "")
    credentials = _credentials(user) if user else None  # `http://alice@proxy` names the user as --proxy-user does
    from sparkgui.app.system_proxy import system_proxy_for_this_os

    return RouteConfig(
        proxy=proxy,
        pac_url=args.pac,
        no_proxy=bool(args.no_proxy),
        credentials=credentials,
        system_lookup=system_proxy_for_this_os().lookup(),
    )


def _credentials(user: str) -> ProxyCredentials:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        if sys.stdin is None or not sys.stdin.isatty():  # closed, a pipe or a file: no one to ask
            raise UsageError(
                tr(
                    "--proxy-user {user}: no terminal to ask the password on; set {variable} instead.",
                    user=user,
                    variable=PASSWORD_VARIABLE,
                )
            )
        try:
            password = getpass.getpass(f"Proxy password for {user}: ")
        except (EOFError, KeyboardInterrupt):
            raise UsageError(tr("no proxy password given.")) from None
    if not password:  # an empty one would be sent, refused, and reported as a wrong password
        raise UsageError(tr("no proxy password given."))
    for what, text in ((Text("--proxy-user"), user), (tr("the proxy password"), password)):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes from the environment that are not text
            raise UsageError(
                tr("{what} is not valid text (it holds bytes that are not UTF-8); type it again.", what=what)
            ) from None
    return ProxyCredentials(user, password)


def _has_password(url: str) -> bool:
    """Whether a proxy URL carries user:password@ (the user alone is harmless).

    The last `@` before any `?` or `#` ends the user part, even when the password holds an unencoded `/`
    (`http://alice:12/34@proxy:3128`), which would otherwise be read as a host and a path and shown.
    """
    authority = url.partition("://")[2] if "://" in url else url
    userinfo, at, _ = authority.split("?", 1)[0].split("#", 1)[0].rpartition("@")
    return bool(at) and ":" in userinfo


def _usable_pac_url(url: str) -> bool:
    """An http(s) URL with a host and a valid port, or a file URL: anything else can never be fetched."""
    parts = urlsplit(url.strip())
    try:
        _ = parts.port  # raises on a port out of range or not a number
    except ValueError:
        return False
    if parts.scheme.lower() == "file":
        return bool(parts.path)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
