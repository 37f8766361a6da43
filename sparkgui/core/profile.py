"""Profiles: what to check for one platform, loaded from TOML (a file or a bundled one) into validated types.

The types live in profile_model and the validation in profile_reader; this module is the one to import.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import replace
from importlib import resources
from pathlib import Path

from sparkgui.core.i18n import tr
from sparkgui.core.profile_model import (
    SCHEMA_VERSION,
    AllowRule,
    CapacitySpec,
    Endpoint,
    Profile,
    ProfileError,
    QualitySpec,
    RequirementKind,
    RequirementSpec,
    Timeouts,
    WebSocketSpec,
)
from sparkgui.core.profile_reader import read_profile_tree
from sparkgui.core.small_files import FileTooBig, NotARegularFile, read_small_file

__all__ = [
    "BUNDLED_PROFILE",
    "MAX_PROFILE_BYTES",
    "SCHEMA_VERSION",
    "AllowRule",
    "CapacitySpec",
    "Endpoint",
    "Profile",
    "ProfileError",
    "QualitySpec",
    "RequirementKind",
    "RequirementSpec",
    "Timeouts",
    "WebSocketSpec",
    "bundled_profile_names",
    "load_bundled_profile",
    "load_profile",
    "parse_profile",
]

MAX_PROFILE_BYTES = 1024 * 1024  # a profile is a few kilobytes of text
BUNDLED_PROFILE = "sparkup"


def load_profile(path: str | Path) -> Profile:
    """Load a profile file; raise ProfileError with an actionable message for any problem.

    Only a regular file of at most MAX_PROFILE_BYTES is read: a FIFO would block for ever and /dev/zero would
    fill the memory.
    """
    if not str(path).strip():
        raise ProfileError("profile", "", tr("empty file name; give the path of a profile file"))
    path = Path(path)
    source = path.name or str(path)
    try:
        data = read_small_file(path, MAX_PROFILE_BYTES)
    except FileNotFoundError:
        raise ProfileError(str(path), "", tr("no such file; check the path")) from None
    except IsADirectoryError:
        raise ProfileError(str(path), "", tr("is a folder, not a profile file")) from None
    except NotARegularFile:
        raise ProfileError(
            str(path), "", tr("is not a regular file (a device, a pipe or a socket); give a .toml file")
        ) from None
    except FileTooBig as exc:
        raise ProfileError(
            str(path),
            "",
            tr("is {size} bytes; a profile is at most {limit} bytes", size=exc.size, limit=MAX_PROFILE_BYTES),
        ) from None
    except OSError as exc:
        raise ProfileError(str(path), "", tr("cannot be read ({reason})", reason=exc.strerror or str(exc))) from None
    return parse_profile(data, source=source, origin=str(path))


def load_bundled_profile(name: str = BUNDLED_PROFILE) -> Profile:
    """A profile shipped with sparkgui (resources/profiles/NAME.toml)."""
    if name not in bundled_profile_names():
        raise ProfileError(
            name, "", tr("no bundled profile of that name; choose {names}", names=", ".join(bundled_profile_names()))
        )
    data = resources.files("sparkgui_resources").joinpath("profiles", f"{name}.toml").read_bytes()
    return parse_profile(data, source=f"{name}.toml", origin=f"bundled:{name}")


def bundled_profile_names() -> list[str]:
    """List the names of the profiles shipped with sparkgui, sorted."""
    folder = resources.files("sparkgui_resources").joinpath("profiles")
    return sorted(item.name.removesuffix(".toml") for item in folder.iterdir() if item.name.endswith(".toml"))


def parse_profile(data: bytes, *, source: str, origin: str | None = None) -> Profile:
    """Read a profile from TOML bytes; errors name `source`; `origin` (default: `source`) becomes `Profile.source`."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # Windows Notepad's byte-order mark
    except UnicodeDecodeError:
        raise ProfileError(source, "", tr("is not UTF-8 text; save it as UTF-8")) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, "", tr("is not valid TOML ({problem})", problem=str(exc))) from None
    except RecursionError:
        raise ProfileError(source, "", tr("is nested too deeply to be a profile")) from None
    except ValueError as exc:  # a whole number of thousands of digits
        raise ProfileError(
            source, "", tr("holds a value TOML cannot read ({problem})", problem=str(exc)[:100])
        ) from None
    try:
        profile = read_profile_tree(raw, source=source, origin=origin or source)
    except RecursionError:
        raise ProfileError(source, "", tr("is nested too deeply to be a profile")) from None
    except (ValueError, OverflowError) as exc:  # a slip of the validator's: still the profile's fault, named
        if isinstance(exc, ProfileError):
            raise
        raise ProfileError(
            source, "", tr("holds a value sparkgui cannot use ({problem})", problem=str(exc)[:100])
        ) from None
    return replace(profile, digest=hashlib.sha256(data).hexdigest())
