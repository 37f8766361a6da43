#!/usr/bin/env bash
# Package the Linux onedir build: a tarball with a per-user install script, and a .deb made with dpkg-deb.
#   bash build/package-linux.sh build/out/dist/sparkgui
# Prints the artefacts' paths on stdout (one per line); the rest goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
onedir=${1:?usage: package-linux.sh ONEDIR}
version=$(.venv/bin/python -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
arch=$(uname -m)
deb_arch=$(dpkg --print-architecture 2>/dev/null || echo amd64)
out=build/out/packages
rm -rf "$out" && mkdir -p "$out"

# The tarball (.tar.xz): sparkgui-VERSION-linux-ARCH/ with the program, its icon, and install.sh (no admin rights).
name="sparkgui-$version-linux-$arch"
stage="$out/stage/$name"
mkdir -p "$stage"
cp -a "$onedir" "$stage/sparkgui"
cp build/out/icons/app.png "$stage/sparkgui.png"
cp build/linux/install.sh "$stage/install.sh"
cp build/linux/sparkgui.desktop.in "$stage/sparkgui.desktop.in"
chmod 755 "$stage/install.sh"
# xz at its highest level, with the branch filter for this CPU's machine code (it makes executables far more
# compressible: 41 MB without it, 39 MB with it) and a dictionary that spans the whole folder.
case "$arch" in
  x86_64 | i?86) branch=--x86 ;;
  aarch64 | arm64) branch=--arm64 ;;
  *) branch= ;;
esac
tar -C "$out/stage" -cf - "$name" | xz $branch --lzma2=preset=9e,dict=192MiB -T1 > "$out/$name.tar.xz"
echo "package-linux: $out/$name.tar.xz" >&2
echo "$out/$name.tar.xz"

# The .deb: /opt/sparkgui, commands in /usr/bin, a menu entry and an icon.
root="$out/deb"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/512x512/apps"
cp -a "$onedir" "$root/opt/sparkgui"
ln -s /opt/sparkgui/sparkgui "$root/usr/bin/sparkgui"
ln -s /opt/sparkgui/sparkgui-cli "$root/usr/bin/sparkgui-cli"
cp build/out/icons/app.png "$root/usr/share/icons/hicolor/512x512/apps/sparkgui.png"
sed "s|@EXEC@|/opt/sparkgui/sparkgui|; s|@ICON@|sparkgui|" build/linux/sparkgui.desktop.in \
  > "$root/usr/share/applications/sparkgui.desktop"
installed_kb=$(du -sk "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: sparkgui
Version: $version
Architecture: $deb_arch
Maintainer: Sparkup <support@sparkup.app>
Installed-Size: $installed_kb
Depends: libc6, libegl1, libfontconfig1, libxkbcommon0, libxkbcommon-x11-0, libxcb-cursor0, libdbus-1-3
Section: net
Priority: optional
Homepage: https://www.sparkup.app/
Description: network readiness checker for live audience-interaction platforms
 Checks from a laptop on the venue's network that DNS, outgoing HTTPS on TCP 443, long-lived WebSockets
 and the venue's proxy let the platform work, explains each result with its fix, and exports a PDF for the
 venue's IT.
CONTROL
dpkg-deb --root-owner-group -Zxz -z6 --build "$root" "$out/sparkgui_${version}_${deb_arch}.deb" >&2
echo "$out/sparkgui_${version}_${deb_arch}.deb"
rm -rf "$out/stage" "$root"
