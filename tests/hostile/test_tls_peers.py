"""Hostile TLS peers: a certificate the OS trusts but that a strict parser refuses (an extension twice, a
string of the wrong type), or one without names, must end in a result about the network, never internal.error."""

from __future__ import annotations

import ssl
import time
from pathlib import Path
from typing import Any

import pytest

from sparkgui.core.context import RunContext
from sparkgui.core.demo.venue import DemoTrust
from sparkgui.core.environment import describe_environment
from sparkgui.core.model import CheckResult
from sparkgui.core.net.tls import CertificateInfo
from sparkgui.core.plan import plan_checks
from sparkgui.core.report import build_report
from sparkgui.core.runner import Run
from tests.hostile.odd_certs import (
    certificate_with_a_duplicated_extension,
    certificate_with_an_invalid_string,
    certificate_without_names,
)
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import start_https
from tests.support import Ep, by_id, loopback_network, make_profile, run, validate_report


def test_the_evidence_parser_survives_a_duplicated_extension() -> None:
    pem, _ = certificate_with_a_duplicated_extension("app.test")
    info = CertificateInfo.from_der(ssl.PEM_cert_to_DER_cert(pem.decode()))
    assert info.subject_cn == "app.test" and info.sans == ()
    assert "DuplicateExtension" in info.anomaly and info.as_evidence()["anomaly"] == info.anomaly


def test_an_unreadable_certificate_is_named_in_the_evidence_never_raised() -> None:
    pem, _ = certificate_with_an_invalid_string("app.test")
    info = CertificateInfo.from_der(ssl.PEM_cert_to_DER_cert(pem.decode()))
    assert info.subject_cn == "" and info.not_after is None and info.is_current()
    assert "cannot be read" in info.anomaly and "not_after" not in info.as_evidence()


def test_a_wildcard_over_one_label_covers_nothing() -> None:
    info = CertificateInfo("*.test", "CA", "", ("*.test", "*.app.test"), None, None)
    assert not info.covers("app.test") and info.covers("www.app.test")


def _tls_against(tmp_path: Path, pem: bytes, key: bytes, roots: bytes) -> tuple[CheckResult, dict[str, object], float]:
    """The TLS check of app.test against a loopback server presenting `pem`, trusting `roots` only."""
    (tmp_path / "cert.pem").write_bytes(pem)
    (tmp_path / "key.pem").write_bytes(key)
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")

    async def scenario() -> tuple[Any, dict[str, object], int, float]:
        runner, port = await start_https(server_context)
        dns = await DnsServer({"app.test": ["127.0.0.1"]}).start()
        try:
            profile = make_profile([Ep("app.test", port)])
            network = loopback_network(dns.port)
            engine = Run(plan_checks(profile), RunContext(profile, network, DemoTrust(roots_pem=roots.decode())))
            began = time.perf_counter()
            outcome = await engine.execute()
            report = build_report(outcome, profile, describe_environment(network, engine.context.route_table))
            return outcome, report, port, time.perf_counter() - began
        finally:
            await runner.cleanup()
            await dns.stop()

    outcome, report, port, elapsed = run(scenario())
    validate_report(report)
    causes = {r.id: r.result.cause for r in outcome.records}
    assert "internal.error" not in causes.values(), causes
    return by_id(outcome)[f"tls:app.test:{port}"].result, report, elapsed


@pytest.mark.parametrize(
    ("make", "statuses"),
    [
        (certificate_with_a_duplicated_extension, ("pass", "warn")),  # its issuer is readable, and not expected
        (certificate_with_an_invalid_string, ("pass",)),  # its issuer is unknown: not called inspected
    ],
)
def test_a_trusted_certificate_a_strict_parser_refuses_is_no_checker_error(
    tmp_path: Path, make: Any, statuses: tuple[str, ...]
) -> None:
    pem, key = make("app.test")
    tls, _, elapsed = _tls_against(tmp_path, pem, key, roots=pem)
    assert str(tls.status) in statuses, tls
    assert "cannot be read" in str(tls.evidence.get("anomaly", "")), tls.evidence
    assert elapsed < 10


def test_an_untrusted_certificate_a_strict_parser_refuses_is_untrusted(tmp_path: Path) -> None:
    pem, key = certificate_with_an_invalid_string("app.test")
    other, _ = certificate_without_names("Some Other Root")
    tls, _, _ = _tls_against(tmp_path, pem, key, roots=other)
    assert tls.cause == "tls.untrusted" and "cannot be read" in str(tls.evidence["anomaly"]), tls


def test_a_certificate_without_names_is_a_hostname_mismatch(tmp_path: Path) -> None:
    pem, key = certificate_without_names("portal.example")  # trusted, but not for app.test
    tls, _, _ = _tls_against(tmp_path, pem, key, roots=pem)
    assert tls.cause == "tls.hostname_mismatch" and "portal.example" in tls.summary.render("en"), tls
