"""`sparkgui --headless --pdf` as a user runs it (offscreen Qt, no display), against loopback venues."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.integration.test_cli import sparkgui
from tests.integration.test_pdf import assert_fonts_embedded, flat, page_count, pdf_text, squash
from tests.servers.tls_servers import LoopbackPki
from tests.servers.venue import LoopbackVenue
from tests.support import run, validate_report

ALLOWLIST = ("*.sparkup.test — TCP 443 outgoing (HTTPS and WebSocket)",)


async def cli_at_venue(
    tmp_path: Path, pki: LoopbackPki, hosts: Sequence[tuple[str, str]], *args: str
) -> tuple[int, str, str]:
    async with LoopbackVenue(pki, hosts) as venue:
        profile = tmp_path / "sparkup.toml"
        profile.write_text(venue.profile_text(name="Sparkup", allowlist=ALLOWLIST), encoding="utf-8")
        assert venue.dns is not None
        return await sparkgui("--headless", "--profile", str(profile), "--resolver", venue.dns.address, *args)


def digest_in(out: str, label: str) -> str:
    match = re.search(label + r".*SHA-256.*?\b([0-9a-f]{64})\b", out)
    assert match, out
    return match.group(1)


def test_ready_pdf_into_a_folder_gets_the_default_name_and_the_json_digest(pki: LoopbackPki, tmp_path: Path) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    code, out, err = run(
        cli_at_venue(
            tmp_path,
            pki,
            [("app.sparkup.test", "ok"), ("probe.sparkup.test", "ok")],
            "--json",
            str(tmp_path / "report.json"),
            "--pdf",
            str(out_dir),
            "--event",
            "Spring Summit",
            "--venue",
            "Palais des Congrès",
            "--contact",
            "Marie Dupont",
            "--lang",
            "en",
        )
    )
    assert code == 0, out + err
    pdfs = list(out_dir.iterdir())
    assert len(pdfs) == 1 and re.fullmatch(r"Sparkup_Palais-des-Congres_\d{4}-\d{2}-\d{2}_\d{4}\.pdf", pdfs[0].name)
    json_digest, pdf_digest = digest_in(out, "JSON report"), digest_in(out, "PDF report")
    assert json_digest == pdf_digest
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    validate_report(report)
    assert report["event"] == {"name": "Spring Summit", "venue": "Palais des Congrès", "contact": "Marie Dupont"}
    assert report["profile"]["allowlist"] == list(ALLOWLIST)
    text = flat(pdf_text(pdfs[0]))
    assert "This network is ready for Sparkup." in text
    assert f"SHA-256 of the JSON report: {json_digest}" in text
    assert "app.sparkup.test" in text and "probe.sparkup.test" in text and ALLOWLIST[0] in text
    assert "Spring Summit" in text and "Marie Dupont" in text
    assert_fonts_embedded(pdfs[0])
    assert "Traceback" not in err


def test_not_ready_pdf_in_french(pki: LoopbackPki, tmp_path: Path) -> None:
    target = tmp_path / "rapport.pdf"
    hosts = [("app.sparkup.test", "ok"), ("gone.sparkup.test", "nxdomain"), ("closed.sparkup.test", "refused")]
    code, out, err = run(cli_at_venue(tmp_path, pki, hosts, "--pdf", str(target), "--lang", "fr"))
    assert code == 2, out + err
    text = flat(pdf_text(target))
    assert "Pas prêt : le DNS du lieu ne trouve pas Sparkup, et 1 autre problème à régler." in text
    assert "Ce qu'il faut changer" in text
    assert squash("Les serveurs DNS distribués par DHCP doivent résoudre gone.sparkup.test") in squash(text)
    assert squash("Autoriser le TCP") in squash(text) and "closed.sparkup.test" in text
    assert f"SHA-256 du rapport JSON : {digest_in(out, 'Rapport PDF')}" in text
    assert 1 <= page_count(target) <= 3


def test_full_disk_exits_4_says_why_and_leaves_no_half_file(pki: LoopbackPki, tmp_path: Path, tiny_disk: Path) -> None:
    code, out, err = run(
        cli_at_venue(
            tmp_path,
            pki,
            [("app.sparkup.test", "ok")],
            "--json",
            str(tmp_path / "report.json"),
            "--pdf",
            str(tiny_disk / "report.pdf"),
        )
    )
    assert code == 4, out + err
    assert "the disk is full" in err and "Traceback" not in err
    assert os.listdir(tiny_disk) == []
    validate_report(json.loads((tmp_path / "report.json").read_text(encoding="utf-8")))  # the JSON still made it


def test_read_only_folder_is_refused_before_the_run(tmp_path: Path, tiny_disk: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    code, out, err = run(sparkgui("--headless", "--pdf", str(tiny_disk)))
    assert code == 3, out + err
    assert "is not writable" in err
    assert "Running" not in err  # refused up front, no run was spent


@pytest.mark.parametrize(
    ("value", "message"),
    [("/nonexistent-folder/r.pdf", "does not exist"), ("-", "only --json can go to standard output")],
)
def test_bad_pdf_path_exits_3(value: str, message: str) -> None:
    code, out, err = run(sparkgui("--headless", "--pdf", value))
    assert code == 3, out + err
    assert message in err
