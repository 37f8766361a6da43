"""The platform's requirements one by one, from real runs against the real probe over TLS on loopback: a short
hold leaves the 10-minute requirement "not tested" with the action that completes it, and a ready verdict says
what it proved; a hold as long as the requirement proves it; a blocked port fails HTTPS and leaves the rest
untested. The probe's /whoami gives the public address the report quotes."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sparkgui.app.session import RunRequest, Session, SessionOutcome
from sparkgui.core.events import NullSink
from sparkgui.probe import start_probe
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port
from tests.support import Ep, loopback_network, make_profile, run, validate_report
from tests.ws_support import WS_HOST, websocket_section


async def _session(pki: LoopbackPki, *, long_hold: bool, blocked: bool = False) -> SessionOutcome:
    runner, port = await start_probe(ssl_context=pki.server_context(WS_HOST), shutdown_timeout=0.5)
    dns = await DnsServer({WS_HOST: ["127.0.0.1"]}).start()
    try:
        endpoint_port = closed_port() if blocked else port
        extra = websocket_section(port, hold=1, long_hold=2, heartbeat=0.5)
        written = make_profile([Ep(WS_HOST, endpoint_port, "/healthz")], extra=extra)
        # The endpoint is the platform's probe (`probe = true`): it also says which address it sees.
        profile = replace(written, endpoints=tuple(replace(e, probe=True) for e in written.endpoints))
        request = RunRequest(profile, loopback_network(dns.port), long_hold=long_hold)
        return await Session(request, NullSink()).execute()
    finally:
        await dns.stop()
        await runner.cleanup()


def _by_kind(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["kind"]: r for r in report["requirements"]}


def test_a_short_hold_leaves_the_long_requirement_untested_and_says_so(pki: LoopbackPki) -> None:
    session = run(_session(pki, long_hold=False))
    report = session.report("en")
    validate_report(report)
    wanted = _by_kind(report)
    assert report["verdict"] in ("ready", "ready_with_warnings")
    assert (wanted["dns"]["status"], wanted["https"]["status"], wanted["proxy"]["status"]) == ("met",) * 3
    websocket = wanted["websocket"]
    assert websocket["status"] == "not_tested" and websocket["action"] == "Run the 2-second test"
    assert any(check.startswith("ws-hold:") for check in websocket["checks"])
    sentence = session.sentence().render("en")
    assert "Proven: 3 of 4 requirements; not tested yet: WebSockets stay open at least 2 seconds." in sentence
    assert "Proven : 3 sur 4" not in session.sentence().render("fr")  # French typography: a no-break space
    assert "Exigences prouvées\u00a0: 3 sur 4" in session.sentence().render("fr")
    assert report["environment"]["network"]["public_address"] == "127.0.0.1"  # the probe's /whoami


def test_a_hold_as_long_as_the_requirement_proves_it(pki: LoopbackPki) -> None:
    session = run(_session(pki, long_hold=True))
    report = session.report("en")
    validate_report(report)
    assert {r["status"] for r in report["requirements"]} == {"met"}
    assert "Proven" not in session.sentence().render("en")


def test_a_blocked_port_fails_https_and_leaves_what_depends_on_it_untested(pki: LoopbackPki) -> None:
    session = run(_session(pki, long_hold=False, blocked=True))
    report = session.report("en")
    validate_report(report)
    wanted = _by_kind(report)
    assert wanted["dns"]["status"] == "met"
    assert wanted["https"]["status"] == "not_met"
    assert "public_address" not in report["environment"].get("network", {})
