"""Per-address request limits for the probe's session routes, so one client cannot flood a public service.

A token bucket per address: `burst` requests at once, refilled at `per_minute`. The table of addresses is
bounded too: past `max_addresses`, the least recently seen are forgotten (memory stays flat under a spray of
source addresses). Counted in this process only; behind a load balancer each instance limits on its own.
"""

from __future__ import annotations

import ipaddress
import math
import time
from collections import OrderedDict
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimits:
    """Requests per address: a burst, then a steady rate."""

    burst: int = 30
    per_minute: float = 60.0
    max_addresses: int = 50_000


def client_key(address: str) -> str:
    """Whom a limit counts: an IPv4 address, or an IPv6 address's /64.

    One home or phone gets a whole /64: counting each of its addresses would let one client pass for billions.
    """
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


class RateLimiter:
    """Token buckets by address."""

    def __init__(self, limits: RateLimits | None = None) -> None:
        self.limits = limits or RateLimits()
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address -> (tokens, when)

    def retry_after(self, address: str) -> int:
        """0 when `address` may make a request now (and it is counted), else the seconds to wait."""
        limits, now, address = self.limits, time.monotonic(), client_key(address)
        tokens, when = self._buckets.pop(address, (float(limits.burst), now))
        tokens = min(float(limits.burst), tokens + (now - when) * limits.per_minute / 60.0)
        allowed = tokens >= 1.0
        if allowed:
            tokens -= 1.0
        self._buckets[address] = (tokens, now)
        while len(self._buckets) > limits.max_addresses:
            self._buckets.popitem(last=False)
        if allowed:
            return 0
        return max(1, math.ceil((1.0 - tokens) * 60.0 / limits.per_minute))
