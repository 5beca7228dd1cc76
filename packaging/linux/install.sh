#!/bin/sh
# Installs Skeptic from this unpacked tarball.
#   ./install.sh                        for yourself, into ~/.local
#   sudo ./install.sh --prefix /usr/local   for every user of the machine
# Puts the program in PREFIX/lib/skeptic, the command in PREFIX/bin/skeptic, and the menu
# entry, icons and AppStream metadata in PREFIX/share. PREFIX/lib/skeptic/uninstall.sh undoes it.
set -eu
APP_ID=io.github.skeptic_trainer.Skeptic
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${HOME}/.local"
if [ "${1:-}" = "--prefix" ] && [ -n "${2:-}" ]; then PREFIX="$2"
elif [ $# -gt 0 ]; then echo "usage: $0 [--prefix DIR]" >&2; exit 2
fi
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo" \
  "$PREFIX/share/doc/skeptic"
rm -rf "$PREFIX/lib/skeptic"
cp -R "$HERE/skeptic" "$PREFIX/lib/skeptic"
cp "$HERE/uninstall.sh" "$PREFIX/lib/skeptic/uninstall.sh"
ln -sf "$PREFIX/lib/skeptic/skeptic" "$PREFIX/bin/skeptic"
# The menu entry names the command by its full path, so it works without PREFIX/bin on PATH.
sed -e "s|^Exec=skeptic|Exec=$PREFIX/bin/skeptic|" -e "s|^TryExec=skeptic|TryExec=$PREFIX/bin/skeptic|" \
  "$HERE/share/applications/$APP_ID.desktop" >"$PREFIX/share/applications/$APP_ID.desktop"
cp "$HERE/share/metainfo/$APP_ID.metainfo.xml" "$PREFIX/share/metainfo/"
cp -R "$HERE/share/icons" "$PREFIX/share/"
cp "$HERE/LICENSE" "$HERE/THIRD-PARTY-NOTICES.txt" "$PREFIX/share/doc/skeptic/"

command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$PREFIX/share/applications" || true
command -v gtk-update-icon-cache >/dev/null 2>&1 \
  && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
echo "Skeptic is installed: $PREFIX/bin/skeptic (and in the applications menu)."
echo "To remove it: $PREFIX/lib/skeptic/uninstall.sh"
