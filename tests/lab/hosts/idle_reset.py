"""A middlebox with a short idle timeout that resets, run on the router: it receives the client's HTTPS
connections (nftables redirects them here), relays them to their original destination, and once a
connection has carried no byte in either direction for `--idle` seconds it resets both sides (RST), as a
firewall or load balancer whose idle timer expired and that says so.

Bytes are relayed untouched (TLS passes through); any byte restarts the connection's idle clock.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import struct
import time

from sni_filter import original_destination, serve_until_stopped  # run as a script: its own folder is on sys.path

CONNECT_TIMEOUT = 5.0


class IdleReset:
    def __init__(self, idle_s: float) -> None:
        self.idle_s = idle_s

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            destination = original_destination(writer.get_extra_info("socket"))
            async with asyncio.timeout(CONNECT_TIMEOUT):
                up_reader, up_writer = await asyncio.open_connection(*destination)
        except (OSError, TimeoutError):
            writer.transport.abort()
            return
        last = time.monotonic()

        async def pump(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            nonlocal last
            while chunk := await source.read(65536):
                last = time.monotonic()
                sink.write(chunk)
                await sink.drain()
            raise ConnectionError("one side closed")

        async def watch() -> None:
            while True:  # sleep until the idle deadline; a byte in the meantime moves it on
                due = last + self.idle_s
                if time.monotonic() >= due:
                    break
                await asyncio.sleep(due - time.monotonic())
            idle = time.monotonic() - last
            print(f"reset {destination[0]}:{destination[1]} after {idle:.1f} s idle", flush=True)
            for side in (writer, up_writer):
                with contextlib.suppress(OSError):
                    side.get_extra_info("socket").setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                    )  # close = RST
            raise ConnectionError("idle timeout")

        try:
            async with asyncio.TaskGroup() as group:  # the first to end (a close, the reset) ends the others
                for job in (pump(reader, up_writer), pump(up_reader, writer), watch()):
                    group.create_task(job)
        except* (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()
            up_writer.transport.abort()


async def serve(port: int, idle_s: float) -> None:
    await serve_until_stopped(IdleReset(idle_s).handle, port)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--idle", type=float, required=True, help="seconds without a byte before the reset")
    args = parser.parse_args()
    asyncio.run(serve(args.port, args.idle))


if __name__ == "__main__":
    main()
