"""Write screenshots of a program's text window, in light and dark themes, for ``quality.py``.

A desktop OCR tool is handed screenshots (pasted with Ctrl+V): print drawn for the screen at
96 dpi, 9 and 10 point (characters 9-12 pixels high), sharp and anti-aliased, on a flat
ground, often light on dark. Each page is a Qt text window (the app's own toolkit, drawn
offscreen) holding the start of one of the data set's ground truths (a German invoice, a
German letter, English prose), in three themes (light, a dark editor's, a light blue one)
and three faces of DejaVu (sans serif 9 pt, serif 10 pt, monospaced 9 pt; ``--large``: sans
serif 16 pt and serif 14 pt instead); its ground truth is the text the window holds. So

    python benchmarks/screenshots.py ../shared/data /tmp/screens
    python benchmarks/quality.py /tmp/screens --backends auto,rapidocr,tesseract

scores every engine on screenshots (the group ``screenshot``).
"""

from __future__ import annotations

import argparse
import os
import sys
from io import BytesIO
from pathlib import Path

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))

from generated_pages import GeneratedPages  # noqa: E402

TEXTS = {
    "invoice": ("de_symtrax_fremdwaehrung.gt.txt", 1800),
    "letter": ("de_ferd_physiotherapeut.gt.txt", 1500),
    "prose": ("pdfen_movie_plot.gt.txt", 1800),
}
"""Each window's text: the start of a ground truth of the data set (characters)."""
THEMES = {
    "light": ("#ffffff", "#000000"),
    "dark": ("#1e1e1e", "#d4d4d4"),
    "blue": ("#e8f0fe", "#202124"),
}
"""Ground and print."""
FACES = (("DejaVu Sans", 9), ("DejaVu Serif", 10), ("DejaVu Sans Mono", 9))
LARGE_FACES = (("DejaVu Sans", 16), ("DejaVu Serif", 14))
SCREEN_DPI = 96


def truth_of(data: Path, name: str, length: int) -> str:
    """The start of a ground truth, cut at the end of a line."""
    text = (data / name).read_text(encoding="utf-8")[:length]
    return text[: text.rfind("\n") + 1] if "\n" in text else text


def window(text: str, ground: str, ink: str, family: str, points: int) -> Image.Image:
    """A text window holding ``text`` whole, without wrapping, drawn as the screen shows it."""
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QColor, QFont, QPalette
    from PySide6.QtWidgets import QTextEdit

    edit = QTextEdit()
    edit.setPlainText(text)
    edit.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
    font = QFont(family)
    font.setPointSize(points)
    edit.setFont(font)
    palette = edit.palette()
    palette.setColor(QPalette.ColorRole.Base, QColor(ground))
    palette.setColor(QPalette.ColorRole.Text, QColor(ink))
    edit.setPalette(palette)
    size = edit.document().size().toSize()
    edit.resize(size.width() + 30, size.height() + 30)
    edit.show()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    edit.grab().save(buffer, "PNG")
    edit.close()
    return Image.open(BytesIO(bytes(buffer.data()))).convert("RGB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the data set, whose ground truths are shown")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--large", action="store_true", help="16 and 14 point instead")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    pages = GeneratedPages(
        args.folder, "benchmarks/screenshots.py", "de", "generated", "screenshot"
    )
    for name, (source, length) in TEXTS.items():
        text = truth_of(args.data, source, length)
        for theme, (ground, ink) in THEMES.items():
            for family, points in LARGE_FACES if args.large else FACES:
                face = family.split()[-1].lower()
                image = window(text, ground, ink, family, points)
                pages.add(f"{name}_{theme}_{face}{points}", image, SCREEN_DPI, text)
    app.processEvents()
    pages.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
