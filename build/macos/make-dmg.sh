#!/usr/bin/env bash
# Put build/out/dist/sparkgui.app in a dmg, signed and notarised when the environment gives the identities.
# Runs on macOS after `bash build/build-installer.sh` (see .github/workflows/release.yml).
#
#   MACOS_SIGN_IDENTITY   "Developer ID Application: …" (codesign); unset: an unsigned dmg, for testing only
#   MACOS_NOTARY_PROFILE  a notarytool keychain profile (xcrun notarytool store-credentials); unset: not notarised
#
# Steps when both are set: sign the app (hardened runtime, every nested binary), make the dmg, sign it,
# submit it to Apple's notary service and wait, staple the ticket, and check it with spctl.
set -euo pipefail
cd "$(dirname "$0")/../.."
app=build/out/dist/sparkgui.app
version=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
dmg="build/out/packages/sparkgui-$version-macos.dmg"
mkdir -p build/out/packages
[ -d "$app" ] || { echo "make-dmg: $app is missing: run build/build-installer.sh first" >&2; exit 1; }
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --deep --options runtime --timestamp --sign "$MACOS_SIGN_IDENTITY" "$app"
  codesign --verify --strict --verbose=2 "$app"
fi
rm -f "$dmg"
staging=$(mktemp -d)
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"   # drag to install; ~/Applications works without admin rights
hdiutil create -volname "sparkgui $version" -srcfolder "$staging" -ov -format UDZO "$dmg"
rm -rf "$staging"
if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$dmg"
fi
if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$dmg" --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
  xcrun stapler staple "$dmg"
  spctl --assess --type open --context context:primary-signature --verbose "$dmg"
fi
echo "$dmg"
