"""`python -m sparkgui.probe --host H --port P [--cert C --key K]`: run the probe server as a service."""

from __future__ import annotations

import argparse
import asyncio
import logging
import ssl
import sys

from sparkgui.probe.app import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_MESSAGE_BYTES, ProbeConfig
from sparkgui.probe.server import serve


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser; its `--help` lists the endpoints and every option."""
    parser = argparse.ArgumentParser(
        prog="python -m sparkgui.probe",
        description="The reference probe server for sparkgui: GET /healthz (204), GET / (a page), "
        "/ws (WebSocket echo). Stops cleanly on SIGTERM.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8443, help="TCP port (default 8443; 0 picks a free one)")
    parser.add_argument("--cert", metavar="FILE", help="TLS certificate chain (PEM); with --key, serve HTTPS/WSS")
    parser.add_argument("--key", metavar="FILE", help="TLS private key (PEM)")
    parser.add_argument(
        "--heartbeat", metavar="SECONDS", type=_positive, help="send a ping to each WebSocket client this often"
    )
    parser.add_argument(
        "--max-message",
        metavar="BYTES",
        type=int,
        default=DEFAULT_MAX_MESSAGE_BYTES,
        help=f"largest accepted message (default {DEFAULT_MAX_MESSAGE_BYTES}); bigger ones close with 1009",
    )
    parser.add_argument(
        "--max-connections",
        metavar="N",
        type=int,
        default=DEFAULT_MAX_CONNECTIONS,
        help=f"open WebSockets at most (default {DEFAULT_MAX_CONNECTIONS}); more get HTTP 503",
    )
    return parser


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a TCP port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a TCP port from 0 to 65535, got {value}")
    return value


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number of seconds, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected seconds above 0, got {text}")
    return value


def main(argv: list[str] | None = None) -> int:
    """Run the probe server from the command line until it is stopped; return 1 when it cannot listen."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if bool(args.cert) != bool(args.key):
        parser.error("give both --cert and --key to serve TLS, or neither for plain HTTP behind a TLS proxy")
    if args.max_message < 1 or args.max_connections < 1:
        parser.error("--max-message and --max-connections must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s", stream=sys.stderr)
    context = None
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(args.cert, args.key)
        except (OSError, ssl.SSLError) as exc:
            parser.error(f"cannot load the certificate or key ({exc}); check --cert and --key")
    config = ProbeConfig(
        heartbeat_seconds=args.heartbeat, max_message_bytes=args.max_message, max_connections=args.max_connections
    )
    try:
        asyncio.run(serve(args.host, args.port, context, config))
    except OSError as exc:
        print(f"sparkgui.probe: cannot listen on {args.host}:{args.port} ({exc.strerror or exc})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
