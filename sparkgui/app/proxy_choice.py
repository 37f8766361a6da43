"""The proxy setting as the window remembers it (never with a password).

Light: no engine import, so the window can read it before its first paint.
"""

from __future__ import annotations

from dataclasses import dataclass

from sparkgui.core.i18n import Text, tr

PROXY_MODES = ("auto", "none", "manual", "pac")


@dataclass(frozen=True)
class ProxyChoice:
    """How the window finds the proxy.

    `auto` (environment, the OS, WPAD, as a browser here), `none`, `manual` (`address` is http://host:port,
    without credentials) or `pac` (`address` is the PAC file's URL).
    """

    mode: str = "auto"
    address: str = ""

    @property
    def is_auto(self) -> bool:
        """Whether the route is discovered as a browser would."""
        return self.mode == "auto"


def describe_choice(choice: ProxyChoice) -> Text:
    """The proxy setting in a few words, for the window's button."""
    if choice.mode == "none":
        return tr("None (direct)")
    if choice.mode == "manual":
        return tr("Manual: {address}", address=choice.address.removeprefix("http://"))
    if choice.mode == "pac":
        return tr("PAC file")
    return tr("Automatic")
