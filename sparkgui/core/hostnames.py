"""Host-name validation and IDNA conversion, so a profile typo is caught before any check runs."""

from __future__ import annotations

import ipaddress
import re

import idna

from sparkgui.core.i18n import Explained, tr

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class HostNameError(Explained, ValueError):
    """The text is not a usable DNS host name; the message says why, as a clause ("it is empty")."""


def to_ascii_host(text: str) -> str:
    """Return the lower-case ASCII (punycode) form of a host name, or raise HostNameError."""
    host = text.strip().rstrip(".")
    if not host:
        raise HostNameError(tr("it is empty"))
    if is_ip_literal(host):
        raise HostNameError(tr("it is an IP address; give the platform's host name"))
    if ".." in host or host.startswith("."):
        raise HostNameError(tr("it has an empty label"))
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise HostNameError(tr("it is not a valid internationalised host name ({problem})", problem=str(exc))) from None
    if len(ascii_host) > 253:
        raise HostNameError(tr("it is longer than 253 characters"))
    for label in ascii_host.split("."):
        if not _LABEL.match(label):
            raise HostNameError(
                tr("it has an invalid label {label} (letters, digits and inner hyphens only)", label=repr(label))
            )
    return ascii_host


def is_ip_literal(host: str) -> bool:
    """An IP address in any form a browser reads as one: `1.2.3.4`, `[::1]`, `127.1`, `2130706433`, `0x7f.0.0.1`.

    WHATWG: a last label that is all digits, or a hex number, makes the whole host an IPv4 address.
    """
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        last = host.rstrip(".").rsplit(".", 1)[-1].lower()
        return last.isascii() and (
            last.isdigit() or (last.startswith("0x") and all(c in "0123456789abcdef" for c in last[2:]))
        )
    return True


def parent_domain(host: str) -> str:
    """The last two labels (`app.sparkup.app` → `sparkup.app`), for allow-list wildcards and redirects."""
    labels = host.split(".")
    return ".".join(labels[-2:]) if len(labels) > 2 else host
