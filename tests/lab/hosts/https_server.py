"""A lab web host, run as its own process inside a namespace (`ip netns exec NS python https_server.py …`).

Role `platform` with `--http-only`: the platform's port 80, which redirects HTTP to HTTPS (the real probe
server, `python -m sparkgui.probe`, serves the platform's HTTPS and WebSocket on 443).
Role `portal`: a captive portal; every HTTP and HTTPS request is redirected to its login page, and its
certificate is its own (it cannot hold the platform's).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import ssl

from aiohttp import web

PORTAL_LOGIN = "http://portal.lab.test/login"


def build_app(role: str, secure: bool) -> web.Application:
    async def platform(request: web.Request) -> web.StreamResponse:
        if not secure:
            raise web.HTTPMovedPermanently(f"https://{request.host}{request.path_qs}")
        return web.Response(text="<html><title>Sparkup lab platform</title>ok</html>", content_type="text/html")

    async def portal(request: web.Request) -> web.StreamResponse:
        if request.host.split(":")[0] == "portal.lab.test" and request.path == "/login":
            return web.Response(text="<html><title>Venue Wi-Fi login</title></html>", content_type="text/html")
        raise web.HTTPFound(f"{PORTAL_LOGIN}?origin={request.host}")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", platform if role == "platform" else portal)
    return app


async def serve(args: argparse.Namespace) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    if not args.http_only:
        context.load_cert_chain(args.cert)
    runners: list[web.AppRunner] = []
    sites = ((False, args.http_port),) if args.http_only else ((True, args.https_port), (False, args.http_port))
    for secure, port in sites:
        runner = web.AppRunner(build_app(args.role, secure), access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        runners.append(runner)
        for host in args.bind:  # one site per family: asyncio makes IPv6 sockets IPv6-only
            await web.TCPSite(runner, host, port, ssl_context=context if secure else None).start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print("ready", flush=True)
    await stop.wait()
    for runner in runners:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", choices=("platform", "portal"), required=True)
    parser.add_argument("--cert", help="PEM file with the private key and the certificate chain")
    parser.add_argument("--http-only", action="store_true", help="serve only plain HTTP (port 80)")
    parser.add_argument("--bind", action="append", default=[], help="address to listen on (repeatable)")
    parser.add_argument("--https-port", type=int, default=443)
    parser.add_argument("--http-port", type=int, default=80)
    args = parser.parse_args()
    if not args.http_only and not args.cert:
        parser.error("give --cert (or --http-only)")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()
