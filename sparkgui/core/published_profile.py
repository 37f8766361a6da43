"""Which profile a run uses: the platform's published one, the last one verified (cached), or the bundled one.

A domain list bundled in an installer goes stale, so at start the app asks the platform's probe for its current
profile (`/profile.toml` and its Ed25519 signature), with a short deadline. A profile is used only when a key
shipped with the app signed those exact bytes, and only when it is at least as new as the one cached and the
one bundled: a tampered, unsigned or older profile is refused with a message, never used (an attacker who
replays an old signed list cannot roll the app back). A verified profile is cached in the user's data folder,
signature beside it, and checked again each time it is read. Qt-free: both front ends call `choose_profile`.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sparkgui.core.atomic import WriteError, write_atomically
from sparkgui.core.i18n import Text, reason_of, tr
from sparkgui.core.profile import Profile, parse_profile
from sparkgui.core.signing import PublicKey, SignatureError, verify
from sparkgui.core.small_files import read_small_file
from sparkgui.core.user_folders import data_folder

KEYS_VARIABLE = "SPARKGUI_TRUSTED_KEYS"  # a file of extra public keys, one per line: the platform's staging, tests
FETCH_SECONDS = 4.0  # the whole fetch, both files: a start-up never waits longer for it
MAX_PROFILE_BYTES = 256 * 1024
MAX_SIGNATURE_BYTES = 4096

Fetcher = Callable[[str], Awaitable[bytes | None]]
"""GETs a path on the probe (`/profile.toml`); None for a 404; raises ConnectionError/OSError/TimeoutError."""


@dataclass(frozen=True)
class ProfileChoice:
    """The profile to use, and what was refused on the way (for a note and the log)."""

    profile: Profile
    notes: tuple[Text, ...] = ()

    @property
    def origin(self) -> str:
        """published, cache, bundled (or file, for a profile given by hand)."""
        return self.profile.origin


def shipped_keys(environ: Mapping[str, str] | None = None) -> tuple[PublicKey, ...]:
    """The platform's public keys shipped with the app (resources/keys/*.pub), plus SPARKGUI_TRUSTED_KEYS's."""
    keys = []
    folder = resources.files("sparkgui_resources").joinpath("keys")
    for item in sorted(folder.iterdir(), key=lambda entry: entry.name) if folder.is_dir() else []:
        if item.name.endswith(".pub"):
            keys.extend(_keys_in(item.read_text(encoding="ascii")))
    extra = (os.environ if environ is None else environ).get(KEYS_VARIABLE)
    if extra:
        # An unreadable extra file adds no key: the shipped ones still decide.
        with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
            keys.extend(_keys_in(Path(extra).read_text(encoding="ascii")))
    return tuple(keys)


def _keys_in(text: str) -> list[PublicKey]:
    return [PublicKey.parse(line) for line in text.splitlines() if line.strip() and not line.startswith("#")]


def cache_folder(environ: Mapping[str, str] | None = None) -> Path:
    """Where verified published profiles are kept: the data folder's `published`."""
    return data_folder(environ) / "published"


def _verified(body: bytes, signature: bytes | None, keys: Iterable[PublicKey], origin: str) -> Profile:
    """The profile in `body` when a trusted key signed it (SignatureError, ProfileError otherwise)."""
    verify(body, signature, keys)
    return parse_profile(body, source="profile.toml", origin=origin)


def _read_cache(folder: Path, name: str, keys: Iterable[PublicKey]) -> Profile | None:
    body_file = folder / f"{name}.toml"
    try:
        body = read_small_file(body_file, MAX_PROFILE_BYTES)
        signature = read_small_file(folder / f"{name}.toml.sig", MAX_SIGNATURE_BYTES)
    except OSError:  # missing, a pipe or a device put there, too big: as if there were none
        return None
    try:
        return _verified(body, signature, keys, f"cache:{body_file.name}")
    except (SignatureError, ValueError, RecursionError):  # ProfileError is a ValueError
        return None  # changed on disk, or signed by a key no longer trusted: as if there were none


def _write_cache(folder: Path, name: str, body: bytes, signature: bytes) -> Text | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(folder / f"{name}.toml.sig", signature)
        write_atomically(folder / f"{name}.toml", body)
    except (OSError, WriteError) as exc:
        return tr("The platform's current profile could not be cached ({reason}).", reason=reason_of(exc))
    return None


async def choose_profile(
    bundled: Profile, fetch: Fetcher | None, keys: Iterable[PublicKey], folder: Path
) -> ProfileChoice:
    """The newest trustworthy profile of the platform `bundled` names: published, else cached, else bundled.

    `fetch` None means no network (demo, offline): the cache and the bundled profile decide.
    """
    trusted = tuple(keys)
    name = _cache_name(bundled)
    cached = _read_cache(folder, name, trusted)
    best = cached if cached is not None and cached.version >= bundled.version else bundled
    if fetch is None or not trusted:
        return ProfileChoice(best)
    try:
        body = await fetch("/profile.toml")
        signature = await fetch("/profile.toml.sig") if body is not None else None
    except (ConnectionError, OSError, TimeoutError) as exc:
        note = tr(
            "The platform's current profile could not be fetched ({reason}); using the {origin} one.",
            reason=str(exc) or type(exc).__name__,
            origin=origin_word(best.origin),
        )
        return ProfileChoice(best, (note,))
    if body is None:
        return ProfileChoice(best)  # this probe publishes no profile: nothing to refuse
    if len(body) > MAX_PROFILE_BYTES or (signature is not None and len(signature) > MAX_SIGNATURE_BYTES):
        return ProfileChoice(
            best, (tr("The platform's published profile was refused: it is too big to be a profile."),)
        )
    try:
        published = _verified(body, signature, trusted, "published:" + _published_url(bundled))
    except (SignatureError, ValueError, RecursionError) as exc:  # ProfileError is a ValueError
        return ProfileChoice(
            best, (tr("The platform's published profile was refused: {reason}.", reason=reason_of(exc)),)
        )
    if published.version < best.version:
        note = tr(
            "The platform's published profile was refused: its version {version} is older than the {origin} "
            "one (version {current}).",
            version=published.version,
            origin=origin_word(best.origin),
            current=best.version,
        )
        return ProfileChoice(best, (note,))
    assert signature is not None  # verified above
    problem = _write_cache(folder, name, body, signature)
    return ProfileChoice(published, (problem,) if problem is not None else ())


def origin_word(origin: str) -> Text:
    """The origin as the notes and the report's readers say it."""
    if origin == "published":
        return tr("published")
    if origin == "cache":
        return tr("cached")
    return tr("bundled")


def _cache_name(profile: Profile) -> str:
    """A file name for the platform's cache entry: its bundled name (`sparkup`), safe on every OS."""
    stem = profile.source.removeprefix("bundled:") or profile.name
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)[:60] or "profile"


def _published_url(profile: Profile) -> str:
    probe = profile.probe_endpoint
    if probe is None:
        return "?"
    return probe.base_url + "/profile.toml"


def refreshable(profile: Profile) -> bool:
    """Only a bundled profile with a probe is replaced by the platform's: a file IT chose is used as it is."""
    return profile.source.startswith("bundled:") and profile.probe_endpoint is not None
