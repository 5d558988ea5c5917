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


def test_the_window_and_the_cli_are_kept_from_every_engine_module_but_its_api() -> None:
    """The import-linter contract lists the engine's modules one by one: a new module of the
    engine must join the list, or the window could import it unnoticed."""
    import pkgutil
    import tomllib
    from pathlib import Path

    import ablage_desktop.engine

    pyproject = Path(__file__).parent.parent / "pyproject.toml"
    contracts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["importlinter"]
    (contract,) = [
        c for c in contracts["contracts"] if "ablage_desktop.gui" in c.get("source_modules", [])
    ]
    children = {m.name for m in pkgutil.iter_modules(ablage_desktop.engine.__path__)}
    public = {"api", "errors"}

    assert set(contract["source_modules"]) == {"ablage_desktop.gui", "ablage_desktop.cli"}
    assert public <= children
    assert set(contract["forbidden_modules"]) == {
        f"ablage_desktop.engine.{name}" for name in children - public
    }


def test_the_decoder_process_imports_only_what_it_runs() -> None:
    """The decoder process imports ``ablage_desktop.app`` again as its main (multiprocessing's
    "spawn") and then its own module: neither may pull in the command line, the engine's API
    or the backends (0.6 s more for each start, after every crash of a parser)."""
    worker = "ablage_desktop.engine.intake.decoding.worker"
    whole = ("ablage_desktop.cli", "ablage_desktop.engine.api", "ablage_desktop.engine.backends")
    probe = (
        f"import sys, ablage_desktop.app, {worker}; "
        f"print(' '.join(m for m in {whole!r} if m in sys.modules))"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
