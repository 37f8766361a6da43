"""Shared fixtures: a test PKI trusted the way the OS store is (SSL_CERT_FILE), with no system roots, and a
history of the test session's own (SPARKGUI_DATA_DIR), never the user's."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.tls_servers import LoopbackPki


@pytest.fixture(autouse=True, scope="session")
def session_data_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every run the tests make (CLI children and labs included, through the environment) is kept here."""
    folder = tmp_path_factory.mktemp("sparkgui-data")
    previous = os.environ.get("SPARKGUI_DATA_DIR")
    os.environ["SPARKGUI_DATA_DIR"] = str(folder)
    yield folder
    if previous is None:
        os.environ.pop("SPARKGUI_DATA_DIR", None)
    else:
        os.environ["SPARKGUI_DATA_DIR"] = previous


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A history of this test's own, empty at the start."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SPARKGUI_DATA_DIR", str(folder))
    return folder


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


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 16 KiB tmpfs, smaller than any report: fills up for real. Needs root (CI runs as root)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny tmpfs needs root")
    mount = tmp_path / "tiny"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)
