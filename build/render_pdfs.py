"""Render sample PDFs from real engine runs against loopback servers, and turn their pages into PNGs to look at.

    .venv/bin/python build/render_pdfs.py [--out build/out/pdf-samples] [--dpi 70]

Scenarios: a ready network, and a broken one with several problems (dropped port, unknown name, a web filter,
an SNI reset, TLS inspection); each in English and in French, plus a DEMO-marked copy. Writes NAME.json,
NAME.pdf and NAME-<page>.png (pdftoppm) in the output folder (git-ignored), and prints pages per PDF.
Network traffic stays on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import trustme

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # reuse the tests' loopback servers

from sparkgui.core.engine import run_profile  # noqa: E402
from sparkgui.core.event import EventInfo  # noqa: E402
from sparkgui.core.report import Environment, build_report, write_report  # noqa: E402
from sparkgui.report.pdf import write_pdf  # noqa: E402
from tests.servers.tls_servers import LoopbackPki  # noqa: E402
from tests.servers.venue import INSPECTION_CA_NAME, LoopbackVenue, write_trust_bundle  # noqa: E402

ALLOWLIST = (
    "*.sparkup.test — TCP 443 outgoing (HTTPS and WebSocket)",
    "WebSocket connections to *.sparkup.test: idle timeout of at least 10 minutes",
    "No TLS inspection (SSL decryption) for *.sparkup.test",
    "DNS: the resolvers handed out by DHCP must resolve *.sparkup.test",
)
SCENARIOS: dict[str, list[tuple[str, str]]] = {
    "ready": [("app.sparkup.test", "ok"), ("probe.sparkup.test", "ok"), ("media.sparkup.test", "ok")],
    "broken": [
        ("app.sparkup.test", "ok"),
        ("probe.sparkup.test", "dropped"),
        ("media.sparkup.test", "nxdomain"),
        ("api.sparkup.test", "intercepted"),
        ("cdn.sparkup.test", "blocked"),
        ("live.sparkup.test", "sni_reset"),
    ],
}
EVENT = EventInfo("Annual Medical Congress 2025", "Palais des Congrès — Hall B", "Marie Dupont, +33 6 12 34 56 78")


async def scenario_report(name: str, pki: LoopbackPki, inspection: trustme.CA, lang: str) -> dict[str, object]:
    async with LoopbackVenue(pki, SCENARIOS[name], inspection_ca=inspection) as venue:
        profile = venue.profile(name="Sparkup", allowlist=ALLOWLIST)
        outcome = await run_profile(profile, venue.network())
        assert venue.dns is not None
        environment = Environment(resolvers=[venue.dns.address])
        return build_report(outcome, profile, environment, lang=lang, event=EVENT)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "out" / "pdf-samples")
    parser.add_argument("--dpi", type=int, default=70)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    pki = LoopbackPki()
    with tempfile.TemporaryDirectory() as tmp:
        inspection = trustme.CA(organization_name=INSPECTION_CA_NAME)
        # As if the venue's IT had installed its inspection CA on this computer: trusted, but not the platform's.
        os.environ["SSL_CERT_FILE"] = write_trust_bundle(Path(tmp) / "ca.pem", pki.ca, inspection)
        os.environ["SSL_CERT_DIR"] = tmp
        samples: list[tuple[str, dict[str, object], str]] = []
        for name in SCENARIOS:
            for lang in ("en", "fr"):
                report = asyncio.run(scenario_report(name, pki, inspection, lang))
                samples.append((f"{name}-{lang}", report, lang))
        broken_en = next(report for stem, report, _ in samples if stem == "broken-en")
        samples.append(("broken-en-demo", {**broken_en, "demo": True}, "en"))
        for stem, report, lang in samples:
            json_path, pdf_path = args.out / f"{stem}.json", args.out / f"{stem}.pdf"
            digest = write_report(report, json_path)
            write_pdf(report, pdf_path, lang=lang)
            for old in args.out.glob(f"{stem}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf_path), str(args.out / stem)], check=True)
            pages = len(list(args.out.glob(f"{stem}-*.png")))
            print(f"{_shown(pdf_path)}: {pages} page(s), verdict {report['verdict']}, JSON {digest[:12]}…")
    return 0


def _shown(path: Path) -> str:
    """The path as short as it can be said: under the repository when it is there, else as given."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    raise SystemExit(main())
