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


def test_every_public_name_of_the_engine_loads_from_the_module_it_is_listed_under() -> None:
    """The root's table of names (``_HOMES``) and ``__all__`` are kept by hand (ruff keeps
    ``__all__`` and the ``TYPE_CHECKING`` imports together): a name missing from the table, or
    listed under the wrong module, would fail only where it is first used."""
    import importlib

    import ablage_desktop.engine as engine

    homes = engine._HOMES  # type: ignore[attr-defined]
    assert set(homes) == set(engine.__all__)
    for name, home in homes.items():
        assert getattr(engine, name) is getattr(importlib.import_module(home), name), name
    with pytest.raises(AttributeError, match="no_such_name"):
        engine.no_such_name  # noqa: B018
