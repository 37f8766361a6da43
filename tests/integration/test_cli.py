"""The real `sparkgui --headless` command against loopback servers: progress, summary, JSON, exit status."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.servers.dns_server import NXDOMAIN, DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port, start_https
from tests.support import Ep, profile_toml, run, validate_report


async def sparkgui(*args: str, stderr_tty: bool = False, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the installed CLI as a user would, with a deadline; `env` adds to the environment ("" removes)."""
    master = slave = None
    if stderr_tty:
        master, slave = os.openpty()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "sparkgui",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=slave if slave is not None else asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
        env=_environment(env or {}),
    )
    try:
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    finally:
        if slave is not None:
            os.close(slave)
    err = stderr.decode() if stderr else ""
    if master is not None:
        err = _drain(master)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), err


def _environment(changes: dict[str, str]) -> dict[str, str]:
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    for name, value in changes.items():
        if value:
            env[name] = value
        else:
            env.pop(name, None)
    return env


def _drain(fd: int) -> str:
    chunks = []
    os.set_blocking(fd, False)
    try:
        while True:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
    except (BlockingIOError, OSError):
        pass
    finally:
        os.close(fd)
    return b"".join(chunks).decode(errors="replace")


async def _cli_against(
    tmp_path: Path,
    pki: LoopbackPki,
    endpoints: Sequence[tuple[str, str]],
    *args: str,
    expected_issuers: Sequence[str] = ("sparkgui test CA",),
    stderr_tty: bool = False,
    env: dict[str, str] | None = None,
) -> tuple[int, str, str]:
    """Start one HTTPS server, give each endpoint name a behaviour ('ok', 'nxdomain', 'refused'), run the CLI."""
    runner, port = await start_https(pki.server_context(*[name for name, _ in endpoints]))
    zone: dict[str, list[str] | str] = {}
    eps = []
    for name, behaviour in endpoints:
        zone[name] = NXDOMAIN if behaviour == "nxdomain" else ["127.0.0.1"]
        eps.append(Ep(name, closed_port() if behaviour == "refused" else port))
    dns = await DnsServer(zone).start()
    profile = tmp_path / "profile.toml"
    profile.write_text(profile_toml(eps, expected_issuers=expected_issuers), encoding="utf-8")
    try:
        return await sparkgui(
            "--headless", "--profile", str(profile), "--resolver", dns.address, *args, stderr_tty=stderr_tty, env=env
        )
    finally:
        await runner.cleanup()
        await dns.stop()


def test_ready_network_exits_0_and_writes_a_valid_report(tmp_path: Path, pki: LoopbackPki) -> None:
    report_path = tmp_path / "report.json"
    code, out, err = run(
        _cli_against(tmp_path, pki, [("app.test", "ok"), ("studio.test", "ok")], "--json", str(report_path))
    )
    assert code == 0, out + err
    assert "This network is ready for Test platform." in out
    assert "SHA-256" in out
    report = json.loads(report_path.read_text())
    validate_report(report)
    assert report["verdict"] == "ready"
    hosts = {c["target"].split(":")[0] for c in report["checks"] if c["kind"] != "proxy"}
    assert hosts == {"app.test", "studio.test"}
    assert report["environment"]["resolvers"][0].startswith("127.0.0.1:")
    assert "PASS dns:app.test" in err  # plain progress lines when stderr is not a terminal
    assert "\x1b[" not in err
    assert not list(tmp_path.glob("*.part"))


def test_not_ready_network_exits_2_with_json_on_stdout(tmp_path: Path, pki: LoopbackPki) -> None:
    code, out, err = run(
        _cli_against(
            tmp_path, pki, [("app.test", "ok"), ("gone.test", "nxdomain"), ("closed.test", "refused")], "--json", "-"
        )
    )
    assert code == 2, err
    report = json.loads(out)  # stdout is the report alone
    validate_report(report)
    causes = {c["id"]: c["cause"] for c in report["checks"]}
    assert causes["dns:gone.test"] == "dns.nxdomain"
    assert [cause for cid, cause in causes.items() if cid.startswith("tcp:closed.test")] == ["tcp.refused"]
    assert "Not ready: the venue's DNS does not find Test platform, and 1 more problem to fix." in err
    assert "What to ask the venue's IT:" in err and "*.test — TCP 443" in err


def test_warnings_exit_1(tmp_path: Path, pki: LoopbackPki) -> None:
    code, out, err = run(_cli_against(tmp_path, pki, [("app.test", "ok")], expected_issuers=["Amazon"]))
    assert code == 1, out + err
    assert "tls.intercepted" in out


def test_live_progress_on_a_terminal(tmp_path: Path, pki: LoopbackPki) -> None:
    code, out, err = run(_cli_against(tmp_path, pki, [("app.test", "ok")], stderr_tty=True))
    assert code == 0, out + err
    assert "\r\x1b[2K" in err and "\x1b[32mPASS\x1b[0m" in err


def test_no_color_keeps_the_live_line_but_drops_the_colours(tmp_path: Path, pki: LoopbackPki) -> None:
    code, out, err = run(_cli_against(tmp_path, pki, [("app.test", "ok")], stderr_tty=True, env={"NO_COLOR": "1"}))
    assert code == 0, out + err
    assert "\r\x1b[2K" in err and "PASS" in err
    assert "\x1b[3" not in err and "\x1b[0m" not in err


def test_a_dumb_terminal_gets_plain_lines(tmp_path: Path, pki: LoopbackPki) -> None:
    code, out, err = run(_cli_against(tmp_path, pki, [("app.test", "ok")], stderr_tty=True, env={"TERM": "dumb"}))
    assert code == 0, out + err
    assert "PASS" in err and "\x1b" not in err and "\r" not in err.replace("\r\n", "\n")


def test_bad_profile_exits_3_with_a_message_not_a_traceback(tmp_path: Path) -> None:
    profile = tmp_path / "venue.toml"
    profile.write_text('schema = 1\nname = "x"\n[[endpoint]]\nhost = "app..sparkup"\n', encoding="utf-8")
    code, out, err = run(sparkgui("--headless", "--profile", str(profile)))
    assert code == 3
    assert 'venue.toml: endpoint[1].host: "app..sparkup" is not a valid host name' in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--headless", "--bogus"], "unrecognized arguments: --bogus"),
        (["--headless", "--hold", "abc"], "expected a number of seconds"),
        (["--headless", "--lang", "de"], "invalid choice"),
        (["--headless", "--proxy", "http://p:3128", "--no-proxy"], "not allowed with argument"),
        (["--headless", "--profile", "/nonexistent/p.toml"], "no such file; check the path"),
        (["--headless", "--resolver", "dns.example"], "not an IP address"),
        (["--headless", "--json", "/nonexistent-folder/r.json"], "does not exist"),
    ],
)
def test_bad_usage_exits_3(args: list[str], message: str) -> None:
    code, out, err = run(sparkgui(*args))
    assert code == 3, out + err
    assert message in err
    assert "Traceback" not in err


def test_version() -> None:
    code, out, _ = run(sparkgui("--version"))
    assert code == 0 and out.startswith("sparkgui ")
