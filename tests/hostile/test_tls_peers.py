"""Hostile TLS peers: a certificate the OS trusts but whose extensions a strict parser refuses must end in a
result about the network, never internal.error."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

from sparkgui.core.context import RunContext
from sparkgui.core.demo.venue import DemoTrust
from sparkgui.core.environment import describe_environment
from sparkgui.core.net.tls import CertificateInfo
from sparkgui.core.plan import plan_checks
from sparkgui.core.report import build_report
from sparkgui.core.runner import Run
from tests.hostile.odd_certs import certificate_with_a_duplicated_extension
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import start_https
from tests.support import Ep, by_id, loopback_network, make_profile, run, validate_report


def test_the_evidence_parser_survives_a_duplicated_extension() -> None:
    pem, _ = certificate_with_a_duplicated_extension("app.test")
    info = CertificateInfo.from_der(ssl.PEM_cert_to_DER_cert(pem.decode()))
    assert info.subject_cn == "app.test" and info.sans == ()
    assert "DuplicateExtension" in info.anomaly and info.as_evidence()["anomaly"] == info.anomaly


def test_a_trusted_certificate_with_a_duplicated_extension_is_no_checker_error(tmp_path: Path) -> None:
    pem, key = certificate_with_a_duplicated_extension("app.test")
    (tmp_path / "cert.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(key)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")

    async def scenario() -> tuple[object, dict[str, object], int, float]:
        runner, port = await start_https(server_context)
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            profile = make_profile([Ep("app.test", port)])
            network = loopback_network(dns.port)
            engine = Run(plan_checks(profile), RunContext(profile, network, DemoTrust(roots_pem=pem.decode())))
            began = time.perf_counter()
            outcome = await engine.execute()
            report = build_report(outcome, profile, describe_environment(network, engine.context.route_table))
            return outcome, report, port, time.perf_counter() - began
        finally:
            await runner.cleanup()
            await dns.stop()

    outcome, report, port, elapsed = run(scenario())
    validate_report(report)
    causes = {r.id: r.result.cause for r in outcome.records}  # type: ignore[attr-defined]
    assert "internal.error" not in causes.values(), causes
    tls = by_id(outcome)[f"tls:app.test:{port}"].result  # type: ignore[arg-type]
    assert str(tls.status) in ("pass", "warn"), tls
    assert "DuplicateExtension" in str(tls.evidence.get("anomaly", "")), tls.evidence
    assert elapsed < 10
