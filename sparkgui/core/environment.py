"""Describe where a run happens (OS, route, resolvers) for the report, without touching the network."""

from __future__ import annotations

from sparkgui.core.context import NetworkSettings
from sparkgui.core.net.resolver import NoResolverError, make_resolver, resolver_names
from sparkgui.core.net.routes import RouteTable
from sparkgui.core.report import Environment


def describe_environment(network: NetworkSettings, routes: RouteTable | None = None) -> Environment:
    """The report's environment; `routes` is the run's discovered route table (None if never discovered)."""
    try:
        resolvers = resolver_names(make_resolver(network.resolvers))
    except NoResolverError:
        resolvers = ()
    route = routes.summary_route() if routes is not None else None
    return Environment(
        route_mode=route.mode if route is not None else "direct",
        proxy=route.proxy.address if route is not None and route.proxy is not None else None,
        resolvers=resolvers,
        route_source=route.source if route is not None else "",
    )
