"""An aiohttp resolver that returns the addresses our DNS check found.

The request then goes where the check looked, and a lab's or a test's resolver is honoured.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence

from aiohttp.abc import AbstractResolver, ResolveResult

from sparkgui.core.net.connector import family_of, interleave


class PinnedResolver(AbstractResolver):
    """A resolver that answers every name with the given addresses, families interleaved (RFC 8305)."""

    def __init__(self, addresses: Sequence[str]) -> None:
        self.addresses = interleave(addresses)

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Return the pinned addresses for `host`, whatever the family asked."""
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if family_of(address) == 6 else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in self.addresses
        ]

    async def close(self) -> None:
        """Do nothing: the resolver holds nothing to release."""
        pass
