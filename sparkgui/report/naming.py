"""Default file names for exported reports: platform, venue and date, safe on every file system."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path

MAX_PART_LENGTH = 40
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def default_file_name(platform: str, venue: str | None, when: datetime, ext: str, demo: bool = False) -> str:
    """E.g. `Sparkup_Palais-des-Congres_2024-05-14_1032.pdf`, and `DEMO_Sparkup_…` for a demo.

    ASCII only (accents folded), no spaces, so the name survives e-mail attachments and Windows; the time
    is kept so that two runs on the same day do not overwrite each other (`free_path` numbers two in one
    minute). A demo's file says so in its name, so a simulated result is never sent as a real one.
    """
    parts = [
        "DEMO" if demo else "",
        _slug(platform) or "sparkgui",
        _slug(venue or ""),
        when.strftime("%Y-%m-%d_%H%M"),
    ]
    extension = ext.lstrip(".").lower()
    stem = "_".join(part for part in parts if part)
    return f"{stem}.{extension}" if extension else stem


def free_path(folder: Path, name: str) -> Path:
    """`folder/name`, or `name_2`, `name_3`… when that file exists: two runs in one minute keep both PDFs."""
    candidate = folder / name
    stem, dot, extension = name.rpartition(".") if "." in name else (name, "", "")
    for number in range(2, 100):
        if not candidate.exists():
            break
        candidate = folder / f"{stem}_{number}{dot}{extension}"
    return candidate


# Letters that do not decompose into an ASCII letter and an accent, spelled as their languages spell them in ASCII.
_SPELLED = str.maketrans(
    {"ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Œ": "OE", "œ": "oe", "Ł": "L", "ł": "l", "Đ": "D",
     "đ": "d", "Þ": "Th", "þ": "th", "ı": "i"}
)  # fmt: skip


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.translate(_SPELLED)).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", folded).strip("-")[:MAX_PART_LENGTH].strip("-")


def rules_file_name(platform: str, ext: str) -> str:
    """E.g. `Sparkup_allow-list.csv`: the rules depend on the profile only, not on a run or a date."""
    return f"{_slug(platform) or 'sparkgui'}_allow-list.{ext.lstrip('.').lower()}"
