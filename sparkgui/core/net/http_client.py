"""HTTP sessions that reach the platform the way this run reaches it.

Every HTTPS and WebSocket check opens its session here, so they share one route (the addresses the DNS
check found, the OS trust store, and later the proxy), and a fix to the route reaches them all.
Imports aiohttp (~0.3 s): import this module inside a check's `run`, never at start-up.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp

from sparkgui import __version__
from sparkgui.core.context import CheckScope
from sparkgui.core.net.pinned_resolver import PinnedResolver

USER_AGENT = f"sparkgui/{__version__} (network readiness check)"


@asynccontextmanager
async def platform_session(
    scope: CheckScope, host: str, timeout: aiohttp.ClientTimeout
) -> AsyncIterator[aiohttp.ClientSession]:
    """A session for requests to `host`: its DNS check's addresses, the OS trust store, no pooling."""
    run = scope.run
    connector = aiohttp.TCPConnector(
        resolver=PinnedResolver(run.handoff(f"dns:{host}")["addresses"]),
        ssl=run.trust.os_store,
        happy_eyeballs_delay=run.network.happy_eyeballs_delay,
        force_close=True,
        use_dns_cache=False,
    )
    async with aiohttp.ClientSession(
        connector=connector, timeout=timeout, trust_env=False, headers={"User-Agent": USER_AGENT}
    ) as session:
        yield session
