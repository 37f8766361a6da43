"""Delay, jitter and loss for the lab, in user space (this kernel has no `tc netem`).

Runs on the router. It creates a TUN device; the router's policy routing sends every forwarded packet into
it, and this process writes each packet back after the one-way delay (or drops it), so the kernel forwards
it on to its destination. Each packet crosses the device once per direction, so RTT = 2 × delay.
Packet order is kept (jitter never reorders). Counters go to a JSON stats file, so tests can see the fault.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import json
import os
import random
import signal
import struct

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000


def open_tun(name: str) -> int:
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


class Forwarder:
    def __init__(self, fd: int, delay: float, jitter: float, loss: float, seed: int) -> None:
        self.fd, self.delay, self.jitter, self.loss = fd, delay, jitter, loss
        self.random = random.Random(seed)
        self.loop = asyncio.get_running_loop()
        self.last_due = 0.0
        self.stats = {"forwarded": 0, "dropped": 0}

    def readable(self) -> None:
        while True:
            try:
                packet = os.read(self.fd, 65535)
            except BlockingIOError:
                return
            if self.random.random() < self.loss:
                self.stats["dropped"] += 1
                continue
            spread = self.random.uniform(-self.jitter, self.jitter) if self.jitter else 0.0
            due = max(self.loop.time() + self.delay + spread, self.last_due)  # keep order
            self.last_due = due
            self.loop.call_at(due, self.write, packet)

    def write(self, packet: bytes) -> None:
        try:
            os.write(self.fd, packet)
            self.stats["forwarded"] += 1
        except OSError:
            self.stats["dropped"] += 1


def write_stats(path: str, stats: dict[str, int]) -> None:
    """Replace the stats file atomically, so a reader never sees half of it."""
    with open(path + ".tmp", "w", encoding="utf-8") as handle:
        json.dump(stats, handle)
    os.replace(path + ".tmp", path)


async def run(args: argparse.Namespace) -> None:
    fd = open_tun(args.dev)
    forwarder = Forwarder(fd, args.delay_ms / 1000, args.jitter_ms / 1000, args.loss, args.seed)
    loop = asyncio.get_running_loop()
    loop.add_reader(fd, forwarder.readable)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    while not stop.is_set():
        write_stats(args.stats, forwarder.stats)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)
    write_stats(args.stats, forwarder.stats)
    loop.remove_reader(fd)
    os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dev", required=True)
    parser.add_argument("--delay-ms", type=float, required=True, help="one-way delay (RTT / 2)")
    parser.add_argument("--jitter-ms", type=float, default=0.0)
    parser.add_argument("--loss", type=float, default=0.0, help="probability of dropping each packet")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--stats", required=True, help="JSON file the counters are written to")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
