"""The demo's certificates pass strict verification (VERIFY_X509_STRICT, Python 3.13's default) in a real
TLS handshake on loopback, on every Python version."""

from __future__ import annotations

import asyncio
import ssl
import tempfile
from pathlib import Path

from sparkgui.core.demo.listener import Listener
from sparkgui.core.demo.pki import Authority
from tests.servers.tls_servers import stay_silent
from tests.support import run


def test_a_demo_certificate_passes_strict_verification() -> None:
    authority = Authority.create("Demo Test Authority")

    async def scenario() -> str:
        listener = Listener(stay_silent, ssl_context=authority.server_context(["app.demo.test", "probe.demo.test"]))
        port = await listener.start()
        with tempfile.TemporaryDirectory() as folder:
            ca = Path(folder) / "ca.pem"
            ca.write_text(authority.pem)
            client = ssl.create_default_context(cafile=str(ca))
        client.verify_flags |= ssl.VERIFY_X509_STRICT
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection("127.0.0.1", port, ssl=client, server_hostname="probe.demo.test"), 5
            )
            version = str(writer.get_extra_info("ssl_object").version())
            writer.close()
            return version
        finally:
            await listener.stop()

    assert run(scenario()).startswith("TLS")
