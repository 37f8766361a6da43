"""The client's address behind the platform's load balancer: `X-Forwarded-For`, from trusted peers only.

Behind a TLS-terminating load balancer every request comes from the balancer, so `/whoami`, the phones' results,
the rate limits and the logs would all see one address. From the networks in `trusted_proxies` the probe reads
the client from `X-Forwarded-For` instead: the right-most address that is not itself a trusted proxy (the
left part of the header is whatever the client wrote, and cannot be believed). From anyone else the header is
ignored, so no client can pose as another network.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable, Sequence

from aiohttp import web
from aiohttp.typedefs import Middleware

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_HOPS = 20  # a longer header is not a chain of real proxies


def parse_networks(text: str) -> tuple[Network, ...]:
    """`"10.0.0.0/8, 2001:db8::/32"` as networks (ValueError naming the bad one)."""
    networks = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(f"expected networks like 10.0.0.0/8, got {part.strip()!r}") from None
    return tuple(networks)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.strip().strip("[]").split("%")[0])
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted: Sequence[Network]) -> str | None:
    """The client's address: the peer's, unless the peer is trusted and the header names someone else."""
    ip = _address(peer or "")
    if ip is None or not any(ip in network for network in trusted):
        return peer
    hops = [hop for header in forwarded_for for hop in header.split(",")][-MAX_HOPS:]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # a garbled chain: believe only the peer
        if not any(address in network for network in trusted):
            return str(address)
    return peer


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def forwarded_middleware(trusted: Sequence[Network]) -> Middleware:
    """A middleware that gives each request its client's address as `request.remote`."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        address = client_address(request.remote, request.headers.getall("X-Forwarded-For", []), trusted)
        if address is not None and address != request.remote:
            request = request.clone(remote=address)
        return await handler(request)

    return middleware
