#!/bin/sh
# Put Ablage Desktop into the desktop's application menu, with its icon, and offer it for PDFs
# and images ("Open with"). Installs for the current user only (no root needed):
#
#   ~/.local/share/applications/de.ablage.AblageDesktop.desktop
#   ~/.local/share/icons/hicolor/<size>/apps/de.ablage.AblageDesktop.png (+ scalable SVG)
#   ~/.local/share/metainfo/de.ablage.AblageDesktop.metainfo.xml
#
# Usage:
#   packaging/install-desktop.sh                 # from the source tree, after pip/pipx install
#   ./install-desktop.sh                         # inside the PyInstaller folder build
#   install-desktop.sh --exec /path/to/ablage-desktop   # start this program instead
#   install-desktop.sh --prefix /usr/local/share        # elsewhere (e.g. system-wide, as root)
#   install-desktop.sh --uninstall                      # remove what it installed
#
# Inside the folder build, the menu entry starts the program beside this script (absolute
# path), so the folder should stay where it is; run the script again after moving it.
set -eu

APP_ID=de.ablage.AblageDesktop
HERE="$(cd "$(dirname "$0")" && pwd)"
PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}"
EXEC=""
UNINSTALL=0

while [ $# -gt 0 ]; do
  case "$1" in
    --exec) EXEC="$2"; shift 2 ;;
    --prefix) PREFIX="$2"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install-desktop.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

# Where the files come from: the folder build carries them under share/, the source tree
# under resources/.
if [ -d "$HERE/share/applications" ]; then
  DESKTOP="$HERE/share/applications/$APP_ID.desktop"
  METAINFO="$HERE/share/metainfo/$APP_ID.metainfo.xml"
  ICONS="$HERE/share/icons/hicolor"
  [ -n "$EXEC" ] || EXEC="$HERE/ablage-desktop"
else
  ROOT="$(cd "$HERE/.." && pwd)"
  DESKTOP="$ROOT/resources/linux/$APP_ID.desktop"
  METAINFO="$ROOT/resources/linux/$APP_ID.metainfo.xml"
  ICONS="$ROOT/resources/icons/hicolor"
fi

refresh() {
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$PREFIX/applications" 2>/dev/null || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$PREFIX/icons/hicolor/index.theme" ]; then
    gtk-update-icon-cache -q -f -t "$PREFIX/icons/hicolor" 2>/dev/null || true
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  rm -f "$PREFIX/applications/$APP_ID.desktop" "$PREFIX/metainfo/$APP_ID.metainfo.xml"
  for icon in "$PREFIX"/icons/hicolor/*/apps/"$APP_ID".png "$PREFIX"/icons/hicolor/*/apps/"$APP_ID".svg; do
    [ -e "$icon" ] && rm -f "$icon"
  done
  refresh
  echo "Removed Ablage Desktop's menu entry, icons and metainfo from $PREFIX"
  exit 0
fi

for file in "$DESKTOP" "$METAINFO" "$ICONS/scalable/apps/$APP_ID.svg"; do
  [ -f "$file" ] || { echo "install-desktop.sh: $file is missing" >&2; exit 1; }
done

mkdir -p "$PREFIX/applications" "$PREFIX/metainfo"
if [ -n "$EXEC" ]; then
  case "$EXEC" in /*) ;; *) EXEC="$(cd "$(dirname "$EXEC")" && pwd)/$(basename "$EXEC")" ;; esac
  [ -x "$EXEC" ] || { echo "install-desktop.sh: $EXEC is not an executable program" >&2; exit 1; }
  # Desktop Entry quoting: the path in double quotes, with \ " ` $ escaped by a backslash.
  QUOTED="$(printf '%s' "$EXEC" | sed 's/[\\"`$]/\\\\&/g')"
  sed -e "s|^Exec=.*|Exec=\"$QUOTED\" %F|" -e "s|^TryExec=.*|TryExec=$EXEC|" \
    "$DESKTOP" >"$PREFIX/applications/$APP_ID.desktop"
else
  if ! command -v ablage-desktop >/dev/null 2>&1; then
    echo "install-desktop.sh: note: 'ablage-desktop' is not on your PATH; the menu entry will" \
      "not show until it is (pipx puts it in ~/.local/bin), or use --exec PATH" >&2
  fi
  cp "$DESKTOP" "$PREFIX/applications/$APP_ID.desktop"
fi
chmod 644 "$PREFIX/applications/$APP_ID.desktop"
cp "$METAINFO" "$PREFIX/metainfo/$APP_ID.metainfo.xml"
for dir in "$ICONS"/*/apps; do
  size="$(basename "$(dirname "$dir")")"
  mkdir -p "$PREFIX/icons/hicolor/$size/apps"
  cp "$dir"/"$APP_ID".* "$PREFIX/icons/hicolor/$size/apps/"
done
refresh
if command -v desktop-file-validate >/dev/null 2>&1; then
  desktop-file-validate --no-hints "$PREFIX/applications/$APP_ID.desktop"
fi
echo "Installed Ablage Desktop's menu entry, icons and metainfo into $PREFIX"
echo "It starts: $(sed -n 's/^Exec=//p' "$PREFIX/applications/$APP_ID.desktop")"
