"""The PDF for the venue's IT, from real engine runs against loopback venues, read back with poppler.

`pdftotext` must show the verdict, every endpoint host, each failed check's rule, the allow-list and the
SHA-256 of the saved JSON; `pdffonts` must show embedded fonts. Writes are atomic (a full disk leaves no
half file). The CLI side (`--pdf`, `--event`, `--venue`, `--contact`) is in test_pdf_cli.py.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
import trustme

from sparkgui.core.atomic import WriteError
from sparkgui.core.engine import run_profile
from sparkgui.core.event import EventInfo
from sparkgui.core.problems import rule_lines
from sparkgui.core.report import Environment, build_report, dumps, sha256_of, with_event, write_report
from sparkgui.report.model import Report
from tests.servers.tls_servers import LoopbackPki
from tests.servers.venue import INSPECTION_CA_NAME, LoopbackVenue, write_trust_bundle
from tests.support import run, validate_report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before pytest-qt's qapp exists: no display needed

ALLOWLIST = ("*.sparkup.test — TCP 443 outgoing (HTTPS and WebSocket)", "No TLS inspection for *.sparkup.test")
BROKEN = [
    ("app.sparkup.test", "ok"),
    ("gone.sparkup.test", "nxdomain"),
    ("closed.sparkup.test", "refused"),
    ("filtered.sparkup.test", "blocked"),
    ("sni.sparkup.test", "sni_reset"),
    ("inspected.sparkup.test", "intercepted"),
]
READY = [("app.sparkup.test", "ok"), ("probe.sparkup.test", "ok")]
EVENT = EventInfo("Spring Summit", "Palais des Congrès", "Marie Dupont")


@pytest.fixture
def inspection_ca(pki: LoopbackPki, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> trustme.CA:
    """The venue's TLS-inspection CA, trusted by this machine next to the platform's (as IT installs it)."""
    authority = trustme.CA(organization_name=INSPECTION_CA_NAME)
    monkeypatch.setenv("SSL_CERT_FILE", write_trust_bundle(tmp_path / "bundle.pem", pki.ca, authority))
    return authority


async def venue_report(
    pki: LoopbackPki, hosts: Sequence[tuple[str, str]], lang: str = "en", inspection: trustme.CA | None = None
) -> dict[str, Any]:
    venue = LoopbackVenue(pki, hosts) if inspection is None else LoopbackVenue(pki, hosts, inspection_ca=inspection)
    async with venue:
        profile = venue.profile(name="Sparkup", allowlist=ALLOWLIST)
        outcome = await run_profile(profile, venue.network())
        assert venue.dns is not None
        report = build_report(outcome, profile, Environment(resolvers=[venue.dns.address]), lang=lang, event=EVENT)
    validate_report(report)
    return report


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    """Words joined by single spaces: a rule wrapped over lines still matches."""
    return " ".join(text.split())


def squash(text: str) -> str:
    """Without spaces and hyphens: pdftotext drops the hyphen where a line broke at one ("URL-category")."""
    return re.sub(r"[\s\-]+", "", text)


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def assert_fonts_embedded(path: Path) -> None:
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout.splitlines()
    fonts = lines[2:]
    assert fonts, "the PDF has no fonts, so no text"
    for line in fonts:
        assert line.split()[-5] == "yes", f"font not embedded: {line}"
    assert any("DejaVu" in line for line in fonts)


def test_not_ready_pdf_shows_verdict_hosts_rules_allowlist_and_digest(
    qapp: Any, pki: LoopbackPki, inspection_ca: trustme.CA, tmp_path: Path
) -> None:
    from sparkgui.report.pdf import write_pdf

    report = run(venue_report(pki, BROKEN, inspection=inspection_ca))
    assert report["verdict"] == "not_ready"
    causes = {c["cause"] for c in report["checks"]}
    assert {"dns.nxdomain", "tcp.refused", "http.blocked", "tls.blocked", "tls.intercepted"} <= causes
    digest = write_report(report, tmp_path / "report.json")
    write_pdf(report, tmp_path / "report.pdf", lang="en")

    text = flat(pdf_text(tmp_path / "report.pdf"))
    assert "Not ready: " in text and "and 3 more problems to fix." in text
    for host, _ in BROKEN:
        assert host in text
    rules = rule_lines(Report.parse(report).problems)
    assert len(rules) == 5  # four failures, one warning, each with its own rule
    for line in rules:
        assert squash(line.rule.action.render("en")) in squash(text), line.rule.action.render("en")
    assert "Allow outgoing TCP" in text and "closed.sparkup.test" in text
    assert "Exempt inspected.sparkup.test" in text and "from TLS inspection" in text
    for entry in ALLOWLIST:
        assert entry in text
    assert f"SHA-256 of the JSON report: {digest}" in text
    assert "Spring Summit" in text and "Palais des Congrès" in text and "Marie Dupont" in text
    assert "What this test cannot see" in text and "guest Wi-Fi" in text
    first_page = flat(pdf_text(tmp_path / "report.pdf").split("\f")[0])
    assert "What to change" in first_page  # the CIO finds it on page 1
    assert 1 <= page_count(tmp_path / "report.pdf") <= 3
    assert_fonts_embedded(tmp_path / "report.pdf")
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".part")]


def test_ready_pdf_in_french_with_event_given_at_export(qapp: Any, pki: LoopbackPki, tmp_path: Path) -> None:
    from sparkgui.report.pdf import write_pdf

    report = run(venue_report(pki, READY, lang="fr"))
    bare = with_event(report, None)
    assert "event" not in bare
    write_pdf(bare, tmp_path / "rapport.pdf", lang="fr", event=EVENT)
    text = flat(pdf_text(tmp_path / "rapport.pdf"))
    assert "Ce réseau est prêt pour Sparkup." in text
    assert "Ce qu'il faut changer" in text and "Rien : toutes les vérifications ont réussi." in text
    assert "Ce que ce test ne peut pas voir" in text and "Page 1 sur" in text
    # The event given at export is part of the report the footer's digest is computed on.
    assert f"SHA-256 du rapport JSON : {sha256_of(dumps(with_event(bare, EVENT)))}" in text
    assert "Palais des Congrès" in text
    for host, _ in READY:
        assert host in text
    assert page_count(tmp_path / "rapport.pdf") <= 2
    assert_fonts_embedded(tmp_path / "rapport.pdf")


def test_demo_report_is_marked_on_every_page(
    qapp: Any, pki: LoopbackPki, inspection_ca: trustme.CA, tmp_path: Path
) -> None:
    from sparkgui.report.pdf import write_pdf

    report = {**run(venue_report(pki, BROKEN, inspection=inspection_ca)), "demo": True}
    write_pdf(report, tmp_path / "demo.pdf", lang="en")
    pages = [page for page in pdf_text(tmp_path / "demo.pdf").split("\f") if page.strip()]
    assert len(pages) >= 2
    for page in pages:
        assert "DEMO" in page
    assert "not a test of this network" in flat(pages[0])


def test_no_credentials_reach_the_pdf(qapp: Any, pki: LoopbackPki, tmp_path: Path) -> None:
    from sparkgui.report.pdf import write_pdf

    report = run(venue_report(pki, READY))
    report["environment"]["route"] = {"mode": "proxy", "proxy": "http://alice:s3cret@proxy.venue.test:3128"}
    write_pdf(report, tmp_path / "proxy.pdf", lang="en")
    text = flat(pdf_text(tmp_path / "proxy.pdf"))
    assert "proxy.venue.test:3128" in text
    assert "alice" not in text and "s3cret" not in text


def test_full_disk_leaves_no_half_pdf_and_keeps_the_old_one(qapp: Any, pki: LoopbackPki, tiny_disk: Path) -> None:
    from sparkgui.report.pdf import write_pdf

    report = run(venue_report(pki, READY))
    target = tiny_disk / "report.pdf"
    target.write_bytes(b"old pdf")
    with pytest.raises(WriteError, match="the disk is full"):
        write_pdf(report, target, lang="en")
    assert target.read_bytes() == b"old pdf"
    assert os.listdir(tiny_disk) == ["report.pdf"]


def test_unknown_language_is_refused(qapp: Any, tmp_path: Path) -> None:
    from sparkgui.report.pdf import write_pdf

    with pytest.raises(ValueError, match="unsupported language 'de'"):
        write_pdf({"checks": []}, tmp_path / "x.pdf", lang="de")
    assert not list(tmp_path.iterdir())
