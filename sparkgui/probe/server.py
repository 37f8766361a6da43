"""Running the probe: in-process for tests and benches (`start_probe`), or as a service (`serve`)."""

from __future__ import annotations

import asyncio
import logging
import signal
import ssl

from aiohttp import web

from sparkgui.core.net.listening import ClosingRunner
from sparkgui.probe.app import ProbeConfig, make_app

log = logging.getLogger("sparkgui.probe")
SHUTDOWN_SECONDS = 5.0  # how long open connections get to close after SIGTERM


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
        bound = await runner.serve(host, port, ssl_context)
    except BaseException:
        await runner.cleanup()
        raise
    return runner, bound


async def serve(host: str, port: int, ssl_context: ssl.SSLContext | None, config: ProbeConfig) -> None:
    """Serve until SIGTERM or SIGINT, then close every WebSocket with 1001 and exit."""
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
