"""The engine and the CLI start without Qt and without torch (a fast start for both)."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("torch", "transformers", "PySide6", "pyqtgraph", "rapidocr", "tesserocr", "onnxruntime")


@pytest.mark.parametrize(
    "module", ["ablage_desktop.engine", "ablage_desktop.cli", "ablage_desktop.app"]
)
def test_importing_leaves_heavy_packages_out(module: str) -> None:
    probe = f"import sys, {module}; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
