"""A hostile DNS server on loopback (UDP, and TCP on the same port): each answer is built by a function that
may lie about the id, the question, the truncation bit, or send garbage, loops and floods of records."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

from sparkgui.core.demo.listener import Listener

Answer = Callable[[dns.message.Message], bytes | None]  # None: stay silent


@dataclass
class HostileDns:
    """Answers UDP with `udp`, and TCP with `tcp` (None: nobody listens on TCP, so it is refused)."""

    udp: Answer
    tcp: Answer | None = None
    port: int = 0
    _transport: asyncio.DatagramTransport | None = None
    _listener: Listener | None = None
    asked_over_tcp: list[str] = field(default_factory=list)

    async def start(self) -> HostileDns:
        loop = asyncio.get_running_loop()
        for _ in range(20):
            transport, _ = await loop.create_datagram_endpoint(lambda: _Udp(self), local_addr=("127.0.0.1", 0))
            port = transport.get_extra_info("sockname")[1]
            if self.tcp is None:
                self._transport, self.port = transport, port
                return self
            listener = Listener(self._serve_tcp, "127.0.0.1", port)
            try:
                await listener.start()
            except OSError:
                transport.close()
                continue
            self._transport, self._listener, self.port = transport, listener, port
            return self
        raise OSError("no free port for both UDP and TCP on loopback")

    async def stop(self) -> None:
        if self._transport is not None:
            self._transport.close()
        if self._listener is not None:
            await self._listener.stop()

    async def _serve_tcp(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self.tcp is not None
        (length,) = struct.unpack("!H", await reader.readexactly(2))
        query = dns.message.from_wire(await reader.readexactly(length))
        self.asked_over_tcp.append(query.question[0].name.to_text())
        reply = self.tcp(query)
        if reply is None:
            await asyncio.sleep(600)
            return
        writer.write(struct.pack("!H", len(reply)) + reply)
        await writer.drain()


class _Udp(asyncio.DatagramProtocol):
    def __init__(self, server: HostileDns) -> None:
        self.server = server
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        try:
            query = dns.message.from_wire(data)
        except dns.exception.DNSException:
            return
        reply = self.server.udp(query)
        if reply is not None and self.transport is not None:
            self.transport.sendto(reply, addr)


def addresses(query: dns.message.Message, *values: str) -> dns.message.Message:
    """A truthful answer: the given A addresses for an A question, nothing for other types."""
    response = dns.message.make_response(query)
    question = query.question[0]
    if question.rdtype == dns.rdatatype.A and values:
        response.answer.append(dns.rrset.from_text_list(question.name, 30, "IN", "A", list(values)))
    return response


PLATFORM = dns.name.from_text("app.test")


def truthful(query: dns.message.Message) -> bytes | None:
    """The platform's name resolves to loopback; every other name (the hijack canary) does not exist."""
    if query.question[0].name != PLATFORM:
        return rcode(dns.rcode.NXDOMAIN)(query)
    return addresses(query, "127.0.0.1").to_wire()


def truncated(query: dns.message.Message) -> bytes:
    """An empty answer with the TC bit: "too big for UDP, ask again over TCP"."""
    response = dns.message.make_response(query)
    response.flags |= dns.flags.TC
    return response.to_wire()


def wrong_id(query: dns.message.Message) -> bytes:
    """A right answer to a query that was never sent (another id): a spoofing attempt, to be ignored."""
    response = addresses(query, "127.0.0.1")
    response.id = (query.id + 1) % 65536
    return response.to_wire()


def wrong_question(query: dns.message.Message) -> bytes:
    """An answer about another name than the one asked."""
    other = dns.message.make_query("elsewhere.invalid", query.question[0].rdtype)
    other.id = query.id
    return addresses(other, "127.0.0.1").to_wire()


def cname_loop(query: dns.message.Message) -> bytes:
    """The name is an alias of an alias of itself."""
    response = dns.message.make_response(query)
    name = query.question[0].name
    other = dns.name.from_text("loop.app.test")
    response.answer.append(dns.rrset.from_text(name, 30, "IN", "CNAME", other.to_text()))
    response.answer.append(dns.rrset.from_text(other, 30, "IN", "CNAME", name.to_text()))
    return response.to_wire()


def long_cname_chain(query: dns.message.Message) -> bytes | None:
    """A CDN's 20-link alias chain ending in an address (AAAA: in none), longer than dnspython's own walk."""
    if query.question[0].name != PLATFORM:
        return rcode(dns.rcode.NXDOMAIN)(query)
    response = dns.message.make_response(query)
    name = query.question[0].name
    for link in range(20):
        target = dns.name.from_text(f"c{link}.cdn.app.test")
        response.answer.append(dns.rrset.from_text(name, 30, "IN", "CNAME", target.to_text()))
        name = target
    if query.question[0].rdtype == dns.rdatatype.A:
        response.answer.append(dns.rrset.from_text(name, 30, "IN", "A", "127.0.0.1"))
    return response.to_wire()


def rcode(code: dns.rcode.Rcode) -> Answer:
    def answer(query: dns.message.Message) -> bytes:
        response = dns.message.make_response(query)
        response.set_rcode(code)
        return response.to_wire()

    return answer


def garbage_with_id(query: dns.message.Message) -> bytes:
    """The query's id, then bytes that are no DNS message."""
    return struct.pack("!H", query.id) + b"\x81\x80" + b"\xff" * 40


def silent(query: dns.message.Message) -> None:
    return None


REFUSED = dns.rcode.REFUSED


def many_records(query: dns.message.Message) -> bytes | None:
    """A thousand addresses for one name: far more than any platform has, and more than UDP carries."""
    if query.question[0].name != PLATFORM:
        return rcode(dns.rcode.NXDOMAIN)(query)
    values = [f"127.0.{i // 250}.{i % 250 + 1}" for i in range(1000)]
    return addresses(query, *values).to_wire()
