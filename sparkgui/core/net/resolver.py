"""DNS lookups through dnspython's async resolver, with a hard deadline and a classified outcome.

The resolvers are the system's unless a `ResolverConfig` names others (a lab, a test, `--resolver`).
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import dns.asyncresolver
import dns.exception
import dns.message
import dns.name
import dns.nameserver
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.resolver
import dns.rrset

from sparkgui.core.net.dns_race import AllServersFailed, ask

MAX_CNAME_CHAIN = 32  # links followed; stub resolvers and browsers follow long CDN chains


class Rcode(StrEnum):
    """The outcome of one query, in the terms the DNS check reports."""

    ANSWER = "answer"
    NO_ANSWER = "no_answer"  # the name exists but has no record of this type
    NXDOMAIN = "nxdomain"
    SERVFAIL = "servfail"  # every resolver failed (SERVFAIL, REFUSED, malformed)
    TIMEOUT = "timeout"


@dataclass(frozen=True)
class ResolverConfig:
    """Which resolvers to ask. Empty means the system's own (resolv.conf, the Windows registry…)."""

    nameservers: tuple[str, ...] = ()
    port: int = 53
    resolv_conf: str | None = None  # read this resolv.conf instead of the system's (Unix; for labs and tests)
    search: tuple[str, ...] = ()  # search domains (WPAD looks for wpad.<domain>); empty: the system's

    @classmethod
    def parse(cls, specs: list[str]) -> ResolverConfig:
        """Read `IP` or `IP:PORT` / `[IPv6]:PORT` items; raise ValueError with a readable message."""
        addresses: list[str] = []
        ports: set[int] = set()
        for spec in specs:
            if spec.strip().startswith("[") and "]" not in spec:
                raise ValueError(f"resolver {spec!r} opens a '[' it never closes (like [2001:db8::53]:53)")
            host, port_text = _split_host_port(spec.strip())
            try:
                ipaddress.ip_address(host)
            except ValueError:
                raise ValueError(
                    f"resolver {spec!r} is not an IP address (like 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53)"
                ) from None
            if port_text and (not (port_text.isascii() and port_text.isdigit()) or not 0 < int(port_text) < 65536):
                raise ValueError(f"resolver {spec!r} has an invalid port {port_text!r}")
            ports.add(int(port_text) if port_text else 53)
            addresses.append(host)
        if len(ports) > 1:
            raise ValueError(
                f"the resolvers are given on different ports ({', '.join(map(str, sorted(ports)))}); "
                "sparkgui asks them all on one port: give each the same port, or one resolver"
            )
        return cls(tuple(addresses), ports.pop() if ports else 53)


def _split_host_port(spec: str) -> tuple[str, str]:
    if spec.startswith("["):
        host, _, rest = spec[1:].partition("]")
        return host, rest.removeprefix(":")
    if spec.count(":") == 1:
        host, _, port = spec.partition(":")
        return host, port
    return spec, ""


class NoResolverError(Exception):
    """The machine has no DNS resolver configured."""


@dataclass(frozen=True)
class QueryOutcome:
    """One A or AAAA query: how it ended, the addresses found and how long it took."""

    rdtype: str
    rcode: Rcode
    addresses: tuple[str, ...] = ()
    detail: str = ""
    elapsed_ms: int = 0
    server: str = ""  # the resolver that answered (host, or host:port when not 53)
    server_ms: int | None = None  # how long that resolver took for the answer (lost packets not counted)


@dataclass(frozen=True)
class Lookup:
    """A and AAAA for one name, asked at the same time."""

    host: str
    resolvers: tuple[str, ...]
    a: QueryOutcome
    aaaa: QueryOutcome
    elapsed_ms: int

    @property
    def addresses(self) -> tuple[str, ...]:
        """The AAAA addresses first, then the A ones."""
        return self.aaaa.addresses + self.a.addresses


def make_resolver(config: ResolverConfig) -> dns.asyncresolver.Resolver:
    """Build an uncached resolver from `config`; raise NoResolverError when no nameserver is known."""
    try:
        if config.resolv_conf and not config.nameservers:
            resolver = dns.asyncresolver.Resolver(filename=config.resolv_conf)
        else:
            resolver = dns.asyncresolver.Resolver(configure=not config.nameservers)
    except dns.resolver.NoResolverConfiguration as exc:
        raise NoResolverError(str(exc) or "no nameserver is configured") from None
    if config.nameservers:
        resolver.nameservers = [dns.nameserver.Do53Nameserver(ns, config.port) for ns in config.nameservers]
    if not resolver.nameservers:
        raise NoResolverError("no nameserver is configured")
    resolver.cache = None
    return resolver


def resolver_names(resolver: dns.asyncresolver.Resolver) -> tuple[str, ...]:
    """Return the resolvers' addresses for the report, with the port only when it is not 53."""
    names: list[str] = []
    for ns in resolver.nameservers:
        if isinstance(ns, dns.nameserver.Do53Nameserver):
            address, port = ns.answer_nameserver(), ns.answer_port()
            names.append(address if port == 53 else f"{address}:{port}")
        else:
            names.append(str(ns))
    return tuple(names)


async def lookup(resolver: dns.asyncresolver.Resolver, host: str, timeout: float) -> Lookup:
    """Ask for A and AAAA concurrently; each query ends within `timeout` seconds."""
    started = time.perf_counter()
    a, aaaa = await asyncio.gather(query(resolver, host, "A", timeout), query(resolver, host, "AAAA", timeout))
    return Lookup(host, resolver_names(resolver), a, aaaa, _ms_since(started))


async def query(resolver: dns.asyncresolver.Resolver, host: str, rdtype: str, timeout: float) -> QueryOutcome:
    """Ask for one record type within `timeout` seconds and classify what came back."""
    started = time.perf_counter()

    def outcome(
        rcode: Rcode,
        addresses: tuple[str, ...] = (),
        detail: str = "",
        server: str = "",
        server_ms: int | None = None,
    ) -> QueryOutcome:
        return QueryOutcome(rdtype, rcode, addresses, detail, _ms_since(started), server, server_ms)

    servers = _plain_servers(resolver)
    if servers:
        return await _raced(servers, host, rdtype, timeout, outcome)
    try:
        # The resolver's own lifetime is the deadline; asyncio.timeout guards against a backend that ignores it.
        async with asyncio.timeout(timeout + 0.5):
            answer = await resolver.resolve(host, rdtype, lifetime=timeout, search=False)
    except dns.resolver.NXDOMAIN:
        return outcome(Rcode.NXDOMAIN)
    except dns.resolver.NoAnswer:
        return outcome(Rcode.NO_ANSWER)
    except dns.resolver.NoNameservers as exc:
        return outcome(Rcode.SERVFAIL, detail=_first_line(exc))
    except (dns.exception.Timeout, TimeoutError):
        return outcome(Rcode.TIMEOUT, detail=f"no answer within {timeout:g} s")
    except dns.exception.DNSException as exc:
        return outcome(Rcode.SERVFAIL, detail=_first_line(exc))
    addresses = tuple(rdata.to_text() for rdata in answer if rdata.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA))
    return outcome(Rcode.ANSWER if addresses else Rcode.NO_ANSWER, addresses)


def _plain_servers(resolver: dns.asyncresolver.Resolver) -> list[tuple[str, int]]:
    """The resolvers as (address, port) when all are plain DNS (UDP/TCP 53): those are raced, never dropped."""
    servers: list[tuple[str, int]] = []
    for ns in resolver.nameservers:
        if isinstance(ns, str):  # from the system's configuration: an address, on the resolver's port
            servers.append((ns, resolver.port))
        elif isinstance(ns, dns.nameserver.Do53Nameserver):
            servers.append((ns.answer_nameserver(), ns.answer_port()))
        else:
            return []  # DNS over HTTPS or TLS: dnspython's own resolver
    return servers


async def _raced(
    servers: list[tuple[str, int]], host: str, rdtype: str, timeout: float, outcome: Callable[..., QueryOutcome]
) -> QueryOutcome:
    try:
        async with asyncio.timeout(timeout + 0.5):  # the race keeps its own deadline; this guards it
            won = await ask(servers, dns.name.from_text(host).to_text(), rdtype, timeout)
    except (TimeoutError, dns.exception.Timeout):
        return outcome(Rcode.TIMEOUT, detail=f"no answer within {timeout:g} s")
    except AllServersFailed as exc:
        return outcome(Rcode.SERVFAIL, detail=_first_line(exc))
    except dns.exception.DNSException as exc:
        return outcome(Rcode.SERVFAIL, detail=_first_line(exc))
    if won.response.rcode() == dns.rcode.NXDOMAIN:
        return outcome(Rcode.NXDOMAIN, server=won.server, server_ms=won.latency_ms)
    response = won.response
    if not isinstance(response, dns.message.QueryMessage):
        return outcome(Rcode.SERVFAIL, detail=f"{won.server}: not an answer to a query", server=won.server)
    try:
        addresses = chained_addresses(response)
    except CnameChainError as exc:
        return outcome(Rcode.SERVFAIL, detail=f"{won.server}: {exc}", server=won.server)
    return outcome(
        Rcode.ANSWER if addresses else Rcode.NO_ANSWER, addresses, server=won.server, server_ms=won.latency_ms
    )


class CnameChainError(Exception):
    """The answer's CNAMEs loop, or run past MAX_CNAME_CHAIN."""


def chained_addresses(response: dns.message.QueryMessage) -> tuple[str, ...]:
    """The addresses at the end of the answer's CNAME chain, from the question's name.

    Followed as the system's stub resolver does, up to MAX_CNAME_CHAIN links: dnspython's own walk stops at
    16, where glibc and browsers go on, so a 20-link CDN chain would read as a failing DNS server.
    """
    question = response.question[0]
    name, rdtype = question.name, question.rdtype

    def rrset(owner: dns.name.Name, kind: int) -> dns.rrset.RRset | None:
        return next(
            (r for r in response.answer if r.name == owner and r.rdtype == kind and r.rdclass == dns.rdataclass.IN),
            None,
        )

    seen = {name}
    for _ in range(MAX_CNAME_CHAIN + 1):
        found = rrset(name, rdtype)
        if found is not None:
            return tuple(rdata.to_text() for rdata in found)
        alias = rrset(name, dns.rdatatype.CNAME)
        if alias is None or not len(alias):
            return ()
        name = alias[0].target
        if name in seen:
            raise CnameChainError(f"the CNAME chain loops at {name}")
        seen.add(name)
    raise CnameChainError(f"the CNAME chain is longer than {MAX_CNAME_CHAIN} links")


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:300]


def _ms_since(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)
