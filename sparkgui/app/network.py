"""The network a run uses: the resolvers, and the proxy as the window or the command line chose it.

`network_for` turns the window's `ProxyChoice`, with a sign-in,
into the run's `NetworkSettings`. "Automatic" adds the OS's own settings where the OS has more to say than
the environment (through `SystemProxySource`), as the CLI does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sparkgui.app.proxy_choice import ProxyChoice
from sparkgui.app.system_proxy import SystemProxySource, system_proxy_for_this_os
from sparkgui.core.context import NetworkSettings
from sparkgui.core.net.proxy_spec import ProxyCredentials, parse_proxy_url
from sparkgui.core.net.resolver import ResolverConfig


def network_settings(resolvers: Sequence[str]) -> NetworkSettings:
    """Settings for `--resolver` values; raises ValueError with a message for people on a bad one."""
    return NetworkSettings(resolvers=ResolverConfig.parse(list(resolvers)))


def network_for(
    base: NetworkSettings,
    choice: ProxyChoice,
    credentials: ProxyCredentials | None,
    system: SystemProxySource | None = None,
) -> NetworkSettings:
    """The network of the next run: `choice` over `base`, and the sign-in if one was given.

    Automatic keeps what `base` says (environment, WPAD) and adds the OS's own settings. Raises ValueError
    (ProxyUrlError) for a remembered address that no longer parses.
    """
    route = base.route
    if choice.mode == "none":
        route = replace(route, no_proxy=True, proxy=None, pac_url=None)
    elif choice.mode == "manual":
        route = replace(route, proxy=parse_proxy_url(choice.address), no_proxy=False, pac_url=None)
    elif choice.mode == "pac":
        route = replace(route, pac_url=choice.address, proxy=None, no_proxy=False)
    elif route.system_lookup is None:
        lookup = (system or system_proxy_for_this_os()).lookup()
        if lookup is not None:
            route = replace(route, system_lookup=lookup)
    if credentials is not None:
        route = replace(route, credentials=credentials)
    return replace(base, route=route) if route is not base.route else base
