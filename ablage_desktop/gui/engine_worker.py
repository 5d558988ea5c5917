"""The engine behind the window, under its old name: ``gui/bridge.py`` and ``gui/workers/``.

Kept so that code importing ``ablage_desktop.gui.engine_worker`` (scripts, tests, benchmarks)
goes on working; new code imports from the modules themselves.
"""

from ablage_desktop.engine import AUTO
from ablage_desktop.gui.bridge import ACTIVITY_REFRESH_S, EngineBridge
from ablage_desktop.gui.model_requests import UNLOAD_WAIT_S
from ablage_desktop.gui.workers.batch import EngineWorker

__all__ = [
    "ACTIVITY_REFRESH_S",
    "AUTO",
    "UNLOAD_WAIT_S",
    "EngineBridge",
    "EngineWorker",
]
