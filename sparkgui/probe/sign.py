"""`python -m sparkgui.probe.sign`: the platform's tool to make its signing key and sign its published profile.

    python -m sparkgui.probe.sign keygen KEYDIR        # KEYDIR/profile-signing.key (secret) and .pub (ship it)
    python -m sparkgui.probe.sign sign PROFILE --key KEYDIR/profile-signing.key   # writes PROFILE.sig
    python -m sparkgui.probe.sign verify PROFILE --public KEYDIR/profile-signing.pub

A profile is checked before it is signed (a broken one is refused), and `version` must be set: the app keeps
the newest version it has seen and refuses an older one. The probe then serves both files
(`--profile PROFILE`: `/profile.toml` and `/profile.toml.sig`).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sparkgui.core.atomic import WriteError, write_atomically
from sparkgui.core.profile import ProfileError, parse_profile
from sparkgui.core.signing import (
    PublicKey,
    SignatureError,
    load_private_key,
    new_private_key,
    private_key_pem,
    public_key_of,
    sign,
    verify,
)

KEY_NAME = "profile-signing.key"
PUBLIC_NAME = "profile-signing.pub"


def build_parser() -> argparse.ArgumentParser:
    """The tool's commands: keygen, sign, verify."""
    parser = argparse.ArgumentParser(prog="python -m sparkgui.probe.sign", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    keygen = commands.add_parser("keygen", help="make a new signing key pair in a folder")
    keygen.add_argument("folder", type=Path)
    signer = commands.add_parser("sign", help="check a profile and write its signature next to it (PROFILE.sig)")
    signer.add_argument("profile", type=Path)
    signer.add_argument("--key", type=Path, required=True, help="the private key from keygen")
    checker = commands.add_parser("verify", help="check a profile's signature with a public key")
    checker.add_argument("profile", type=Path)
    checker.add_argument("--public", type=Path, required=True, help="the public key from keygen")
    return parser


def keygen(folder: Path) -> str:
    """Write a new key pair into `folder` (never over an existing key); return what to do next."""
    folder.mkdir(parents=True, exist_ok=True)
    secret, public = folder / KEY_NAME, folder / PUBLIC_NAME
    if secret.exists():
        raise ValueError(f"{secret} exists already: move it away first (a new key invalidates old signatures)")
    key = new_private_key()
    descriptor = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # owner-only from the start
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_key_pem(key))
    write_atomically(public, (public_key_of(key).text() + "\n").encode())
    return (
        f"Wrote {secret} (keep it secret, out of any repository) and {public} "
        f"(key {public_key_of(key).key_id}: ship it in resources/keys/ so the app trusts it)."
    )


def sign_profile(profile: Path, key_file: Path) -> str:
    """Check the profile, sign its exact bytes, write PROFILE.sig; return what was signed."""
    body = profile.read_bytes()
    parsed = parse_profile(body, source=str(profile))
    if parsed.version < 1:
        raise ValueError(f"{profile}: set version = 1 (or higher) before publishing: the app refuses older versions")
    key = load_private_key(key_file.read_bytes())
    target = profile.with_name(profile.name + ".sig")
    write_atomically(target, sign(body, key).encode())
    return f"Signed {profile} (version {parsed.version}) with key {public_key_of(key).key_id}: {target}"


def verify_profile(profile: Path, public_file: Path) -> str:
    """Check PROFILE.sig against the public key; return what was verified."""
    public = PublicKey.parse(public_file.read_text("ascii"))
    signature = profile.with_name(profile.name + ".sig")
    verify(profile.read_bytes(), signature.read_bytes() if signature.exists() else None, [public])
    return f"{profile}: signed with key {public.key_id}, unchanged since."


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 1 with a message on stderr otherwise."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "keygen":
            message = keygen(args.folder)
        elif args.command == "sign":
            message = sign_profile(args.profile, args.key)
        else:
            message = verify_profile(args.profile, args.public)
    except (OSError, ValueError, ProfileError, SignatureError, WriteError) as exc:
        print(f"sparkgui.probe.sign: {exc}", file=sys.stderr)
        return 1
    print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
