"""Print each release artefact's size against its target, and write their SHA-256 sums (portable: any OS).

Run by build/build-installer.sh: python build/artefacts.py KIND PATH… where KIND is `onedir` (the onedir
build's archive, the tarball, setup program or dmg a person downloads: at most 40 MB) or `onefile` (the
portable program: at most 50 MB). A .deb is listed with its size, against no target: it is the same build
for apt, compressed the way dpkg allows. A folder is listed with its unpacked size.
Sums go to build/out/SHA256SUMS in `sha256sum` format, so `sha256sum -c SHA256SUMS` checks them.
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

TARGETS_MB = {"onedir": 40.0, "onefile": 50.0}
WITHOUT_TARGET = (".deb",)
SUMS = Path(__file__).resolve().parent / "out" / "SHA256SUMS"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def folder_bytes(folder: Path) -> int:
    return sum(item.stat().st_size for item in folder.rglob("*") if item.is_file() and not item.is_symlink())


def main(kind: str, paths: list[str]) -> int:
    target = TARGETS_MB[kind]
    lines, over = [], False
    for given in paths:
        path = Path(given)
        if path.is_dir():
            print(f"artefacts: {path}/: {folder_bytes(path) / 1e6:.1f} MB unpacked")
            continue
        size = path.stat().st_size / 1e6
        if path.name.endswith(WITHOUT_TARGET):
            print(f"artefacts: {path.name}: {size:.1f} MB")
        else:
            verdict = "within" if size <= target else "OVER"
            over = over or size > target
            print(f"artefacts: {path.name}: {size:.1f} MB ({verdict} the {target:g} MB target)")
        lines.append(f"{sha256(path)}  {path.name}\n")
    SUMS.parent.mkdir(parents=True, exist_ok=True)
    SUMS.write_text("".join(lines), encoding="utf-8")
    print(f"artefacts: SHA-256 sums in {SUMS}")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2:]))
