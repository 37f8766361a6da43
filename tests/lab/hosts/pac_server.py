"""The venue's PAC file server, run on the proxy host: serves the files of one folder over plain HTTP, with
the PAC media type, as a WPAD or intranet web server does."""

from __future__ import annotations

import argparse
import asyncio
import signal
from pathlib import Path

from aiohttp import web

PAC_TYPE = "application/x-ns-proxy-autoconfig"


def build_app(folder: Path) -> web.Application:
    async def serve_file(request: web.Request) -> web.StreamResponse:
        path = (folder / request.match_info["name"]).resolve()
        if path.parent != folder.resolve() or not path.is_file():
            raise web.HTTPNotFound()
        print(f"served {path.name} to {request.remote}", flush=True)
        return web.Response(body=path.read_bytes(), content_type=PAC_TYPE)

    app = web.Application()
    app.router.add_get("/{name}", serve_file)
    return app


async def serve(args: argparse.Namespace) -> None:
    runner = web.AppRunner(build_app(Path(args.folder)), access_log=None, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, args.bind, args.port).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", required=True, help="folder whose files are served")
    parser.add_argument("--bind", required=True, help="address to listen on")
    parser.add_argument("--port", type=int, required=True)
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
