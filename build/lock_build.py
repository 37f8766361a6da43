"""Write build/constraints.txt: every package a release build installs, pinned, the same on all three OSes.

    .venv/bin/python build/lock_build.py        (needs the package index; run it to move to newer versions)

pip resolves the app and build/requirements-build.txt for Linux, Windows and macOS wheels (`--dry-run
--report`). pip evaluates environment markers for the running OS only, so the packages PyInstaller and
pyspnego need on the other two are resolved on their own and pinned under their markers.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLATFORMS = {
    "linux": [
        "manylinux_2_39_x86_64",
        "manylinux_2_34_x86_64",
        "manylinux_2_28_x86_64",
        "manylinux_2_17_x86_64",
        "manylinux2014_x86_64",
    ],
    "windows": ["win_amd64"],
    "macos": ["macosx_14_0_arm64", "macosx_13_0_x86_64"],
}
OTHER_OS = {  # what the running OS's markers hide: PyInstaller's and pyspnego's own per-OS dependencies
    "pefile": 'sys_platform == "win32"',
    "pywin32-ctypes": 'sys_platform == "win32"',
    "sspilib": 'sys_platform == "win32"',
    "macholib": 'sys_platform == "darwin"',
}
LEAVE_OUT = {"sparkgui"}


def resolve(platforms: list[str], *requirements: str) -> dict[str, str]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        tags = [arg for tag in platforms for arg in ("--platform", tag)]
        command = [sys.executable, "-m", "pip", "install", "-q", "--dry-run", "--ignore-installed"]
        command += ["--report", str(report), "--only-binary=:all:", "--python-version", "3.11", *tags]
        command += ["--target", str(Path(folder) / "t"), *requirements]
        subprocess.run(command, check=True)
        install = json.loads(report.read_text(encoding="utf-8"))["install"]
    return {item["metadata"]["name"].lower().replace("_", "-"): item["metadata"]["version"] for item in install}


def main() -> int:
    pins: dict[str, str] = {}
    for name, tags in PLATFORMS.items():
        for package, version in resolve(tags, str(ROOT), "-r", str(ROOT / "build/requirements-build.txt")).items():
            if pins.setdefault(package, version) != version:
                print(f"lock_build: {package} resolves to {pins[package]} and {version} ({name})", file=sys.stderr)
                return 1
    extra = resolve(PLATFORMS["windows"] + PLATFORMS["macos"], *OTHER_OS)
    lines = [
        "# Every package a release build installs, pinned (build/build-installer.sh installs with -c this file).",
        "# Written by build/lock_build.py; regenerate it there, never by hand.",
        *(f"{package}=={version}" for package, version in sorted(pins.items()) if package not in LEAVE_OUT),
        *(f"{package}=={extra[package]} ; {marker}" for package, marker in sorted(OTHER_OS.items())),
    ]
    (ROOT / "build/constraints.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"lock_build: {len(lines) - 2} pins in build/constraints.txt")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
