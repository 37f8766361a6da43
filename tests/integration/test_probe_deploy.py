"""The probe as a deployed service: settings from a TOML file, then SPARKGUI_PROBE_* variables, then options;
JSON-lines access logs that never hold a whole client address; bad settings refused with where they came from.
The service itself runs as a real subprocess on loopback."""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from sparkgui.probe.logs import masked
from sparkgui.probe.settings import ProbeSettings, SettingsError, load_settings
from tests.support import run

ROOT = Path(__file__).resolve().parents[2]


def test_the_file_then_the_environment_then_the_options(tmp_path: Path) -> None:
    config = tmp_path / "probe.toml"
    config.write_text('host = "0.0.0.0"\nport = 8443\nmax_connections = 100\nlog_format = "json"\n')
    environ = {"SPARKGUI_PROBE_PORT": "9443", "SPARKGUI_PROBE_MAX_TRANSFER_BYTES": "1000000", "HOME": "/root"}
    settings = load_settings(str(config), environ, {"max_connections": 7, "host": None})
    assert load_settings(None, {}, {"host": ""}).host == ""  # every address, as the network lab asks
    assert settings == ProbeSettings(
        host="0.0.0.0", port=9443, max_connections=7, max_transfer_bytes=1_000_000, log_format="json"
    )
    assert settings.config().transfers.max_transfer_bytes == 1_000_000
    sessions = load_settings(
        None, {"SPARKGUI_PROBE_REDIS_URL": "redis://10.0.0.5:6379/0", "SPARKGUI_PROBE_TEST_HOLD": "90"}, {}
    ).config()
    assert sessions.redis_url == "redis://10.0.0.5:6379/0" and sessions.test_page.hold_seconds == 90
    assert sessions.sessions.ttl_seconds == 24 * 3600


@pytest.mark.parametrize(
    ("text", "environ", "message"),
    [
        ("port = 99999\n", {}, "probe.toml: port: expected a TCP port from 0 to 65535, got 99999"),
        ("prot = 443\n", {}, "probe.toml: prot: unknown setting"),
        ("port = [\n", {}, "probe.toml: is not valid TOML"),
        ("", {"SPARKGUI_PROBE_MAX_CONNECTIONS": "lots"}, "SPARKGUI_PROBE_MAX_CONNECTIONS: expected a whole number"),
        ("", {"SPARKGUI_PROBE_LOG_FORMAT": "xml"}, "SPARKGUI_PROBE_LOG_FORMAT: expected one of text, json"),
        ('cert = "/etc/probe/cert.pem"\n', {}, "give both a certificate and a key"),
        ('redis_url = "10.0.0.5:6379"\n', {}, "probe.toml: redis_url: expected a Redis URL (redis://host:6379/0"),
        ("", {"SPARKGUI_PROBE_SESSION_HOURS": "0"}, "SPARKGUI_PROBE_SESSION_HOURS: expected a number above 0"),
        ("session_hours = nan\n", {}, "probe.toml: session_hours: expected a number above 0 and at most"),
        ("", {"SPARKGUI_PROBE_TEST_HOLD": "inf"}, "SPARKGUI_PROBE_TEST_HOLD: expected a number above 0"),
        ('redis_url = "redis://127.0.0.1:notaport/0"\n', {}, "is not a usable Redis URL"),
    ],
)
def test_bad_settings_name_where_they_came_from(
    tmp_path: Path, text: str, environ: dict[str, str], message: str
) -> None:
    config = tmp_path / "probe.toml"
    config.write_text(text)
    with pytest.raises(SettingsError) as caught:
        load_settings(str(config), environ, {})
    assert message in str(caught.value)


def test_a_missing_config_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="no such file; check the path given to --config"):
        load_settings(str(tmp_path / "nope.toml"), {}, {})


def test_addresses_are_masked_to_their_network() -> None:
    assert masked("203.0.113.7") == "203.0.113.0/24"
    assert masked("2001:db8:1:2::7") == "2001:db8:1::/48"
    assert masked("::ffff:198.51.100.9") == "198.51.100.0/24"
    assert masked("fe80::1%eth0") == "fe80::/48"
    assert masked(None) == "?" and masked("not an address") == "?"


def test_the_service_reads_its_environment_and_logs_json_lines_without_whole_addresses(tmp_path: Path) -> None:
    config = tmp_path / "probe.toml"
    config.write_text('host = "127.0.0.1"\nport = 0\n')
    environ = {**os.environ, "SPARKGUI_PROBE_LOG_FORMAT": "json", "SPARKGUI_PROBE_MAX_TRANSFER_BYTES": "200000"}

    async def scenario() -> list[dict[str, object]]:
        process = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "sparkgui.probe", "--config", str(config)),
            stderr=asyncio.subprocess.PIPE,
            stdin=asyncio.subprocess.DEVNULL,
            env=environ,
            cwd=ROOT,
        )
        assert process.stderr is not None
        try:
            async with asyncio.timeout(15):
                first = json.loads(await process.stderr.readline())
            match = re.search(r"http://127\.0\.0\.1:(\d+)", str(first["message"]))
            assert match, first
            base = f"http://127.0.0.1:{match.group(1)}"
            async with aiohttp.ClientSession() as session:
                async with session.get(f"{base}/download?bytes=100000") as answer:
                    assert answer.status == 200 and len(await answer.read()) == 100_000
                async with session.get(f"{base}/download?bytes=300000") as answer:
                    assert answer.status == 413  # the variable's cap, not the default 25 MB
                async with session.ws_connect(f"{base}/ws") as ws:
                    await ws.send_str("hello")
                    assert (await ws.receive(timeout=2)).data == "hello"
            process.send_signal(signal.SIGTERM)
            async with asyncio.timeout(10):
                rest = (await process.stderr.read()).decode()
                await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
        return [first, *(json.loads(line) for line in rest.splitlines() if line.strip())]

    entries = run(scenario(), timeout=40)
    events = {str(entry["event"]): entry for entry in entries}
    assert events["download"]["peer"] == "127.0.0.0/24" and events["download"]["bytes"] == "100000"
    assert events["ws"]["peer"] == "127.0.0.0/24" and events["ws"]["messages"] == "1"
    assert all({"ts", "level", "event"} <= set(entry) for entry in entries)
    assert "127.0.0.1" not in json.dumps([e for e in entries if e["event"] in ("ws", "download")])


def test_the_service_raises_its_open_files_limit_and_trims_tls_buffers() -> None:
    """5,000 WebSockets need 5,000 descriptors (out of them, asyncio's accept loop spins at full CPU) and
    asyncio's 256 KiB TLS buffer each would take 1.5 GB: bench/probe_capacity.py measured both."""
    script = (
        "import asyncio.sslproto, resource, logging\n"
        "logging.basicConfig(level=logging.WARNING)\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))\n"
        "from sparkgui.probe.server import prepare_process\n"
        "prepare_process(5000, tls=True)\n"
        "print(resource.getrlimit(resource.RLIMIT_NOFILE)[0], asyncio.sslproto.SSLProtocol.max_size)\n"
        "prepare_process(10**9, tls=False)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    soft, buffer = map(int, done.stdout.split())
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    assert soft == min(hard, 5064) and buffer == 16 * 1024
    assert "open files limited to" in done.stderr and "raise LimitNOFILE or ulimit -n" in done.stderr


def test_listening_on_double_colon_takes_ipv4_too() -> None:
    import socket

    from sparkgui.core.net.listening import bound_port, listening_sockets

    (server,) = listening_sockets("::", 0)
    try:
        with socket.create_connection(("127.0.0.1", bound_port(server)), timeout=2):
            pass  # accepted by the one dual-stack socket
    finally:
        server.close()


def test_the_web_librarys_own_lines_carry_no_whole_address_and_no_client_bytes() -> None:
    import io
    import logging

    from sparkgui.probe.logs import JsonLines, LibraryRecords

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(LibraryRecords())
    handler.setFormatter(JsonLines())
    record = logging.LogRecord("aiohttp.server", logging.ERROR, __file__, 1, "Error handling request from %s",
                               ("203.0.113.7",), None)  # fmt: skip
    try:
        raise ValueError("Got more than 8190 bytes when reading: b'/test?s=W4IeJ4Yg-Gr5LfCCDoHiaA'")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    handler.handle(record)  # as logging does: the filters first
    line = json.loads(stream.getvalue())
    assert line == {"ts": line["ts"], "level": "error", "event": "request_error", "peer": "203.0.113.0/24",
                    "error": "ValueError"}  # fmt: skip
