"""Ed25519 signatures of a published profile: the platform signs its endpoint list, the app verifies it.

A domain list bundled in an installer goes stale, so the platform publishes its current profile on its probe
(`/profile.toml`) with a detached signature (`/profile.toml.sig`). The signature covers the exact bytes of the
file. Its text form names the key it was made with, so the platform can rotate keys:

    sparkgui-profile-signature/1
    key: 3f2a…            (the key id: the first 16 hex digits of SHA-256 of the raw public key)
    signature: <base64 of the 64-byte Ed25519 signature>

`cryptography` does the signing; nothing here touches the network or Qt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HEADER = "sparkgui-profile-signature/1"
MAX_SIGNATURE_BYTES = 4096  # a signature file is a few lines: anything bigger is not one


class SignatureError(ValueError):
    """The profile cannot be trusted: unsigned, signed by an unknown key, or changed since it was signed."""


@dataclass(frozen=True)
class PublicKey:
    """A trusted public key and its id."""

    raw: bytes  # 32 bytes

    @property
    def key_id(self) -> str:
        """The first 16 hex digits of SHA-256 of the raw key: what a signature file names."""
        return hashlib.sha256(self.raw).hexdigest()[:16]

    def text(self) -> str:
        """The key as one line of base64, as the app ships it."""
        return base64.b64encode(self.raw).decode("ascii")

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        """A key from its base64 line (ValueError when it is not a 32-byte Ed25519 key)."""
        try:
            raw = base64.b64decode(text.strip(), validate=True)
        except binascii.Error:
            raise ValueError("a public key is one line of base64") from None
        if len(raw) != 32:
            raise ValueError(f"an Ed25519 public key is 32 bytes, this one is {len(raw)}")
        return cls(raw)


def new_private_key() -> Ed25519PrivateKey:
    """A fresh signing key for the platform (kept by the platform, never shipped)."""
    return Ed25519PrivateKey.generate()


def private_key_pem(key: Ed25519PrivateKey) -> bytes:
    """The signing key as unencrypted PKCS#8 PEM, to be stored with owner-only permissions."""
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    """The signing key from PEM (ValueError when it is not an Ed25519 private key)."""
    try:
        key = serialization.load_pem_private_key(pem, password=None)
    except TypeError:  # cryptography's way of saying the key is encrypted
        raise ValueError("the key is protected by a passphrase; make one without (keygen does)") from None
    except UnsupportedAlgorithm:
        raise ValueError("the key is not an Ed25519 private key") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the key is not an Ed25519 private key")
    return key


def public_key_of(key: Ed25519PrivateKey) -> PublicKey:
    """The public half of a signing key."""
    return PublicKey(key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def sign(body: bytes, key: Ed25519PrivateKey) -> str:
    """The signature file's text for `body`."""
    signature = base64.b64encode(key.sign(body)).decode("ascii")
    return f"{HEADER}\nkey: {public_key_of(key).key_id}\nsignature: {signature}\n"


def verify(body: bytes, signature_text: bytes | str | None, trusted: Iterable[PublicKey]) -> PublicKey:
    """The trusted key that signed `body`; SignatureError saying why otherwise."""
    if not signature_text:
        raise SignatureError("it is not signed")
    fields = _fields(signature_text)
    keys = {key.key_id: key for key in trusted}
    key = keys.get(fields["key"])
    if key is None:
        raise SignatureError(f"it is signed with key {fields['key']}, which this sparkgui does not trust")
    try:
        signature = base64.b64decode(fields["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(key.raw).verify(signature, body)
    except (binascii.Error, InvalidSignature, ValueError):
        raise SignatureError("its signature does not match its content: it was changed after it was signed") from None
    return key


def _fields(signature_text: bytes | str) -> Mapping[str, str]:
    if isinstance(signature_text, bytes):
        if len(signature_text) > MAX_SIGNATURE_BYTES:
            raise SignatureError("its signature file is not a signature (too long)")
        try:
            signature_text = signature_text.decode("ascii")
        except UnicodeDecodeError:
            raise SignatureError("its signature file is not a signature (not text)") from None
    lines = [line.strip() for line in signature_text.strip().splitlines()]
    if not lines or lines[0] != HEADER:
        raise SignatureError(f"its signature file is not a signature (expected {HEADER!r} first)")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    if not fields.get("key") or not fields.get("signature"):
        raise SignatureError("its signature file names no key or no signature")
    return fields


def digest(body: bytes) -> str:
    """SHA-256 of the profile's bytes, as the report records which profile was used."""
    return hashlib.sha256(body).hexdigest()
