"""Render the application icon (SVG) into the PNG sizes a desktop and the installers need.

Uses PySide6's QSvgRenderer (already a dependency of the app), so no extra tool is needed; runs
without a display (``QT_QPA_PLATFORM=offscreen`` is set here). Writes

* ``resources/icons/hicolor/<N>x<N>/apps/<APP_ID>.png`` for N in 16..512, plus the SVG under
  ``hicolor/scalable/apps`` (the freedesktop icon theme layout; install-desktop.sh copies it);
* ``ablage_desktop/resources/ablage-desktop.svg`` and ``ablage-desktop-<N>.png`` (package data
  the window loads through importlib.resources).

Usage: ``.venv/bin/python packaging/render_icons.py`` from the repository root.
"""

# ruff: noqa: T201  (a command-line script: it reports by printing)

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "resources" / "icons" / "ablage-desktop.svg"
APP_ID = "de.ablage.AblageDesktop"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
PACKAGE_SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"render_icons: could not write {out}")


def main() -> int:
    hicolor = ROOT / "resources" / "icons" / "hicolor"
    package = ROOT / "ablage_desktop" / "resources"
    for size in SIZES:
        render(SOURCE, size, hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    scalable = hicolor / "scalable" / "apps" / f"{APP_ID}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, scalable)
    package.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE, package / "ablage-desktop.svg")
    for size in PACKAGE_SIZES:
        shutil.copyfile(
            hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png",
            package / f"ablage-desktop-{size}.png",
        )
    print(f"render_icons: {len(SIZES)} sizes under {hicolor}, package copies in {package}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
