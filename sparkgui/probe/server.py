"""Running the probe: in-process for tests and benches (`start_probe`), or as a service (`serve`)."""

from __future__ import annotations

import asyncio
import asyncio.sslproto
import logging
import signal
import ssl

from aiohttp import web

from sparkgui.core.net.listening import ClosingRunner
from sparkgui.probe.app import ProbeConfig, make_app

log = logging.getLogger("sparkgui.probe")
SHUTDOWN_SECONDS = 5.0  # how long open connections get to close after SIGTERM
# A crowd scanning the QR code at once: 128 pending handshakes overflowed (bench/probe_capacity.py --batch 2500).
BACKLOG = 1024
TLS_READ_BUFFER = 16 * 1024  # the largest TLS record; asyncio's default of 256 KiB per connection is resident
SPARE_DESCRIPTORS = 64  # log files, the listening sockets, Redis, a TLS handshake or two


async def start_probe(
    host: str = "127.0.0.1",
    port: int = 0,
    ssl_context: ssl.SSLContext | None = None,
    config: ProbeConfig | None = None,
    shutdown_timeout: float = SHUTDOWN_SECONDS,
) -> tuple[web.AppRunner, int]:
    """Start the probe on `host:port` (0 picks a free port); returns the runner (to `cleanup()`) and the port."""
    runner = ClosingRunner(make_app(config), access_log=None, shutdown_timeout=shutdown_timeout)
    await runner.setup()
    try:
        bound = await runner.serve(host, port, ssl_context, BACKLOG)
    except BaseException:
        await runner.cleanup()
        raise
    return runner, bound


def prepare_process(max_connections: int, tls: bool) -> None:
    """Make this process fit for thousands of connections: descriptors, and TLS memory per connection.

    Python's asyncio keeps a 256 KiB read buffer per TLS connection (1.5 GB for 5,000 idle WebSockets,
    measured by bench/probe_capacity.py --tls); 16 KiB, one TLS record, brings that to about 290 MB.
    Running out of descriptors makes asyncio's accept loop spin at full CPU: raise the soft limit to the
    hard one, and say so when even that is short of max_connections.
    """
    if tls and hasattr(asyncio.sslproto.SSLProtocol, "max_size"):
        asyncio.sslproto.SSLProtocol.max_size = TLS_READ_BUFFER
    try:
        import resource
    except ImportError:  # Windows: no descriptor limit to raise
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = max_connections + SPARE_DESCRIPTORS
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(hard, wanted)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    if soft != resource.RLIM_INFINITY and soft < wanted:
        log.warning(
            "open files limited to %d, below max_connections %d + %d: raise LimitNOFILE or ulimit -n",
            soft,
            max_connections,
            SPARE_DESCRIPTORS,
        )


async def serve(host: str, port: int, ssl_context: ssl.SSLContext | None, config: ProbeConfig) -> None:
    """Serve until SIGTERM or SIGINT, then close every WebSocket with 1001 and exit."""
    prepare_process(config.max_connections, ssl_context is not None)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    runner, bound = await start_probe(host, port, ssl_context, config)
    scheme = "https" if ssl_context else "http"
    shown = f"[{host}]" if ":" in host else host
    log.info("listening on %s://%s:%d (WebSocket echo at /ws)", scheme, shown, bound)
    try:
        await stop.wait()
        log.info("stopping: closing open connections")
    finally:
        await runner.cleanup()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
    log.info("stopped")
