#!/bin/sh
# Removes what install.sh put in PREFIX (found from where this script is: PREFIX/lib/skeptic).
# Keeps the trainees' calls and settings: they are in ~/.local/share/Skeptic and
# ~/.config/Skeptic (remove those folders too to delete every call).
set -eu
APP_ID=io.github.skeptic_trainer.Skeptic
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${1:-$(dirname "$(dirname "$HERE")")}"
if [ ! -x "$PREFIX/lib/skeptic/skeptic" ]; then
  echo "uninstall.sh: no Skeptic installation in $PREFIX" >&2
  exit 2
fi
rm -f "$PREFIX/bin/skeptic" "$PREFIX/share/applications/$APP_ID.desktop" \
  "$PREFIX/share/metainfo/$APP_ID.metainfo.xml"
find "$PREFIX/share/icons/hicolor" -name "$APP_ID.*" -delete 2>/dev/null || true
rm -rf "$PREFIX/share/doc/skeptic" "$PREFIX/lib/skeptic"
# The shared caches of menu entries and icons stay (other programs' entries are in them too),
# refreshed so they no longer name Skeptic.
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$PREFIX/share/applications" || true
[ -f "$PREFIX/share/icons/hicolor/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1 \
  && gtk-update-icon-cache -q -t "$PREFIX/share/icons/hicolor" || true
echo "Skeptic is removed from $PREFIX (calls and settings are kept in your home folder)."
