"""A real DNS server on loopback (UDP and TCP), answering from a zone the caller defines (the demo mode and the tests).

Each name maps to addresses, or to a behaviour: NXDOMAIN, SERVFAIL, or silence. Unknown names get NXDOMAIN.
"""

from __future__ import annotations

import asyncio
import ipaddress
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

from sparkgui.core.demo.listener import Listener

NXDOMAIN = "nxdomain"
SERVFAIL = "servfail"
SILENT = "silent"

Zone = Mapping[str, "list[str] | str"]


@dataclass
class DnsServer:
    """A loopback DNS server answering from `zone`; every question asked is kept in `queries`."""

    zone: dict[str, list[str] | str] = field(default_factory=dict)
    wildcard: list[str] | None = None  # answer every unknown name with these (a hijacking resolver)
    host: str = "127.0.0.1"
    port: int = 0
    queries: list[tuple[str, str]] = field(default_factory=list)
    silent_types: set[str] = field(default_factory=set)  # record types never answered (a lost answer)
    delay_s: float = 0.0  # every UDP answer is sent this late (a slow resolver: far away, or overloaded)
    drop_first: int = 0  # the first N UDP datagrams of each (name, type) are lost on the way (a lossy link)
    _dropped: dict[tuple[bytes, int], int] = field(default_factory=dict)
    _udp: asyncio.DatagramTransport | None = None
    _tcp: Listener | None = None

    async def start(self) -> DnsServer:
        """Bind UDP and TCP on the same port; a random UDP port may be taken for TCP, so retry a few times."""
        loop = asyncio.get_running_loop()
        for _ in range(20):
            transport, _ = await loop.create_datagram_endpoint(lambda: _Udp(self), local_addr=(self.host, self.port))
            port = transport.get_extra_info("sockname")[1]
            try:
                self._tcp = Listener(self._serve_tcp, self.host, port)
                await self._tcp.start()
            except OSError:
                transport.close()
                if self.port:
                    raise
                continue
            self._udp, self.port = transport, port
            return self
        raise OSError("no free port for both UDP and TCP on loopback")

    async def stop(self) -> None:
        """Stop serving on UDP and TCP."""
        if self._udp is not None:
            self._udp.close()
        if self._tcp is not None:
            await self._tcp.stop()  # also ends a TCP query still waiting for an answer

    @property
    def address(self) -> str:
        """The server's `host:port`, as `--resolver` accepts it."""
        return f"{self.host}:{self.port}"

    def lose(self, wire: bytes) -> bool:
        """Whether this datagram is one of the first `drop_first` of its question: lost, never seen."""
        if not self.drop_first:
            return False
        key = (wire[12:], len(wire))  # the question section, without the id that changes on every sending
        seen = self._dropped.get(key, 0)
        self._dropped[key] = seen + 1
        return seen < self.drop_first

    def answer(self, wire: bytes) -> bytes | None:
        """Return the wire reply to a wire query, or None when the zone says to stay silent."""
        query = dns.message.from_wire(wire)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        rdtype = dns.rdatatype.to_text(question.rdtype)
        self.queries.append((name, rdtype))
        entry = self.zone.get(name, self.wildcard if self.wildcard is not None else NXDOMAIN)
        if entry == SILENT or rdtype in self.silent_types:
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        if entry == NXDOMAIN:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif entry == SERVFAIL:
            response.set_rcode(dns.rcode.SERVFAIL)
        else:
            assert isinstance(entry, list)
            wanted = 4 if rdtype == "A" else 6 if rdtype == "AAAA" else 0
            matches = [a for a in entry if ipaddress.ip_address(a).version == wanted]
            if matches:
                response.answer.append(dns.rrset.from_text_list(question.name, 30, "IN", rdtype, matches))
        return response.to_wire()

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            (length,) = struct.unpack("!H", await reader.readexactly(2))
            reply = self.answer(await reader.readexactly(length))
            if reply is not None:
                writer.write(struct.pack("!H", len(reply)) + reply)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: DnsServer) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        if self.server.lose(data):
            return
        reply = self.server.answer(data)
        if reply is None or self.transport is None:
            return
        if self.server.delay_s > 0:
            asyncio.get_running_loop().call_later(self.server.delay_s, self._send, reply, addr)
        else:
            self.transport.sendto(reply, addr)

    def _send(self, reply: bytes, addr: tuple[str, int]) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.sendto(reply, addr)
