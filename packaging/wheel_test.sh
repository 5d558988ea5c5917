#!/usr/bin/env bash
# `make wheel-test`: build the wheel from a clean copy of the source tree, install it into a
# FRESH virtual environment outside the tree, and run the installed `ablage-desktop` from
# another folder (packaging/smoke_test.py: --version, models list, ocr with rapidocr and
# tesseract on PNG and PDF, the window offscreen). Then `pip install <source folder>` into the
# same environment and check again. This proves that the configuration, translations and icon
# are package data and that the wheel's dependencies are complete.
#
# Environment:
#   WHEELTEST_DIR  where everything goes (default /tmp/ablage-wheeltest; emptied first)
#   PYTHON         the interpreter for the fresh venv (default python3, 3.11+)
#   TORCH_PIN      installed first, as in the Makefile (default torch==2.13.0)
#   PIP_ARGS       extra pip arguments, e.g. "--extra-index-url https://download.pytorch.org/whl/cpu"
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WHEELTEST_DIR="${WHEELTEST_DIR:-/tmp/ablage-wheeltest}"
PYTHON="${PYTHON:-python3}"
TORCH_PIN="${TORCH_PIN:-torch==2.13.0}"
read -r -a EXTRA <<<"${PIP_ARGS:-}"

case "$WHEELTEST_DIR" in
  "$ROOT"|"$ROOT"/*) echo "wheel-test: WHEELTEST_DIR must be outside the source tree" >&2; exit 2 ;;
esac

step() { printf '\n== %s (%ds)\n' "$*" "$SECONDS"; }

rm -rf "$WHEELTEST_DIR"
mkdir -p "$WHEELTEST_DIR"/{src,dist,work}

step "copy the source tree (tracked and new files, as git sees them; no build outputs)"
cd "$ROOT"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' file; do
  # (a tracked file deleted in the working tree is not there to copy)
  if [ -f "$file" ]; then cp --parents "$file" "$WHEELTEST_DIR/src"; fi
done
test -f "$WHEELTEST_DIR/src/pyproject.toml"
echo "  $(find "$WHEELTEST_DIR/src" -type f | wc -l) files"

step "build the wheel"
"$PYTHON" -m venv "$WHEELTEST_DIR/venv"
VPY="$WHEELTEST_DIR/venv/bin/python"
"$VPY" -m pip install --quiet --upgrade pip
"$VPY" -m pip wheel --quiet --no-deps "${EXTRA[@]}" -w "$WHEELTEST_DIR/dist" "$WHEELTEST_DIR/src"
WHEEL="$(ls "$WHEELTEST_DIR"/dist/ablage_desktop-*.whl)"
ls -l "$WHEEL"

step "the wheel carries the package data"
"$VPY" - "$WHEEL" <<'EOF'
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
needed = [
    "ablage_desktop/config/models.yaml",
    "ablage_desktop/gui/translations/ablage_de.qm",
    "ablage_desktop/resources/ablage-desktop.svg",
    "ablage_desktop/resources/ablage-desktop-256.png",
]
missing = [n for n in needed if n not in names]
if missing:
    sys.exit(f"wheel-test: the wheel lacks {missing}")
entry = [n for n in names if n.endswith("entry_points.txt")]
print(f"  ok: {len(names)} files, package data present, {entry[0]}")
EOF

step "install the wheel into the fresh venv ($TORCH_PIN first)"
"$VPY" -m pip install --quiet "${EXTRA[@]}" "$TORCH_PIN"
"$VPY" -m pip install --quiet "${EXTRA[@]}" "$WHEEL" "$TORCH_PIN"
"$VPY" -m pip check

step "run the installed program from $WHEELTEST_DIR/work"
cd "$WHEELTEST_DIR/work"
"$VPY" "$ROOT/packaging/smoke_test.py" --program "$WHEELTEST_DIR/venv/bin/ablage-desktop" --gui

step "pip install <source folder> into the same venv, and check again"
rm -rf "$WHEELTEST_DIR/src/build" "$WHEELTEST_DIR"/src/*.egg-info
"$VPY" -m pip install --quiet --no-deps --force-reinstall "${EXTRA[@]}" "$WHEELTEST_DIR/src"
"$VPY" "$ROOT/packaging/smoke_test.py" --program "$WHEELTEST_DIR/venv/bin/ablage-desktop" \
  --backends tesseract

step "wheel-test passed; venv size $(du -sh "$WHEELTEST_DIR/venv" | cut -f1)"
