"""Help > About: the version, and the licences of the components the app ships with."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ablage_desktop import __version__


@dataclass(frozen=True)
class Component:
    name: str
    licence: str
    url: str


COMPONENTS = (
    Component("Ablage Desktop", "Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    Component(
        "Qt 6 / PySide6", "LGPL-3.0", "https://www.qt.io/licensing/open-source-lgpl-obligations"
    ),
    Component(
        "Tesseract OCR (tesserocr)",
        "Apache-2.0 (tesserocr: MIT)",
        "https://github.com/tesseract-ocr/tesseract",
    ),
    Component("RapidOCR", "Apache-2.0", "https://github.com/RapidAI/RapidOCR"),
    Component(
        "PaddleOCR models (PP-OCR)", "Apache-2.0", "https://github.com/PaddlePaddle/PaddleOCR"
    ),
    Component("ONNX Runtime", "MIT", "https://github.com/microsoft/onnxruntime"),
    Component("OpenCV", "Apache-2.0", "https://opencv.org/license/"),
    Component(
        "PDFium (pypdfium2)",
        "Apache-2.0 / BSD-3-Clause",
        "https://github.com/pypdfium2-team/pypdfium2",
    ),
    Component("Pillow", "MIT-CMU", "https://github.com/python-pillow/Pillow"),
    Component(
        "pikepdf (qpdf; veraPDF's PDF/A rules)",
        "MPL-2.0 (qpdf: Apache-2.0; the rules: CC-BY-4.0)",
        "https://github.com/pikepdf/pikepdf",
    ),
    Component("pyqtgraph", "MIT", "https://github.com/pyqtgraph/pyqtgraph"),
    Component(
        "matplotlib",
        "PSF-based (matplotlib licence)",
        "https://matplotlib.org/stable/project/license.html",
    ),
    Component("PyTorch", "BSD-3-Clause", "https://github.com/pytorch/pytorch"),
    Component(
        "Hugging Face transformers, accelerate",
        "Apache-2.0",
        "https://github.com/huggingface/transformers",
    ),
    Component("bitsandbytes", "MIT", "https://github.com/bitsandbytes-foundation/bitsandbytes"),
    Component("pydantic", "MIT", "https://github.com/pydantic/pydantic"),
    Component("PyYAML", "MIT", "https://github.com/yaml/pyyaml"),
    Component("psutil", "BSD-3-Clause", "https://github.com/giampaolo/psutil"),
    Component("RapidFuzz", "MIT", "https://github.com/rapidfuzz/RapidFuzz"),
    Component(
        "pyspellchecker (German and English word lists)",
        "MIT",
        "https://github.com/barrust/pyspellchecker",
    ),
    Component("platformdirs", "MIT", "https://github.com/tox-dev/platformdirs"),
    Component(
        "NVIDIA ML Python bindings", "BSD-3-Clause", "https://pypi.org/project/nvidia-ml-py/"
    ),
)
"""What the app bundles (see pyproject.toml and packaging/); each entry names its licence."""


class AboutBox(QMessageBox):
    """The version, what the app is, and a table of components and licences."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Ablage Desktop"))
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setText(self.html())
        self.setIconPixmap(parent.windowIcon().pixmap(64, 64))
        self.setStandardButtons(QMessageBox.StandardButton.Ok)

    def html(self) -> str:
        rows = "".join(
            f"<tr><td>{escape(c.name)}</td>"
            f'<td><a href="{escape(c.url)}">{escape(c.licence)}</a></td></tr>'
            for c in COMPONENTS
        )
        intro = self.tr("Ablage Desktop {0}: OCR for the office archive.").format(__version__)
        note = self.tr(
            "Ablage Desktop contains these components; each is used under its own licence. "
            "Model weights that you download yourself keep the licence of their authors."
        )
        component = escape(self.tr("Component"))
        licence = escape(self.tr("Licence"))
        header = f"<tr><th align='left'>{component}</th><th align='left'>{licence}</th></tr>"
        return (
            f"<p>{escape(intro)}</p><p>{escape(note)}</p>"
            f"<table cellspacing='4'>{header}{rows}</table>"
        )


def show_about(parent: QWidget) -> AboutBox:
    """The About box, opened window-modal without blocking; returned so tests can read it."""
    box = AboutBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box
