"""Shared fixtures: a test PKI trusted the way the OS store is (SSL_CERT_FILE), with no system roots."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.servers.tls_servers import LoopbackPki


@pytest.fixture
def pki(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> LoopbackPki:
    """A fresh CA that this machine's trust store (as truststore reads it) trusts for the test's duration."""
    authority = LoopbackPki()
    ca_file = authority.write_ca(str(tmp_path / "test-ca.pem"))
    empty_dir = tmp_path / "no-system-roots"
    empty_dir.mkdir()
    monkeypatch.setenv("SSL_CERT_FILE", ca_file)
    monkeypatch.setenv("SSL_CERT_DIR", str(empty_dir))
    return authority
