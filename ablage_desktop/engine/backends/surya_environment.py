"""Surya's own environment: a virtual environment with surya-ocr and the app's torch.

Built by the Makefile (``.venv-surya`` beside the source) and by ``models download surya``
(``surya-env`` in the app's data folder). Three pip steps, because surya-ocr's pins would
otherwise pull a CUDA torchvision that breaks the CPU torch's imports: torch, then Surya's
requirements without torch and torchvision (``surya_requirements.txt``), then surya-ocr
itself without its dependencies (``surya_package.txt``).
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import venv
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

REQUIREMENTS = Path(__file__).with_name("surya_requirements.txt")
PACKAGE = Path(__file__).with_name("surya_package.txt")


def app_torch_pin() -> str:
    """``torch==X.Y.Z`` of the app's own torch (without a local build tag)."""
    version = metadata.version("torch").split("+")[0]
    return f"torch=={version}"


def build_environment(folder: Path, torch_pin: str | None = None) -> Path:
    """Create (or complete) the environment in ``folder``; returns its Python.

    Raises ``subprocess.CalledProcessError`` when pip fails (no network, no wheel)."""
    python = folder / "bin" / "python"
    if not python.exists():
        log.info("Creating Surya's environment in %s", folder)
        venv.EnvBuilder(with_pip=True, clear=False).create(folder)
    pin = torch_pin or app_torch_pin()
    steps = (
        ["install", "--quiet", pin],
        ["install", "--quiet", "-r", str(REQUIREMENTS), pin],
        ["install", "--quiet", "--no-deps", "-r", str(PACKAGE)],
    )
    for step in steps:
        subprocess.run([str(python), "-m", "pip", *step], check=True)
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build Surya's own environment.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--torch", default=None, help="the torch requirement (default: the app's)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    build_environment(args.folder, args.torch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
