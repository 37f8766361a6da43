"""What a check may use while it runs, and its only way to the network.

It holds the profile, the network settings, the trust stores and the prerequisites' results. Checks reach
the network only through this, so a lab or a test can point them at its own resolver and servers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sparkgui.core.facts import DnsFacts, TcpFacts
from sparkgui.core.i18n import Text
from sparkgui.core.ids import CheckId
from sparkgui.core.model import CheckInfo, CheckRecord, Countdown
from sparkgui.core.net.connector import HAPPY_EYEBALLS_DELAY
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.net.routes import RouteConfig, RouteTable
from sparkgui.core.net.trust import TrustStores
from sparkgui.core.profile import Profile


@dataclass(frozen=True)
class NetworkSettings:
    """How to reach the network: which resolvers, how to race address families, whether to probe DNS."""

    resolvers: ResolverConfig = field(default_factory=ResolverConfig)
    happy_eyeballs_delay: float = HAPPY_EYEBALLS_DELAY
    dns_canary: bool = True  # look up a name that cannot exist, to spot a resolver that answers everything
    route: RouteConfig = field(default_factory=RouteConfig)  # proxies: what the user said, where to look
    # (host, port) -> the port actually dialled on the host's addresses, like curl's --connect-to. The demo
    # mode serves the platform's names on loopback this way; checks and reports still speak of port 443.
    connect_to: Mapping[tuple[str, int], int] = field(default_factory=dict)

    def dial_port(self, host: str, port: int) -> int:
        """Give the port to dial for `host:port`: its `connect_to` override, else `port` itself."""
        return self.connect_to.get((host, port), port)


ProgressCallback = Callable[[float, Text, Countdown | None], None]


class RunContext:
    """Shared by all checks of one run. Owns the run-wide tasks it starts, and cancels them at the end."""

    def __init__(self, profile: Profile, network: NetworkSettings, trust: TrustStores | None = None) -> None:
        self.profile = profile
        self.network = network
        self.trust = trust or TrustStores()
        self.records: dict[str, CheckRecord] = {}  # by check id
        self.route_table: RouteTable | None = None  # set once the routes are discovered
        self._shared: dict[str, asyncio.Task[Any]] = {}

    def dns_facts(self, host: str) -> DnsFacts:
        """What the DNS check of `host` found (no addresses when it failed, or answered for a proxied route)."""
        record = self.records.get(CheckId.dns(host))
        facts = record.result.handoff if record is not None else None
        return facts if isinstance(facts, DnsFacts) else DnsFacts()

    def tcp_facts(self, host: str, port: int) -> TcpFacts:
        """The Happy Eyeballs attempts of the TCP check of `host:port` (none through a proxy)."""
        record = self.records.get(CheckId.tcp(host, port))
        facts = record.result.handoff if record is not None else None
        return facts if isinstance(facts, TcpFacts) else TcpFacts()

    async def shared(self, key: str, factory: Callable[[], Awaitable[Any]]) -> Any:
        """Run `factory` once per run, however many checks ask for it, and share its result."""
        return await asyncio.shield(self.prefetch(key, factory))

    def prefetch(self, key: str, factory: Callable[[], Awaitable[Any]]) -> asyncio.Task[Any]:
        """Start the shared work now, so it overlaps whatever comes next; `shared` collects it later."""
        task = self._shared.get(key)
        if task is None:
            task = self._shared[key] = asyncio.ensure_future(factory())
        return task

    async def close(self) -> None:
        """Cancel the run-wide tasks still going and wait for them, so nothing outlives the run."""
        for task in self._shared.values():
            task.cancel()
        if self._shared:
            await asyncio.wait(self._shared.values())
            for task in self._shared.values():
                if not task.cancelled():
                    task.exception()  # mark retrieved: a failed shared task was already reported to its users


@dataclass(frozen=True)
class CheckScope:
    """What one running check sees: the run context, and a way to report its own progress."""

    run: RunContext
    info: CheckInfo
    report_progress: ProgressCallback

    def progress(self, fraction: float, message: Text, countdown: Countdown | None = None) -> None:
        """Say how far the check has come; `countdown` carries a long wait's seconds for the window's timer."""
        self.report_progress(max(0.0, min(1.0, fraction)), message, countdown)
