#!/usr/bin/env bash
# Set up a development machine (Debian 12 or later): system packages, then a virtual environment in .venv
# with sparkgui installed in editable mode and its test tools. Safe to run again; it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's runtime libraries and a font (without fonts Qt draws boxes and the PDF has no text), Xvfb for
# screenshots, poppler for PDF checks, the real servers the network lab runs, and what the Linux build uses
# to trim Qt's ICU data (build/trim_icu.py).
# iperf3 is the baseline of bench/bandwidth_vs_iperf3.py. redis-server backs the probe's shared sessions in the
# tests; Chromium and its driver open the probe's test link page as a phone would (tests/browser).
APT_PACKAGES=(
  libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libx11-xcb1 libxkbcommon0 libxkbcommon-x11-0
  libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-randr0 libxcb-render-util0
  libxcb-image0 libxcb-xfixes0 libxcb-xkb1 fonts-dejavu-core
  xvfb xauth poppler-utils
  dnsmasq-base squid-openssl nftables iproute2 dnsutils curl libfaketime
  icu-devtools gcc binutils
  iperf3
  redis-server chromium chromium-driver
)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
echo "setup: ready (.venv)"
