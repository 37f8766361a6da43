"""Where the window meets the engine. Imported only after the window is shown: it pulls in aiohttp and
dnspython (~0.3 s), which must not delay the first paint.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import replace

import sparkgui.core.plan as plan
from sparkgui.core.context import NetworkSettings
from sparkgui.core.engine import prepare_run
from sparkgui.core.events import ProgressSink
from sparkgui.core.model import CheckInfo
from sparkgui.core.net.proxy_spec import ProxyCredentials, parse_proxy_url
from sparkgui.core.net.resolver import ResolverConfig
from sparkgui.core.profile import Profile
from sparkgui.core.runner import Run
from sparkgui.ui.proxy_choice import ProxyChoice


def make_run(profile: Profile, network: NetworkSettings, sink: ProgressSink, long_hold: bool) -> Run:
    """A run of the profile; `long_hold` holds the WebSockets for the profile's long_hold_seconds."""
    return prepare_run(profile, network, sink, options=plan.PlanOptions(long_hold=long_hold))


@asynccontextmanager
async def demo_run(
    profile: Profile, scenario: str, sink: ProgressSink, long_hold: bool
) -> AsyncIterator[tuple[Run, NetworkSettings]]:
    """A run of the profile against the demo's simulated venue, which lives as long as the `async with`.

    Demo holds are short (a minute for the "10-minute test"): a demo shows the countdown, not the wait.
    """
    from sparkgui.core.demo.scenarios import DEMO_HOLD_SECONDS, scenario_named
    from sparkgui.core.demo.venue import demo_venue

    hold = 60.0 if long_hold else DEMO_HOLD_SECONDS
    async with demo_venue(profile, scenario_named(scenario)) as venue:
        options = plan.PlanOptions(hold_seconds=hold)
        yield prepare_run(venue.profile, venue.network, sink, venue.trust, options=options), venue.network


def planned_checks(profile: Profile) -> list[CheckInfo]:
    return [check.info for check in plan.plan_checks(profile)]


def network_settings(resolvers: Sequence[str]) -> NetworkSettings:
    """Settings for `--resolver` values; raises ValueError with a message for people on a bad one."""
    return NetworkSettings(resolvers=ResolverConfig.parse(list(resolvers)))


def network_for(base: NetworkSettings, choice: ProxyChoice, credentials: ProxyCredentials | None) -> NetworkSettings:
    """The network of the next run: the window's proxy choice over `base`, and the sign-in if one was given.

    Automatic keeps what `base` says (environment, WPAD) and adds the OS's own settings through Qt, as the
    CLI does. Raises ValueError (ProxyUrlError) for a remembered address that no longer parses.
    """
    route = base.route
    if choice.mode == "none":
        route = replace(route, no_proxy=True, proxy=None, pac_url=None)
    elif choice.mode == "manual":
        route = replace(route, proxy=parse_proxy_url(choice.address), no_proxy=False, pac_url=None)
    elif choice.mode == "pac":
        route = replace(route, pac_url=choice.address, proxy=None, no_proxy=False)
    elif route.system_lookup is None:
        from sparkgui.system_proxy import system_lookup_for_this_os

        lookup = system_lookup_for_this_os()  # None where Qt knows no more than the environment (Linux)
        if lookup is not None:
            route = replace(route, system_lookup=lookup)  # type: ignore[arg-type]
    if credentials is not None:
        route = replace(route, credentials=credentials)
    return replace(base, route=route) if route is not base.route else base
