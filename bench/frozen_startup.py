"""Start-up of the frozen program: first paint and `--help` of the onedir build, the onefile build and the
source, beside a bare PySide6 window frozen the same way (the floor PyInstaller and Qt set). Median of 5
fresh processes each, after one warm-up launch (a second launch of an installed app is what people see).

Targets: the onedir's first paint at most 1.2x the source's; the onedir's `--help` under 400 ms.

Run: bash build/build-installer.sh && bash build/build-installer.sh --onefile     (the two sparkgui builds)
     xvfb-run -a .venv/bin/python bench/frozen_startup.py   (offscreen without a display)
The bare window is frozen here, once, into build/out/bench-frozen/ (PyInstaller, onedir and onefile, stripped,
no UPX: the options installer.spec uses, but not its slimming, so the bare onefile unpacks every Qt plugin and
translation and can start slower than sparkgui's). A build that is missing is reported as such, never timed.

Measured here (Xvfb, 2 cores): source 294 ms, onedir 346 ms (1.18x), onefile 865 ms (2.9x: it unpacks 128 MB
first); `--help` 67 ms from source, 316 ms onedir, 771 ms onefile; bare window 175 / 160 / 1016 ms.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _util import ROOT, figure, median

ROUNDS = 5
DIST = ROOT / "build" / "out" / "dist"
BENCH_OUT = ROOT / "build" / "out" / "bench-frozen"
TRIVIAL = ROOT / "bench" / "frozen" / "trivial_window.py"
SOURCE = [sys.executable, "-m", "sparkgui"]


def freeze_trivial() -> dict[str, list[str]]:
    """The bare window, frozen onedir and onefile (built once; delete build/out/bench-frozen to rebuild)."""
    made = {
        "onedir": BENCH_OUT / "onedir" / "trivial-window" / "trivial-window",
        "onefile": BENCH_OUT / "onefile" / "trivial-window",
    }
    for mode, program in made.items():
        if program.exists():
            continue
        print(f"freezing the bare window ({mode}) …", file=sys.stderr)
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", f"--{mode}", "--strip",
             "--noupx", "--name", "trivial-window", "--distpath", str(BENCH_OUT / mode),
             "--workpath", str(BENCH_OUT / f"work-{mode}"), "--specpath", str(BENCH_OUT), str(TRIVIAL)],
            check=True,
            timeout=900,
        )  # fmt: skip
    return {mode: [str(program)] for mode, program in made.items()}


def paint_seconds(command: list[str], env: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "painted"
        began = time.time()
        subprocess.run(command, env={**env, "SPARKGUI_FIRST_PAINT_FILE": str(target)}, timeout=60, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        return float(target.read_text(encoding="utf-8")) - began


def help_seconds(command: list[str], env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run([*command, "--help"], env=env, timeout=60, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - began


def measure(window: list[str], cli: list[str], env: dict[str, str]) -> tuple[float, float]:
    paint_seconds(window, env)  # warm-up: the OS file cache, and a onefile's first unpacking
    help_seconds(cli, env)
    paint = median([paint_seconds(window, env) for _ in range(ROUNDS)])
    return paint, median([help_seconds(cli, env) for _ in range(ROUNDS)])


def main() -> None:
    env = dict(os.environ)
    env["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="sparkgui-bench-")  # never the user's own settings
    env["SPARKGUI_DATA_DIR"] = tempfile.mkdtemp(prefix="sparkgui-bench-data-")
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    print(f"platform: {env.get('QT_QPA_PLATFORM', 'xcb')}; median of {ROUNDS} launches after one warm-up")
    trivial = freeze_trivial()
    candidates = {
        "source": (SOURCE, SOURCE),
        "onedir": ([str(DIST / "sparkgui" / "sparkgui")], [str(DIST / "sparkgui" / "sparkgui-cli")]),
        "onefile": ([str(DIST / "onefile" / "sparkgui")], [str(DIST / "onefile" / "sparkgui")]),
        "bare window, source": ([sys.executable, str(TRIVIAL)], [sys.executable, str(TRIVIAL)]),
        "bare window, onedir": (trivial["onedir"], trivial["onedir"]),
        "bare window, onefile": (trivial["onefile"], trivial["onefile"]),
    }
    results: dict[str, tuple[float, float]] = {}
    for name, (window, cli) in candidates.items():
        if not Path(window[0]).exists() or not Path(cli[0]).exists():
            print(f"{name:<44} not built: run bash build/build-installer.sh{' --onefile' if 'onefile' in name else ''}")
            continue
        results[name] = measure(window, cli, env)
        figure(f"{name}: first paint", results[name][0] * 1000, "ms")
        figure(f"{name}: --help", results[name][1] * 1000, "ms")
    source = results.get("source")
    if source is None:
        return
    for name in ("onedir", "onefile"):
        if name in results:
            note = "(target <= 1.2)" if name == "onedir" else ""
            figure(f"{name} / source, first paint", results[name][0] / source[0], "x", note)
    if "onedir" in results:
        figure("onedir --help", results["onedir"][1] * 1000, "ms", "(target < 400 ms)")
    for name in ("onedir", "onefile"):
        bare = results.get(f"bare window, {name}")
        if name in results and bare is not None:
            figure(f"{name} above the bare window frozen alike", (results[name][0] - bare[0]) * 1000, "ms")


if __name__ == "__main__":
    main()
