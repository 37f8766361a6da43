"""The probe server as a separate process with a test-CA certificate, so a bench measures only the client."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import _util  # noqa: F401  (puts the repository root on sys.path)

from tests.servers.tls_servers import LoopbackPki

PROBE_HOST = "probe.test"


def trust_test_ca() -> LoopbackPki:
    """A fresh CA that this process trusts as its OS store (SSL_CERT_FILE), and nothing else."""
    pki = LoopbackPki()
    folder = tempfile.mkdtemp()
    os.environ["SSL_CERT_FILE"] = pki.write_ca(os.path.join(folder, "ca.pem"))
    os.environ["SSL_CERT_DIR"] = folder
    return pki


def _certificate_files(pki: LoopbackPki, hosts: tuple[str, ...]) -> tuple[Path, Path]:
    folder = tempfile.mkdtemp()
    issued = pki.ca.issue_cert(*hosts)
    cert, key = Path(folder, "cert.pem"), Path(folder, "key.pem")
    issued.private_key_pem.write_to_path(str(key))
    cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    return cert, key


@asynccontextmanager
async def probe_process(pki: LoopbackPki, hosts: tuple[str, ...] = (PROBE_HOST,)) -> AsyncIterator[int]:
    """Run `python -m sparkgui.probe` on 127.0.0.1 with a certificate for `hosts`; yields its port."""
    cert, key = _certificate_files(pki, hosts)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sparkgui.probe", "--port", "0", "--cert", str(cert), "--key", str(key),
        stderr=asyncio.subprocess.PIPE, stdin=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert process.stderr is not None
    try:
        line = (await asyncio.wait_for(process.stderr.readline(), 15)).decode()
        match = re.search(r":(\d+) \(WebSocket", line)
        if not match:
            raise RuntimeError(f"probe did not start: {line}")
        drain = asyncio.ensure_future(process.stderr.read())  # keep its log pipe from filling
        yield int(match.group(1))
    finally:
        if process.returncode is None:
            process.terminate()
            await asyncio.wait_for(process.wait(), 10)
        if "drain" in locals():
            await drain
