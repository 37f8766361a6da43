"""`sparkgui --headless --hold SECONDS` and `--long-hold` against the probe server on loopback."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from sparkgui.probe import start_probe
from tests.integration.test_cli import sparkgui
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki
from tests.support import Ep, profile_toml, run, validate_report
from tests.ws_support import WS_HOST, ws_profile_toml


async def _cli_with_probe(tmp_path: Path, pki: LoopbackPki, *args: str, **section: float) -> tuple[int, str, str]:
    runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    profile = tmp_path / "profile.toml"
    profile.write_text(ws_profile_toml(port, **section), encoding="utf-8")
    try:
        return await sparkgui("--headless", "--profile", str(profile), "--resolver", dns.address, *args)
    finally:
        await dns.stop()
        await runner.cleanup()


def _hold_check(report_path: Path) -> dict[str, Any]:
    report = json.loads(report_path.read_text())
    validate_report(report)
    return next(c for c in report["checks"] if c["kind"] == "ws-hold")


def test_hold_option_overrides_the_profile(tmp_path: Path, pki: LoopbackPki) -> None:
    report_path = tmp_path / "report.json"
    began = time.perf_counter()
    code, out, err = run(
        _cli_with_probe(tmp_path, pki, "--hold", "2", "--json", str(report_path), hold=60, heartbeat=0.5)
    )
    elapsed = time.perf_counter() - began
    assert code == 0, out + err
    hold = _hold_check(report_path)
    assert hold["status"] == "pass" and hold["id"].startswith(f"ws-hold:wss://{WS_HOST}:")
    evidence = hold["evidence"]
    assert evidence["hold_s"] == 2 and 2 <= evidence["held_s"] < 3
    assert "PASS ws:wss://" in err and "PASS ws-hold:wss://" in err
    assert elapsed < 30  # 2 s, not the profile's 60


def test_long_hold_uses_the_profiles_long_hold_seconds(tmp_path: Path, pki: LoopbackPki) -> None:
    report_path = tmp_path / "report.json"
    code, out, err = run(
        _cli_with_probe(
            tmp_path, pki, "--long-hold", "--lang", "fr", "--json", str(report_path), hold=60, long_hold=1.5
        )
    )
    assert code == 0, out + err
    hold = _hold_check(report_path)
    assert hold["evidence"]["hold_s"] == 1.5
    assert "sont restés ouverts" in str(hold["summary"])  # rendered in French


def test_hold_without_a_websocket_in_the_profile_is_bad_usage(tmp_path: Path) -> None:
    profile = tmp_path / "no-ws.toml"
    profile.write_text(profile_toml([Ep("app.test", 443)]), encoding="utf-8")
    code, out, err = run(sparkgui("--headless", "--profile", str(profile), "--hold", "5"))
    assert code == 3, out + err
    assert "--hold: the profile " in err and "no-ws.toml has no [websocket] section" in err
