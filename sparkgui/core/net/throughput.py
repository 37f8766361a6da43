"""Throughput to the platform's probe over HTTPS, one direction at a time, bounded in bytes and in seconds.

ndt7's lessons: measure for several seconds (TCP's slow start is not the link's rate), sample the rate at
short intervals and report their median, stop early once the last second's samples agree, and never move
more than a set number of bytes or run longer than a set time: a venue's metered link is respected.

Downloads read `GET /download?bytes=N`; uploads stream a chunked `POST /upload` of random bytes (random, so a
compressing middlebox cannot flatter the link), and prefer the probe's own count of what arrived, since what
the socket took may still be queued on the way.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import socket
import statistics
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import aiohttp.payload

INTERVAL_S = 0.25
STABLE_WINDOWS = 3  # half-seconds: the last 1.5 s
STABLE_SPREAD = 0.1  # the fastest and slowest of them within 10 % of their mean
MIN_PROBE_INTERVAL_S = 0.2  # a probe interval shorter than this (the transfer's tail) is left out
MIN_SECONDS = 3.0  # never judged stable before this: slow start, and Wi-Fi rate adaptation
UPLOAD_SEND_BUFFER = 64 * 1024  # the kernel doubles it: 128 KB queued in the socket at most
WRITE_HIGH_WATER = 64 * 1024  # what asyncio's transport queues before it pushes back (512 KB for TLS)
BLOCK = os.urandom(64 * 1024)
UPLOAD_CHUNK = 16 * 1024  # small enough that a quarter second's count is not a few whole chunks

Progress = Callable[[float, float], None]  # (fraction of the time budget, bit/s so far)


@dataclass(frozen=True)
class TransferLimits:
    """The bounds of one direction: bytes, seconds, and how long a transfer may stand still."""

    max_bytes: int = 25_000_000
    max_seconds: float = 10.0
    stall_seconds: float = 3.0
    # After an upload stops sending, what a proxy's buffers still hold must reach the probe. This side sees only
    # its own socket, so through a proxy the answer may take this much longer (squid on a fast LAN in front of
    # a slow uplink holds megabytes: seen as a false "stood still" at 8 Mbit/s under load).
    drain_seconds: float = 0.0


@dataclass(frozen=True)
class RateSample:
    """The rate over one interval, ending `at_s` seconds after the transfer started."""

    at_s: float
    bps: float


@dataclass(frozen=True)
class Measurement:
    """One direction's transfer: what moved, for how long, its rate over time, and why it stopped."""

    direction: str  # "download" or "upload"
    moved_bytes: int
    seconds: float
    samples: tuple[RateSample, ...]
    stopped: str  # "stable", "time", "bytes"
    counted_by: str = "client"  # "probe": the upload's bytes as the probe received them

    @property
    def median_bps(self) -> float:
        """The median interval rate, without the first interval (slow start); the mean when too short."""
        rates = [sample.bps for sample in self.samples[1:]]
        if len(rates) >= 2:
            return statistics.median(rates)
        return self.moved_bytes * 8 / self.seconds if self.seconds > 0 else 0.0

    def evidence(self) -> dict[str, Any]:
        """The measurement as report evidence: rates in bit/s, bytes, seconds, the samples."""
        return {
            "direction": self.direction,
            "median_bps": round(self.median_bps),
            "mean_bps": round(self.moved_bytes * 8 / self.seconds) if self.seconds > 0 else 0,
            "bytes": self.moved_bytes,
            "seconds": round(self.seconds, 3),
            "stopped": self.stopped,
            "counted_by": self.counted_by,
            "samples": [[round(sample.at_s, 3), round(sample.bps)] for sample in self.samples[:80]],
        }


class TransferFault(Exception):
    """The transfer could not be measured: it stalled, was cut, sent too much, or was refused.

    `fault` is stalled, cut, overrun, invalid (the answer makes no sense), status (an unexpected HTTP status),
    or, for the platform's side rather than the network's, busy (429) and unsupported (no such route).
    """

    def __init__(self, fault: str, detail: str, moved_bytes: int = 0, after_s: float = 0.0) -> None:
        super().__init__(detail)
        self.fault, self.detail, self.moved_bytes, self.after_s = fault, detail, moved_bytes, after_s


@dataclass
class RateMeter:
    """Turns a running byte count into interval samples, and says when the rate has settled."""

    began: float = field(default_factory=time.monotonic)
    samples: list[RateSample] = field(default_factory=list)
    _mark: float = 0.0
    _mark_bytes: int = 0

    def __post_init__(self) -> None:
        self._mark = self.began

    def feed(self, total_bytes: int, now: float | None = None) -> None:
        """Note the total moved so far; a sample is taken each time an interval has passed."""
        now = time.monotonic() if now is None else now
        span = now - self._mark
        if span >= INTERVAL_S:
            self.samples.append(RateSample(now - self.began, (total_bytes - self._mark_bytes) * 8 / span))
            self._mark, self._mark_bytes = now, total_bytes

    def elapsed(self, now: float | None = None) -> float:
        """Seconds since the transfer started."""
        return (time.monotonic() if now is None else now) - self.began

    def stable(self) -> bool:
        """The last STABLE_WINDOWS half-seconds agree (within STABLE_SPREAD), after the minimum time.

        Half-seconds rather than single samples: a quarter second holds few chunks on a slow link, and
        counting whole chunks would read as noise.
        """
        span = 2 * STABLE_WINDOWS
        if not self.samples or self.samples[-1].at_s < MIN_SECONDS or len(self.samples) < span + 1:
            return False
        recent = [sample.bps for sample in self.samples[-span:]]
        windows = [(recent[i] + recent[i + 1]) / 2 for i in range(0, span, 2)]
        mean = statistics.fmean(windows)
        return mean > 0 and max(windows) - min(windows) <= STABLE_SPREAD * mean

    def rate(self) -> float:
        """The latest interval's rate, for progress."""
        return self.samples[-1].bps if self.samples else 0.0


async def measure_download(
    session: aiohttp.ClientSession, base_url: str, limits: TransferLimits, progress: Progress | None = None
) -> Measurement:
    """Download up to `limits.max_bytes` from the probe, until the rate settles or the time is up."""
    url = f"{base_url}/download?bytes={limits.max_bytes}"
    received = 0
    stopped = "bytes"
    async with asyncio.timeout(limits.max_seconds + 2 * limits.stall_seconds):
        response = await asyncio.wait_for(session.get(url), limits.stall_seconds * 2)
        try:
            _refused(response.status, "download")
            meter = RateMeter()  # from the first byte's arrival onwards, not the request
            while received < limits.max_bytes:
                chunk = await _within(response.content.readany(), limits, received, meter)
                if not chunk:
                    raise TransferFault(
                        "cut",
                        f"the download ended after {received} of {limits.max_bytes} bytes",
                        received,
                        meter.elapsed(),
                    )
                received += len(chunk)
                if received > limits.max_bytes:
                    raise TransferFault(
                        "overrun", f"the probe sent more than the {limits.max_bytes} bytes asked", received
                    )
                meter.feed(received)
                if progress is not None:
                    progress(min(1.0, meter.elapsed() / limits.max_seconds), meter.rate())
                if meter.stable():
                    stopped = "stable"
                    break
                if meter.elapsed() >= limits.max_seconds:
                    stopped = "time"
                    break
            if stopped == "bytes":
                extra = await _within(response.content.read(1), limits, received, meter)
                if extra:
                    raise TransferFault("overrun", f"the probe sent more than the {limits.max_bytes} bytes asked")
        finally:
            response.close()
    return Measurement("download", received, meter.elapsed(), tuple(meter.samples), stopped)


class _UploadBody(aiohttp.payload.AsyncIterablePayload):
    """The upload's body, which also sees its connection: how much of what it wrote still waits in this process.

    asyncio's TLS transport queues half a megabyte before it pushes back, the kernel as much again: counted as
    sent, that would read as a burst, then drain long past the time budget. So the transport's queue is kept
    small, and what waits in it is not counted as sent.
    """

    transport: asyncio.WriteTransport | None = None
    kernel_buffer = 0  # what the socket's send buffer holds at most, read once the connection is known

    async def write_with_length(self, writer: Any, content_length: int | None) -> None:
        transport = getattr(writer, "transport", None)
        if isinstance(transport, asyncio.WriteTransport):
            self.transport = transport
            transport.set_write_buffer_limits(high=WRITE_HIGH_WATER)
            self.kernel_buffer = _send_buffer_of(transport)
        await super().write_with_length(writer, content_length)

    def waiting(self) -> int:
        """Bytes written but still in this process's buffers."""
        return self.transport.get_write_buffer_size() if self.transport is not None else 0


def _send_buffer_of(transport: asyncio.WriteTransport) -> int:
    """The socket's send buffer size (the kernel doubles what was asked)."""
    sock = transport.get_extra_info("socket")
    try:
        return int(sock.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)) if sock is not None else 0
    except OSError:
        return 2 * UPLOAD_SEND_BUFFER


async def measure_upload(
    session: aiohttp.ClientSession,
    base_url: str,
    limits: TransferLimits,
    progress: Progress | None = None,
    size: int | None = None,
) -> Measurement:
    """Upload to the probe until the rate settles or a bound is reached (or exactly `size` bytes: a photo).

    Sending stops early enough that what is still queued drains within the time budget, at the rate seen.
    """
    meter = RateMeter()
    handed = 0  # written to the transport
    stopped = "bytes"
    budget = limits.max_bytes if size is None else min(size, limits.max_bytes)

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal handed, meter, stopped
        meter = RateMeter()  # from the body's first byte, as the probe counts
        while handed < budget:
            chunk = BLOCK[: min(UPLOAD_CHUNK, budget - handed)]
            yield chunk
            handed += len(chunk)
            queued = payload.waiting()
            meter.feed(handed - queued)
            if progress is not None:
                progress(min(1.0, meter.elapsed() / limits.max_seconds), meter.rate())
            if size is None and meter.stable():
                stopped = "stable"
                return
            drain_s = (queued + payload.kernel_buffer) * 8 / meter.rate() if size is None and meter.rate() else 0
            if meter.elapsed() + drain_s >= limits.max_seconds:
                stopped = "time"
                return

    payload = _UploadBody(chunks())
    try:
        async with asyncio.timeout(limits.max_seconds + limits.drain_seconds + 3 * limits.stall_seconds):
            async with session.post(f"{base_url}/upload", data=payload) as response:
                _refused(response.status, "upload")
                answer = await asyncio.wait_for(response.json(content_type=None), limits.stall_seconds)
    except TimeoutError:
        raise TransferFault(
            "stalled", f"the upload stood still after {handed} bytes", handed, meter.elapsed()
        ) from None
    except (aiohttp.ClientPayloadError, aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as exc:
        detail = f"the upload was cut after {handed} bytes ({exc})"
        raise TransferFault("cut", detail, handed, meter.elapsed()) from None
    except ValueError:
        detail = "the probe's answer to the upload is not JSON"
        raise TransferFault("invalid", detail, handed, meter.elapsed()) from None
    seconds = meter.elapsed()
    counted = answer.get("received") if isinstance(answer, dict) else None
    if not isinstance(counted, int) or counted < 0 or counted > handed:
        raise TransferFault("invalid", f"the probe counted {counted!r} bytes of the {handed} sent", handed, seconds)
    if counted < handed:
        raise TransferFault("cut", f"the probe received {counted} of the {handed} bytes sent", counted, seconds)
    probe_samples = _probe_samples(answer.get("samples"))
    probe_ms = answer.get("ms")
    if probe_samples and isinstance(probe_ms, int | float) and probe_ms > 0:
        return Measurement("upload", counted, probe_ms / 1000, probe_samples, stopped, counted_by="probe")
    return Measurement("upload", handed, seconds, tuple(meter.samples), stopped)


async def _within(step: Any, limits: TransferLimits, moved: int, meter: RateMeter) -> bytes:
    try:
        return bytes(await asyncio.wait_for(step, limits.stall_seconds))
    except TimeoutError:
        detail = f"nothing arrived for {limits.stall_seconds:g} s after {moved} bytes"
        raise TransferFault("stalled", detail, moved, meter.elapsed()) from None
    except (aiohttp.ClientPayloadError, aiohttp.ClientOSError, ConnectionError) as exc:
        raise TransferFault(
            "cut", f"the transfer was cut after {moved} bytes ({exc})", moved, meter.elapsed()
        ) from None


def _refused(status: int, direction: str) -> None:
    if status in (404, 405, 501):  # a probe deployed before the transfer routes: nothing to measure against
        raise TransferFault("unsupported", f"the probe does not offer the {direction} route (HTTP {status})")
    if status == 429:
        raise TransferFault("busy", f"the probe refused the {direction} for now (HTTP 429: too many transfers)")
    if status != 200:
        raise TransferFault("status", f"the probe answered the {direction} with HTTP {status}")


def _probe_samples(raw: object) -> tuple[RateSample, ...]:
    """The probe's own interval samples of an upload: [[ms since the first byte, bytes so far], …]."""
    if not isinstance(raw, list) or len(raw) < 2:
        return ()
    points: list[tuple[float, int]] = []
    for item in raw[:400]:
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(v, int | float) for v in item)):
            return ()
        points.append((float(item[0]) / 1000, int(item[1])))
    samples = []
    for (t0, b0), (t1, b1) in itertools.pairwise(points):
        if t1 <= t0 or b1 < b0:
            return ()
        if t1 - t0 >= MIN_PROBE_INTERVAL_S:  # the last few bytes' sliver of time is no rate
            samples.append(RateSample(t1, (b1 - b0) * 8 / (t1 - t0)))
    return tuple(samples)
