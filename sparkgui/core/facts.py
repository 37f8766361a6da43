"""What a check hands to the checks that depend on it, typed.

The DNS answer goes to TCP and TLS, the TCP attempts to the IPv6 check. Kept apart from the evidence, which is
for people and the JSON report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the window reads the model before its first paint: no dnspython at import time
    from sparkgui.core.net.connector import Attempt
    from sparkgui.core.net.resolver import Rcode


@dataclass(frozen=True)
class DnsFacts:
    """The addresses a DNS check found (none when it failed or was answered by the proxy's route)."""

    addresses: tuple[str, ...] = ()
    aaaa_rcode: Rcode | None = None


@dataclass(frozen=True)
class TcpFacts:
    """Every Happy Eyeballs attempt of a TCP check, so the IPv6 check need not dial again."""

    attempts: tuple[Attempt, ...] = ()


Facts = DnsFacts | TcpFacts
