"""Route discovery: which path each platform URL takes (direct, or which proxy), and where that came from.

Each URL's route is decided the way a browser on this machine decides it.

Sources, first that applies wins: --proxy / --no-proxy / --pac, then the environment (both cases, with
no_proxy), then the operating system's settings (a lookup injected by the caller: Qt's, outside the
Qt-free core), then WPAD. A PAC file that fails makes the checks fall back to DIRECT, as browsers do, and
the discovery check reports `proxy.pac_error`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from sparkgui.core.i18n import Text, tr
from sparkgui.core.net.pac import PacChoice, PacError, evaluate_pac, fetch_pac
from sparkgui.core.net.proxy_spec import ProxyCredentials, ProxySpec, ProxyUrlError, parse_proxy_url
from sparkgui.core.net.resolver import NoResolverError, ResolverConfig, lookup, make_resolver

# The OS's answer per URL: a proxy URL such as "http://host:port", or None for a direct connection.
SystemProxyLookup = Callable[[Sequence[str]], Mapping[str, str | None]]


@dataclass(frozen=True)
class Route:
    """The path to one URL: direct, or through `proxy`, and where that decision came from."""

    proxy: ProxySpec | None
    source: str  # where the decision came from, in the report's evidence (English, as data)
    mode: str = "direct"  # "direct" | "proxy" | "pac", as the report's environment.route.mode
    words: Text | None = field(default=None, compare=False)  # the same for people, in their language

    @property
    def said(self) -> Text | str:
        """Where the decision came from, in the reader's language when rendered."""
        return self.words if self.words is not None else self.source

    @property
    def via_proxy(self) -> bool:
        """True when the route goes through a proxy."""
        return self.proxy is not None

    def as_evidence(self) -> dict[str, Any]:
        """Return the route as report evidence: the proxy's address only, never its credentials."""
        return {"mode": self.mode, "proxy": self.proxy.address if self.proxy else None, "source": self.source}


DIRECT_BY_DEFAULT = Route(None, "no proxy setting found", words=tr("no proxy setting found"))
_UNUSABLE_SYSTEM = tr("the system's proxy setting is unusable: direct")
MAX_PAC_ENTRIES_TRIED = 10  # a browser's list is a few entries; a longer one is not worth a wait
PROXY_PROBE_S = 3.0  # how long a PAC file's proxy may take to accept a connection before the next entry is used


@dataclass(frozen=True)
class RouteConfig:
    """What the user said about proxies (command line or window), and where to look otherwise."""

    proxy: ProxySpec | None = None
    pac_url: str | None = None
    no_proxy: bool = False
    credentials: ProxyCredentials | None = field(default=None, repr=False)
    system_lookup: SystemProxyLookup | None = None
    wpad: bool = True
    environ: Mapping[str, str] | None = None  # None: this process's environment
    simulated: bool = False  # a demo venue: its direct route is the simulation's, not a choice made here


@dataclass(frozen=True)
class RouteTable:
    """The route of every platform URL, the sources looked at, and any setting that could not be used."""

    routes: Mapping[str, Route]
    considered: tuple[str, ...]  # each source looked at, and what it said
    error: Text | None = None  # why a setting could not be used (PAC, malformed variable), in the reader's language
    error_kind: str = ""  # "pac" or "setting"

    def for_url(self, url: str) -> Route:
        """Return the route decided for `url` (direct when it was not asked about)."""
        return self.routes.get(url, DIRECT_BY_DEFAULT)

    @property
    def any_proxy(self) -> bool:
        """True when at least one URL goes through a proxy."""
        return any(route.via_proxy for route in self.routes.values())

    def summary_route(self) -> Route:
        """The route most URLs take, for the report's environment."""
        proxied = [route for route in self.routes.values() if route.via_proxy]
        return proxied[0] if proxied else next(iter(self.routes.values()), DIRECT_BY_DEFAULT)


def platform_url(host: str, port: int) -> str:
    """The URL a route is decided for; WebSockets are looked up as https, as browsers do for PAC."""
    return f"https://{host}/" if port == 443 else f"https://{host}:{port}/"


async def discover_routes(
    config: RouteConfig, urls: Sequence[str], timeout: float, resolvers: ResolverConfig | None = None
) -> RouteTable:
    """Decide the route of every URL within `timeout` seconds per source."""
    considered: list[str] = []
    credentials = config.credentials

    def everywhere(route: Route) -> dict[str, Route]:
        return {url: route for url in urls}

    if config.no_proxy:
        chosen = (
            Route(None, "demo: the simulated venue has no proxy", words=tr("the simulated venue has no proxy"))
            if config.simulated
            else Route(None, "no proxy, as chosen: direct connections", words=tr("as chosen in sparkgui"))
        )
        return RouteTable(everywhere(chosen), ("no proxy, as chosen",))
    if config.proxy is not None:
        proxy = _with(config.proxy, credentials)
        return RouteTable(
            everywhere(Route(proxy, "the proxy chosen", "proxy", tr("the proxy chosen"))),
            (f"the proxy chosen: {proxy.address}",),
        )
    if config.pac_url:
        return await _from_pac(config.pac_url, "--pac", urls, timeout, credentials, considered)

    environ = os.environ if config.environ is None else config.environ
    try:
        from_env = _from_environment(environ, urls, credentials)
    except ProxyUrlError as exc:
        considered.append("environment: unusable")
        return RouteTable(
            everywhere(
                Route(
                    None,
                    "environment (unusable; direct)",
                    words=tr("the environment's proxy setting is unusable: direct"),
                )
            ),
            tuple(considered),
            exc.text,
            "setting",
        )
    if from_env is not None:
        considered.append("environment: proxy variables set")
        return RouteTable(from_env, tuple(considered))
    considered.append("environment: no proxy variables")

    if config.system_lookup is not None:
        system = await _from_system(config.system_lookup, urls, timeout, credentials, considered)
        if system is not None:
            return system

    if config.wpad:
        wpad = await _from_wpad(urls, timeout, credentials, considered, resolvers or ResolverConfig())
        if wpad is not None:
            return wpad
    return RouteTable(everywhere(DIRECT_BY_DEFAULT), tuple(considered))


def _with(proxy: ProxySpec, credentials: ProxyCredentials | None) -> ProxySpec:
    """The proxy with the setting's own user:password, else with the credentials given (or none).

    A user name alone in the setting (`http://alice@proxy:3128`) is no sign-in: sending it with an empty
    password would be refused and reported as a wrong password, so the credentials given win over it.
    """
    own = proxy.credentials
    return proxy if own is not None and own.password else proxy.with_credentials(credentials)


def _from_environment(
    environ: Mapping[str, str], urls: Sequence[str], credentials: ProxyCredentials | None
) -> dict[str, Route] | None:
    """https_proxy / HTTPS_PROXY (then all_proxy), honouring no_proxy, as curl and most tools read them.

    The lower-case name wins when both are set, as curl does.
    """
    name, setting = _first_set(environ, ("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"))
    if not setting:
        return None
    proxy = _with(parse_proxy_url(setting, what=tr("environment variable {name}", name=name)), credentials)
    _, no_proxy = _first_set(environ, ("no_proxy", "NO_PROXY"))
    routes = {}
    for url in urls:
        parts = urlsplit(url)
        if bypasses_proxy(parts.hostname or "", parts.port or 443, no_proxy):
            routes[url] = Route(None, "environment (no_proxy)", words=tr("the environment's no_proxy list"))
        else:
            routes[url] = Route(
                proxy, f"environment ({name})", "proxy", tr("the environment variable {name}", name=name)
            )
    return routes


def _first_set(environ: Mapping[str, str], names: Sequence[str]) -> tuple[str, str]:
    for name in names:
        value = environ.get(name, "").strip()
        if value:
            return name, value
    return "", ""


def bypasses_proxy(host: str, port: int, no_proxy: str) -> bool:
    """no_proxy semantics shared by curl and Python: `*`, exact hosts, domain suffixes, optional `:port`."""
    host = host.lower().rstrip(".")
    for entry in (item.strip().lower() for item in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and entry_port != str(port):
            continue
        name = name.lstrip("*").lstrip(".").rstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False


async def _from_system(
    lookup: SystemProxyLookup,
    urls: Sequence[str],
    timeout: float,
    credentials: ProxyCredentials | None,
    considered: list[str],
) -> RouteTable | None:
    try:
        async with asyncio.timeout(timeout):
            answers = await asyncio.to_thread(lookup, list(urls))
    except TimeoutError:
        considered.append(f"system settings: no answer within {timeout:g} s")
        return None
    except Exception as exc:  # the OS's proxy API failed: note it and go on, like a browser would
        considered.append(f"system settings: failed ({type(exc).__name__})")
        return None
    routes: dict[str, Route] = {}
    for url in urls:
        answer = answers.get(url)
        if not answer:
            routes[url] = Route(None, "system settings (direct)", words=tr("the system's settings: direct"))
            continue
        try:
            proxy = _with(parse_proxy_url(answer, what=tr("system proxy")), credentials)
            routes[url] = Route(proxy, "system settings", "proxy", tr("the system's settings"))
        except ProxyUrlError as exc:
            considered.append("system settings: unusable")
            return RouteTable(
                {u: Route(None, "system settings (unusable; direct)", words=_UNUSABLE_SYSTEM) for u in urls},
                tuple(considered),
                exc.text,
                "setting",
            )
    if not any(route.via_proxy for route in routes.values()):
        considered.append("system settings: direct")
        return None
    considered.append("system settings: proxy")
    return RouteTable(routes, tuple(considered))


async def _from_pac(
    pac_url: str,
    label: str,
    urls: Sequence[str],
    timeout: float,
    credentials: ProxyCredentials | None,
    considered: list[str],
    addresses: Sequence[str] = (),
) -> RouteTable:
    shown = _without_userinfo(pac_url)
    source = f"PAC file {shown}" if label == "--pac" else f"WPAD {shown}"
    words = tr("the PAC file {url}", url=shown) if label == "--pac" else tr("WPAD {url}", url=shown)
    try:
        script = await fetch_pac(pac_url, timeout, addresses)
        choices = await evaluate_pac(script, urls, timeout)
    except PacError as exc:
        considered.append(f"{source}: failed")
        fallback = Route(
            None,
            f"{source} failed: direct, as browsers fall back",
            "pac",
            tr("{pac} failed: direct, as browsers fall back", pac=words),
        )
        return RouteTable({url: fallback for url in urls}, tuple(considered), exc.text, "pac")
    considered.append(f"{source}: evaluated")
    answering = _AnsweringProxies(min(timeout, PROXY_PROBE_S))
    chosen = await asyncio.gather(
        *(_pac_route(choice, (source, words), credentials, answering) for choice in choices.values())
    )
    routes = dict(zip(choices, chosen, strict=True))
    return RouteTable(routes, tuple(considered))


def _without_userinfo(url: str) -> str:
    """The URL as reports may quote it: any `user:password@` taken out."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    return f"{scheme}{sep}{authority.rpartition('@')[2]}{slash}{path}" if sep else url


async def _pac_route(
    choice: PacChoice,
    named: tuple[str, Text],
    credentials: ProxyCredentials | None,
    answering: _AnsweringProxies,
) -> Route:
    """The route a browser takes for this PAC answer: its first entry, or the next when a proxy does not answer.

    Only an answer with fallbacks is tried: a single proxy that does not answer is the checks' to diagnose.
    The first MAX_PAC_ENTRIES_TRIED proxies are asked at once, within one deadline, so a long list of dead
    proxies costs one deadline, not one each. Entries sparkgui cannot test (SOCKS, HTTPS) before the one used
    are named: a browser would have taken them.
    """
    entries = (choice.proxy, *choice.fallbacks)[:MAX_PAC_ENTRIES_TRIED]
    dead: list[str] = []
    chosen = entries[0]
    if choice.fallbacks:
        await answering.ask([entry for entry in entries if entry is not None])
        for entry in entries:
            if entry is None or answering.known.get(entry.address, False):
                chosen = entry
                break
            dead.append(entry.address)
        else:
            chosen, dead = entries[0], []  # none answers: keep the first, whose failure the checks then name
    source, pac = named
    answer = choice.raw if chosen is not None or dead or choice.passed_over else "DIRECT"  # a first DIRECT is said so
    notes: list[str] = []
    words = tr("{pac} says {answer}", pac=pac, answer=answer)
    if choice.passed_over:
        untested = ", ".join(choice.passed_over)
        notes.append(f"{untested}: not testable by sparkgui, passed over")
        words = tr(
            "{said}; sparkgui cannot test {untested} (a browser here would use it), so it tested the next entry",
            said=words,
            untested=untested,
        )
    if dead:
        notes.append(f"{', '.join(dead)} did not answer: the next entry, as browsers do")
        words = tr("{said}; {dead} did not answer, so the next entry, as browsers do", said=words, dead=", ".join(dead))
    note = f" ({'; '.join(notes)})" if notes else ""
    proxy = _with(chosen, credentials) if chosen is not None else None
    return Route(proxy, f"{source}: {answer}{note}", "pac", words)


class _AnsweringProxies:
    """Whether a proxy accepts a TCP connection within the deadline, asked once per proxy, many at once."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.known: dict[str, bool] = {}

    async def ask(self, proxies: Sequence[ProxySpec]) -> None:
        """Ask every proxy not asked yet, all at once, within one deadline."""
        new = list({proxy.address: proxy for proxy in proxies if proxy.address not in self.known}.values())
        answers = await asyncio.gather(*(self._answers(proxy) for proxy in new))
        self.known.update({proxy.address: answered for proxy, answered in zip(new, answers, strict=True)})

    async def _answers(self, proxy: ProxySpec) -> bool:
        try:
            async with asyncio.timeout(self.timeout):
                _, writer = await asyncio.open_connection(proxy.host, proxy.port)
        except (OSError, TimeoutError, UnicodeError):
            return False
        writer.transport.abort()
        return True


async def _from_wpad(
    urls: Sequence[str],
    timeout: float,
    credentials: ProxyCredentials | None,
    considered: list[str],
    resolvers: ResolverConfig,
) -> RouteTable | None:
    """Web Proxy Auto-Discovery by DNS: http://wpad.<search domain>/wpad.dat, most specific domain first."""
    try:
        resolver = make_resolver(resolvers)
    except NoResolverError:
        considered.append("WPAD: no resolver")
        return None
    domains = list(resolvers.search) or [name.to_text(omit_final_dot=True) for name in resolver.search]
    candidates: list[str] = []
    for domain in domains:
        labels = domain.split(".")
        candidates += ["wpad." + ".".join(labels[i:]) for i in range(len(labels) - 1)]
    for host in dict.fromkeys(candidates):
        found = await lookup(resolver, host, timeout)
        if found.addresses:
            return await _from_pac(
                f"http://{host}/wpad.dat", "WPAD", urls, timeout, credentials, considered, found.addresses
            )
    considered.append("WPAD: no wpad host" if candidates else "WPAD: no search domain")
    return None
