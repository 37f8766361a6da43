"""Describe where a run happens (OS, route, resolvers) for the report, without touching the network."""

from __future__ import annotations

from sparkgui.core.context import NetworkSettings
from sparkgui.core.net.resolver import NoResolverError, make_resolver, resolver_names
from sparkgui.core.report import Environment


def describe_environment(network: NetworkSettings) -> Environment:
    try:
        resolvers = resolver_names(make_resolver(network.resolvers))
    except NoResolverError:
        resolvers = ()
    return Environment(route_mode="direct", proxy=None, resolvers=resolvers)
