#!/usr/bin/env bash
# Build sparkgui with PyInstaller, smoke-test the frozen program, package it for this OS, print the sizes.
#
#   bash build/build-installer.sh             the onedir build: build/out/dist/sparkgui/ (sparkgui, sparkgui-cli)
#   bash build/build-installer.sh --onefile   the portable single file: build/out/dist/onefile/sparkgui
#
# The smoke test runs the frozen program: --version, an offline headless demo with its JSON report, the PAC
# worker, then --self-test (a demo through an offscreen window, the PDF and JSON read back). On Linux the
# onedir build is then packaged (build/package-linux.sh: a tarball with a per-user install script, and a
# .deb). Sizes are printed against their targets; every artefact gets its SHA-256 in build/out/SHA256SUMS. Windows and macOS package on their own
# runners (build/windows/sparkgui.iss, build/macos/make-dmg.sh), from this same build.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=onedir
case "${1:-}" in
  --onefile) mode=onefile ;;
  "") ;;
  *) echo "usage: $0 [--onefile]" >&2; exit 3 ;;
esac
PY=.venv/bin/python
[ -x .venv/Scripts/python.exe ] && PY=.venv/Scripts/python.exe   # a Windows runner's venv
[ -x "$PY" ] || bash build/setup-dev.sh
# Reproducible: the app's dependencies and the build tools at the versions build/constraints.txt pins.
"$PY" -m pip install -q -c build/constraints.txt -e . -r build/requirements-build.txt
began=$(date +%s)
"$PY" build/make_icons.py build/out/icons
if [ "$mode" = onefile ]; then
  # zlib level 9 for the Python modules too (PyInstaller's default is 6 there, 9 for the rest).
  PYINSTALLER_ZLIB_COMPRESSION_LEVEL=9 SPARKGUI_ONEFILE=1 "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath build/out/dist/onefile --workpath build/out/work-onefile installer.spec
  program=build/out/dist/onefile/sparkgui
  [ -f "$program.exe" ] && program="$program.exe"
  cli=$program
else
  rm -rf build/out/dist/sparkgui
  "$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath build/out/dist --workpath build/out/work installer.spec
  cp LICENSE build/out/dist/sparkgui/LICENSE.txt   # Apache-2.0, beside the programs in every package
  program=build/out/dist/sparkgui/sparkgui
  cli=build/out/dist/sparkgui/sparkgui-cli
  if [ -f "$program.exe" ]; then program="$program.exe"; cli="$cli.exe"; fi
fi
echo "build-installer: built in $(( $(date +%s) - began )) s"

# Smoke test of the frozen program (offline: the demo runs on loopback), with a history of its own.
export SPARKGUI_DATA_DIR="$PWD/build/out/smoke-data"
"$cli" --version
QT_QPA_PLATFORM=offscreen "$cli" --headless --demo ready --hold 1 --no-history --json build/out/demo-report.json >/dev/null
"$PY" build/pac_worker_smoke.py "$cli"   # stdin stays open while it works, as the app keeps it
QT_QPA_PLATFORM=offscreen "$cli" --self-test   # the console program: on Windows the window one has no stdout

# Packages, sizes against their targets, SHA-256 sums.
if [ "$mode" = onefile ]; then
  "$PY" build/artefacts.py onefile "$program"
else
  artefacts=(build/out/dist/sparkgui)
  if [ "$(uname -s)" = Linux ]; then
    while IFS= read -r made; do artefacts+=("$made"); done < <(bash build/package-linux.sh build/out/dist/sparkgui)
  fi
  "$PY" build/artefacts.py onedir "${artefacts[@]}"
fi
echo "build-installer: ok ($mode)"
