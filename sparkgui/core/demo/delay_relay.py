"""A TCP relay on loopback that adds a fixed delay to every chunk in both directions, and can cap the rate.

This kernel has no `tc netem`, so latency is added in user space: each chunk is forwarded `delay` seconds
after it arrived, order preserved, so a request/response round trip costs 2 × delay more. With `rate_bps`,
each direction is also paced like a token bucket (reading no faster than the rate, so the sender feels
the backpressure a slow link gives): the demo's slow venue link.
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from sparkgui.core.demo.listener import Listener

PACED_CHUNK = 16 * 1024  # a rate-capped direction reads this much at a time: smooth pacing on a slow link
PACED_QUEUE = 64 * 1024  # what a rate-capped relay's socket queues (the kernel doubles it)
BURST_S = 0.02  # the bucket's depth: a sleep that overshoots is caught up, so the long-run rate holds


@dataclass
class DelayRelay:
    """A loopback relay to `upstream_host:upstream_port` that delays every chunk; `start` sets `port`."""

    upstream_host: str
    upstream_port: int
    delay: float
    jitter: float = 0.0  # every other chunk sent upstream waits this much longer (order kept): a jittery link
    rate_bps: float | None = None  # each direction's rate in bit/s; None: as fast as loopback goes
    host: str = "127.0.0.1"
    port: int = 0
    _listener: Listener | None = None

    async def start(self) -> DelayRelay:
        """Listen on loopback (a free port unless `port` is set) and return self."""
        # A slow link queues what a router would, not the megabytes loopback's buffers take.
        queue = PACED_QUEUE if self.rate_bps is not None else None
        self._listener = Listener(self._relay, self.host, self.port, receive_buffer=queue)
        self.port = await self._listener.start()
        return self

    async def stop(self) -> None:
        """Stop listening and end every relayed connection."""
        if self._listener is not None:
            await self._listener.stop()

    async def _relay(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(self.delay)  # the connection's own round trip
        try:
            up_reader, up_writer = await asyncio.open_connection(self.upstream_host, self.upstream_port)
        except OSError:
            return
        try:
            await asyncio.gather(
                self._pump(client_reader, up_writer, self.jitter), self._pump(up_reader, client_writer, 0.0)
            )
        finally:
            up_writer.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, jitter: float) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                if not chunk:
                    with contextlib.suppress(OSError):
                        writer.write_eof()
                    return
                writer.write(chunk)
                await writer.drain()

        sender = asyncio.ensure_future(deliver())
        last_due, count = 0.0, 0
        free_at = loop.time()
        try:
            while True:
                chunk = await reader.read(65536 if self.rate_bps is None else PACED_CHUNK)
                if self.rate_bps is not None:
                    free_at = max(free_at, loop.time() - BURST_S) + len(chunk) * 8 / self.rate_bps
                    await asyncio.sleep(max(0.0, free_at - loop.time()))
                count += 1
                extra = jitter if count % 2 == 0 else 0.0
                last_due = max(last_due, loop.time() + self.delay + extra)  # never reorder
                queue.put_nowait((last_due, chunk))
                if not chunk:
                    break
            await sender
        except (ConnectionError, OSError):
            pass
        finally:
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
                await sender
