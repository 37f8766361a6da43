#!/usr/bin/env bash
# Build the self-contained sparkgui program with PyInstaller into build/out/dist/, then smoke-test it:
# the version, a headless demo run (offline, loopback only) with its JSON report, and the PAC worker.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash build/setup-dev.sh
.venv/bin/python -m pip install -q "pyinstaller>=6.5"
.venv/bin/pyinstaller --noconfirm --clean --distpath build/out/dist --workpath build/out/work installer.spec
binary=build/out/dist/sparkgui
"$binary" --version
QT_QPA_PLATFORM=offscreen "$binary" --headless --demo ready --hold 1 --json build/out/demo-report.json >/dev/null
echo '{"pac": "function FindProxyForURL(u, h) { return \"PROXY 192.0.2.1:3128\"; }", "urls": ["https://a.example/"]}' \
  | "$binary" --pac-worker | grep -q "PROXY 192.0.2.1:3128"
QT_QPA_PLATFORM=offscreen "$binary" --self-test   # a demo through the window, the exports, the PAC worker
ls -l "$binary"
echo "build-installer: ok ($(du -h "$binary" | cut -f1))"
