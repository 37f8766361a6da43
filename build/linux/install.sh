#!/usr/bin/env bash
# Install sparkgui for this user only, no admin rights: the program in ~/.local/lib/sparkgui, the commands
# in ~/.local/bin, a menu entry and an icon. `./install.sh --uninstall` removes all of it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
lib="$HOME/.local/lib/sparkgui"
bin="$HOME/.local/bin"
entry="$data/applications/sparkgui.desktop"
icon="$data/icons/hicolor/512x512/apps/sparkgui.png"
if [ "${1:-}" = --uninstall ]; then
  rm -rf "$lib" "$bin/sparkgui" "$bin/sparkgui-cli" "$entry" "$icon"
  echo "sparkgui removed (your kept runs stay in $data/sparkgui)."
  exit 0
fi
mkdir -p "$HOME/.local/lib" "$bin" "$(dirname "$entry")" "$(dirname "$icon")"
rm -rf "$lib.new"
cp -a "$here/sparkgui" "$lib.new"
rm -rf "$lib" && mv "$lib.new" "$lib"   # an upgrade replaces the whole folder at once
ln -sfn "$lib/sparkgui" "$bin/sparkgui"
ln -sfn "$lib/sparkgui-cli" "$bin/sparkgui-cli"
cp "$here/sparkgui.png" "$icon"
sed "s|@EXEC@|$lib/sparkgui|; s|@ICON@|$icon|" "$here/sparkgui.desktop.in" > "$entry"
echo "sparkgui installed: start it from the applications menu, or run $bin/sparkgui"
case ":$PATH:" in *":$bin:"*) ;; *) echo "(add $bin to your PATH to run sparkgui by name)";; esac
