"""`python -m sparkgui.probe [--config FILE] [--host H --port P --cert C --key K …]`: the probe as a service."""

from __future__ import annotations

import argparse
import asyncio
import os
import ssl
import sys
from collections.abc import Mapping

from sparkgui.probe.app import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_MESSAGE_BYTES
from sparkgui.probe.logs import start_logging
from sparkgui.probe.server import serve
from sparkgui.probe.settings import LOG_FORMATS, SettingsError, load_settings, seconds_setting


def build_parser() -> argparse.ArgumentParser:
    """Return the command-line parser; its `--help` lists the endpoints, every option and the variables."""
    parser = argparse.ArgumentParser(
        prog="python -m sparkgui.probe",
        description="The reference probe server for sparkgui: GET /healthz (204), GET / (a page), /ws "
        "(WebSocket echo), GET /whoami, GET /download?bytes=N and POST /upload (bounded speed tests), "
        "GET /test (the browser test link), /sessions (attendee sessions), GET /profile.toml and /profile.toml.sig. "
        "Stops cleanly on SIGTERM.",
        epilog="Settings come from --config FILE (TOML, the same keys with underscores: port = 443), then "
        "SPARKGUI_PROBE_<KEY> variables (SPARKGUI_PROBE_PORT=443), then these options; each overrides the "
        "one before. Logs go to stderr; client addresses are logged masked (/24, /48).",
    )
    parser.add_argument("--config", metavar="FILE", help="read the settings from this TOML file first")
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1; '' for every address)")
    parser.add_argument("--port", type=_port, help="TCP port (default 8443; 0 picks a free one)")
    parser.add_argument("--cert", metavar="FILE", help="TLS certificate chain (PEM); with --key, serve HTTPS/WSS")
    parser.add_argument("--key", metavar="FILE", help="TLS private key (PEM)")
    parser.add_argument(
        "--heartbeat", metavar="SECONDS", type=_positive, help="send a ping to each WebSocket client this often"
    )
    parser.add_argument(
        "--max-message",
        metavar="BYTES",
        type=int,
        help=f"largest accepted message (default {DEFAULT_MAX_MESSAGE_BYTES}); bigger ones close with 1009",
    )
    parser.add_argument(
        "--max-connections",
        metavar="N",
        type=int,
        help=f"open WebSockets at most (default {DEFAULT_MAX_CONNECTIONS}); more get HTTP 503",
    )
    parser.add_argument(
        "--max-connections-per-address",
        metavar="N",
        type=int,
        help="open WebSockets at most from one address (default half of --max-connections); more get HTTP 429",
    )
    parser.add_argument(
        "--max-transfer-bytes", metavar="BYTES", type=int, help="largest speed-test transfer (default 25000000)"
    )
    parser.add_argument("--profile", metavar="FILE", help="publish this profile (signed as FILE.sig) at /profile.toml")
    parser.add_argument("--redis-url", metavar="URL", help="keep attendee sessions in Redis, shared by several probes")
    parser.add_argument("--session-hours", metavar="H", type=_positive, help="attendee sessions expire after (24)")
    parser.add_argument("--test-hold", metavar="SECONDS", type=_positive, help="the test page's hold (default 60)")
    parser.add_argument(
        "--test-heartbeat", metavar="SECONDS", type=_positive, help="the test page's heartbeat (default 25)"
    )
    parser.add_argument(
        "--trusted-proxies",
        metavar="NETWORKS",
        help="the load balancer's networks (10.0.0.0/8,fd00::/8): the client's address comes from their "
        "X-Forwarded-For",
    )
    parser.add_argument("--log-format", choices=LOG_FORMATS, help="text (default) or json: one JSON object a line")
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
        return seconds_setting(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    """Run the probe server until it is stopped; return 1 when it cannot listen, 2 on bad settings."""
    parser = build_parser()
    args = parser.parse_args(argv)
    options = {key: value for key, value in vars(args).items() if key != "config"}
    try:
        settings = load_settings(args.config, os.environ if environ is None else environ, options)
    except SettingsError as exc:
        parser.error(str(exc))
    start_logging(settings.log_format)
    context = None
    if settings.cert and settings.key:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        try:
            context.load_cert_chain(settings.cert, settings.key)
        except (OSError, ssl.SSLError) as exc:
            parser.error(f"cannot load the certificate or key ({exc}); check cert and key")
    try:
        config = settings.config()
    except ValueError as exc:
        parser.error(f"{exc}; check profile")
    try:
        asyncio.run(serve(settings.host, settings.port, context, config))
    except OSError as exc:
        print(
            f"sparkgui.probe: cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc})",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
