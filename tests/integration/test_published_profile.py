"""The platform's published profile: the signing tool (keygen, sign, verify), the probe serving the exact
bytes and their signature, and the verification that refuses an unsigned, tampered or foreign-signed one."""

from __future__ import annotations

import stat
from pathlib import Path

import aiohttp
import pytest

from sparkgui.core.signing import PublicKey, SignatureError, digest, new_private_key, public_key_of, sign, verify
from sparkgui.probe.__main__ import main as probe_main
from sparkgui.probe.app import ProbeConfig
from sparkgui.probe.published import Published
from sparkgui.probe.server import start_probe
from sparkgui.probe.sign import main as sign_main
from tests.support import run

PROFILE = b'schema = 1\nversion = 3\nname = "Sparkup"\n[[endpoint]]\nhost = "app.sparkup.app"\n'


def test_a_signature_verifies_only_the_exact_bytes_with_a_trusted_key() -> None:
    key, other = new_private_key(), new_private_key()
    signature = sign(PROFILE, key)
    assert verify(PROFILE, signature, [public_key_of(other), public_key_of(key)]) == public_key_of(key)
    with pytest.raises(SignatureError, match="changed after it was signed"):
        verify(PROFILE.replace(b"app.sparkup.app", b"app.evil.example"), signature, [public_key_of(key)])
    with pytest.raises(SignatureError, match="which this sparkgui does not trust"):
        verify(PROFILE, signature, [public_key_of(other)])
    with pytest.raises(SignatureError, match="it is not signed"):
        verify(PROFILE, None, [public_key_of(key)])
    for garbage in (b"<html>not found</html>", b"\xff\xfe", b"x" * 10_000, signature.replace("signature:", "sig:")):
        with pytest.raises(SignatureError, match="signature"):
            verify(PROFILE, garbage, [public_key_of(key)])
    assert len(digest(PROFILE)) == 64


def test_the_tool_makes_a_key_signs_a_checked_profile_and_verifies_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = tmp_path / "keys"
    assert sign_main(["keygen", str(keys)]) == 0
    secret = keys / "profile-signing.key"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600  # owner-only from the start
    assert sign_main(["keygen", str(keys)]) == 1 and "exists already" in capsys.readouterr().err  # never overwritten
    profile = tmp_path / "profile.toml"
    profile.write_bytes(PROFILE)
    assert sign_main(["sign", str(profile), "--key", str(secret)]) == 0
    public = PublicKey.parse((keys / "profile-signing.pub").read_text())
    verify(PROFILE, (tmp_path / "profile.toml.sig").read_bytes(), [public])
    assert sign_main(["verify", str(profile), "--public", str(keys / "profile-signing.pub")]) == 0
    profile.write_bytes(PROFILE + b"# one more line\n")
    capsys.readouterr()
    assert sign_main(["verify", str(profile), "--public", str(keys / "profile-signing.pub")]) == 1
    assert "changed after it was signed" in capsys.readouterr().err
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"schema = 1\nname = [\n")
    assert sign_main(["sign", str(broken), "--key", str(secret)]) == 1  # a broken profile is never signed
    unversioned = tmp_path / "unversioned.toml"
    unversioned.write_bytes(PROFILE.replace(b"version = 3\n", b""))
    assert sign_main(["sign", str(unversioned), "--key", str(secret)]) == 1
    assert "set version = 1" in capsys.readouterr().err
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    locked = tmp_path / "locked.key"  # a key made elsewhere, with a passphrase
    locked.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
    )
    assert sign_main(["sign", str(profile), "--key", str(locked)]) == 1
    assert "protected by a passphrase" in capsys.readouterr().err


def test_the_probe_serves_the_exact_bytes_and_the_signature(tmp_path: Path) -> None:
    key = new_private_key()
    profile = tmp_path / "profile.toml"
    profile.write_bytes(PROFILE)
    (tmp_path / "profile.toml.sig").write_text(sign(PROFILE, key))

    async def scenario() -> tuple[bytes, bytes, int, int, int]:
        runner, port = await start_probe(config=ProbeConfig(published=Published.read(profile)), shutdown_timeout=0.5)
        bare, bare_port = await start_probe(shutdown_timeout=0.5)
        try:
            async with aiohttp.ClientSession() as session:
                async with session.get(f"http://127.0.0.1:{port}/profile.toml") as answer:
                    body, tag = await answer.read(), answer.headers["ETag"]
                async with session.get(f"http://127.0.0.1:{port}/profile.toml.sig") as answer:
                    signature = await answer.read()
                headers = {"If-None-Match": tag}
                async with session.get(f"http://127.0.0.1:{port}/profile.toml", headers=headers) as answer:
                    unchanged = answer.status
                async with session.get(f"http://127.0.0.1:{bare_port}/profile.toml") as answer:
                    missing = answer.status
                async with session.get(f"http://127.0.0.1:{bare_port}/profile.toml.sig") as answer:
                    missing_sig = answer.status
        finally:
            await runner.cleanup()
            await bare.cleanup()
        return body, signature, unchanged, missing, missing_sig

    body, signature, unchanged, missing, missing_sig = run(scenario())
    assert body == PROFILE and verify(body, signature, [public_key_of(key)])
    assert (unchanged, missing, missing_sig) == (304, 404, 404)


def test_the_probe_refuses_to_start_on_a_profile_it_cannot_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        probe_main(["--port", "0", "--profile", str(tmp_path / "missing.toml")], environ={})
    assert exited.value.code == 2
    assert "missing.toml: cannot be read" in capsys.readouterr().err
