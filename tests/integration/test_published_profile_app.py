"""The app's side of the platform's published profile, against a real HTTPS probe on loopback: fetched through
the checks' route, verified with a trusted key, cached, and used by the run; a tampered, unsigned, foreign-signed
or older profile refused with a message; an unreachable probe falls back to the cache, then the bundled profile,
and the report says which was used."""

from __future__ import annotations

import hashlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sparkgui.app.profile_refresh import refresh_profile
from sparkgui.app.session import RunRequest, Session
from sparkgui.core.context import NetworkSettings
from sparkgui.core.events import NullSink
from sparkgui.core.profile import Profile, parse_profile
from sparkgui.core.published_profile import KEYS_VARIABLE
from sparkgui.core.signing import new_private_key, public_key_of, sign
from sparkgui.probe import ProbeConfig, start_probe
from sparkgui.probe.published import Published
from tests.servers.blackhole import BlackholePort
from tests.servers.dns_server import DnsServer
from tests.servers.tls_servers import LoopbackPki, closed_port
from tests.support import Ep, loopback_network, profile_toml, run, validate_report


def platform_toml(port: int, version: int, extra_host: str = "") -> bytes:
    endpoints = [Ep("probe.test", port, "/healthz", probe=True)] + (
        [Ep(extra_host, port, "/healthz")] if extra_host else []
    )
    return profile_toml(endpoints, version=version).encode()


def bundled(port: int, version: int = 1) -> Profile:
    """The profile as if it shipped with the app (only a bundled profile is replaced by the published one)."""
    return parse_profile(platform_toml(port, version), source="test.toml", origin="bundled:test")


@asynccontextmanager
async def publishing(
    pki: LoopbackPki, port: int, body: bytes | None, signature: str | bytes | None
) -> AsyncIterator[None]:
    """A probe on `port` publishing `body` with `signature` (nothing published when `body` is None)."""
    signed = signature.encode() if isinstance(signature, str) else signature
    runner, _ = await start_probe(
        "127.0.0.1",
        port,
        ssl_context=pki.server_context("probe.test", "app.test"),
        config=ProbeConfig(published=Published(body, signed) if body is not None else None),
        shutdown_timeout=0.5,
    )
    try:
        yield
    finally:
        await runner.cleanup()


@pytest.fixture
def trusted(tmp_path: Path) -> tuple[Ed25519PrivateKey, dict[str, str]]:
    """A platform key the app trusts for this test, and a data folder of the test's own."""
    key = new_private_key()
    keys = tmp_path / "trusted.pub"
    keys.write_text(public_key_of(key).text() + "\n")
    return key, {KEYS_VARIABLE: str(keys), "SPARKGUI_DATA_DIR": str(tmp_path / "data")}


async def _dns() -> tuple[DnsServer, NetworkSettings]:
    dns = await DnsServer({"probe.test": ["127.0.0.1"], "app.test": ["127.0.0.1"]}).start()
    return dns, loopback_network(dns.port)


def test_a_signed_newer_profile_is_used_cached_and_named_in_the_report(
    pki: LoopbackPki, trusted: tuple[Ed25519PrivateKey, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    key, environ = trusted
    for name, value in environ.items():
        monkeypatch.setenv(name, value)

    async def body() -> None:
        dns, network = await _dns()
        port = closed_port()
        newer = platform_toml(port, 2, extra_host="app.test")
        try:
            async with publishing(pki, port, newer, sign(newer, key)):
                session = Session(RunRequest(bundled(port), network), NullSink())
                outcome = await session.execute()
            report = outcome.report("en")
            validate_report(report)
        finally:
            await dns.stop()
        assert session.profile_notes == ()
        assert report["profile"]["origin"] == "published" and report["profile"]["version"] == 2
        assert report["profile"]["source"] == f"published:https://probe.test:{port}/profile.toml"
        assert report["profile"]["digest"] == hashlib.sha256(newer).hexdigest()
        assert any(c["id"] == "dns:app.test" for c in report["checks"])  # the published endpoints were checked
        assert report["verdict"] in ("ready", "ready_with_warnings"), [c["cause"] for c in report["checks"]]
        cached = Path(environ["SPARKGUI_DATA_DIR"]) / "published" / "test.toml"
        assert cached.read_bytes() == newer and cached.with_name("test.toml.sig").exists()

    run(body())


def test_tampered_unsigned_foreign_and_older_profiles_are_refused_with_a_message(
    pki: LoopbackPki, trusted: tuple[Ed25519PrivateKey, dict[str, str]]
) -> None:
    key, environ = trusted
    stranger = new_private_key()

    async def body() -> None:
        dns, network = await _dns()
        port = closed_port()
        good = platform_toml(port, 3)
        cases: dict[str, tuple[bytes, str | bytes | None, str]] = {
            "tampered": (good.replace(b"version = 3", b"version = 9"), sign(good, key), "changed after it was signed"),
            "unsigned": (good, None, "it is not signed"),
            "foreign": (good, sign(good, stranger), "which this sparkgui does not trust"),
            "not a signature": (good, b"<html>Access denied</html>", "is not a signature"),
            "not a profile": (b"<html>hello</html>", sign(b"<html>hello</html>", key), "is not valid TOML"),
        }
        try:
            for case, (served, signature, words) in cases.items():
                async with publishing(pki, port, served, signature):
                    choice = await refresh_profile(bundled(port), network, environ=environ)
                assert choice.origin == "bundled", case
                assert len(choice.notes) == 1, case
                note = choice.notes[0].render()
                assert "published profile was refused" in note and words in note, (case, note)
            # A good one at version 3 is used and cached; then a version 2, even properly signed, is refused.
            async with publishing(pki, port, good, sign(good, key)):
                assert (await refresh_profile(bundled(port), network, environ=environ)).origin == "published"
            older = platform_toml(port, 2)
            async with publishing(pki, port, older, sign(older, key)):
                choice = await refresh_profile(bundled(port), network, environ=environ)
            assert choice.origin == "cache" and choice.profile.version == 3
            assert "its version 2 is older than the cached one (version 3)" in choice.notes[0].render()
            # Nothing published (404): no note, the cache stands.
            async with publishing(pki, port, None, None):
                choice = await refresh_profile(bundled(port), network, environ=environ)
            assert choice.origin == "cache" and choice.notes == ()
            # A bundled profile newer than the cache wins over it.
            assert (await refresh_profile(bundled(closed_port(), 5), network, environ=environ)).origin == "bundled"
        finally:
            await dns.stop()

    run(body())


def test_an_unreachable_probe_falls_back_to_the_cache_then_the_bundled_profile_within_the_deadline(
    pki: LoopbackPki, trusted: tuple[Ed25519PrivateKey, dict[str, str]]
) -> None:
    key, environ = trusted

    async def body() -> None:
        dns, network = await _dns()
        try:
            choice = await refresh_profile(bundled(closed_port()), network, environ=environ)
            assert choice.origin == "bundled"
            assert "could not be fetched" in choice.notes[0].render() and "using the bundled one" in str(
                choice.notes[0]
            )
            port = closed_port()
            fourth = platform_toml(port, 4)
            async with publishing(pki, port, fourth, sign(fourth, key)):
                assert (await refresh_profile(bundled(port), network, environ=environ)).origin == "published"
            # The same port, nobody listening now: the cache is used, and said.
            choice = await refresh_profile(bundled(port), network, environ=environ)
            assert choice.origin == "cache" and choice.profile.version == 4
            assert "using the cached one" in choice.notes[0].render()
            # A probe that accepts nothing: the start-up waits the deadline, never more.
            hole = BlackholePort()
            try:
                started = time.monotonic()
                choice = await refresh_profile(bundled(hole.port), network, environ=environ, deadline_seconds=1.0)
                assert time.monotonic() - started < 3.0 and choice.origin in ("cache", "bundled")
            finally:
                hole.close()
            # A cache changed on disk is not trusted: the bundled profile is used.
            cached = Path(environ["SPARKGUI_DATA_DIR"]) / "published" / "test.toml"
            cached.write_bytes(cached.read_bytes().replace(b"version = 4", b"version = 40"))
            choice = await refresh_profile(bundled(closed_port()), network, environ=environ)
            assert choice.origin == "bundled"
            # A profile given by hand is never replaced, and nothing is fetched for it.
            by_hand = parse_profile(platform_toml(closed_port(), 1), source="mine.toml")
            assert (await refresh_profile(by_hand, network, environ=environ)).origin == "file"
        finally:
            await dns.stop()

    run(body())


@pytest.mark.parametrize("spoiled", ["a pipe as the profile", "a pipe as the signature", "a signed bad profile"])
def test_a_spoiled_cache_is_passed_over_never_a_hang_or_a_crash(
    trusted: tuple[Ed25519PrivateKey, dict[str, str]], spoiled: str
) -> None:
    import os

    from sparkgui.core.published_profile import cache_folder, choose_profile, shipped_keys

    key, environ = trusted
    folder = cache_folder(environ)
    folder.mkdir(parents=True)
    good = platform_toml(closed_port(), 5)
    huge = b"version = 5\n[timeouts]\nconnect = " + b"9" * 400
    body = good.replace(b"version = 5", huge) if "bad" in spoiled else good
    (folder / "test.toml").write_bytes(body)
    (folder / "test.toml.sig").write_bytes(sign(body, key).encode())
    if "pipe" in spoiled:
        pipe = folder / ("test.toml" if "profile" in spoiled else "test.toml.sig")
        pipe.unlink()
        os.mkfifo(pipe)  # nobody ever writes: a blocking read would wait for ever
    started = time.monotonic()
    choice = run(choose_profile(bundled(closed_port()), None, shipped_keys(environ), folder))
    assert choice.origin == "bundled" and time.monotonic() - started < 2.0
