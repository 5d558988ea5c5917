"""The benchmark scripts of ``benchmarks/`` loaded as modules, for the tests of their parts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load_script(file_name: str, module_name: str) -> ModuleType:
    """``benchmarks/<file_name>`` as the module ``module_name`` (registered: dataclasses look
    their module up)."""
    spec = importlib.util.spec_from_file_location(module_name, BENCHMARKS / file_name)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module
