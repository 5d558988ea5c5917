"""What the user asks of the models: load, unload, quantization, a new server.

Each is an engine call in the control thread (``EngineBridge.run``), so it works while a batch
runs; the status bar says what happens before and after, and the models table is refreshed
when it is done. Errors reach the window through the bridge's ``failed``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ablage_desktop.engine import Engine
from ablage_desktop.engine.errors import AblageError, ModelBusy, UsageError

if TYPE_CHECKING:
    from ablage_desktop.gui.bridge import EngineBridge

UNLOAD_WAIT_S = 600.0
"""How long an unload waits for a model that is reading a page."""
WAITING = "waiting"
UNLOADED = "unloaded"


def unload_steps(engine: Engine, names: list[str]) -> Iterator[tuple[str, str]]:
    """Unload each of ``names``: ``(name, WAITING)`` when it is reading a page (then it is
    waited for), ``(name, UNLOADED)`` when it is gone."""
    for name in names:
        try:
            engine.unload(name)
        except ModelBusy:
            yield name, WAITING
            engine.unload(name, wait_s=UNLOAD_WAIT_S)
        yield name, UNLOADED


def unload_all_steps(engine: Engine) -> Iterator[tuple[str, str]]:
    """``unload_steps`` for every resident model."""
    yield from unload_steps(engine, engine.resident())


def add_server_steps(
    engine: Engine,
    name: str,
    entry: Mapping[str, object],
    first_in_auto: bool,
    save_to: Path | None,
) -> Iterator[str]:
    """Register and save the server (then yield its name), then ask whether it answers."""
    engine.add_server(name, entry, first_in_auto, save_to)
    yield name
    engine.load(name)


class ModelRequests(QObject):
    """The Models menu's and the models table's requests, with their words."""

    def __init__(self, bridge: EngineBridge, config_file: Path | None = None) -> None:
        super().__init__(bridge)
        self._bridge = bridge
        self._engine = bridge.engine
        self._config_file = config_file

    def _say(self, text: str) -> None:
        self._bridge.message.emit(text)

    def load(self, name: str) -> None:
        self._say(self.tr("Loading {0} ...").format(name))
        self._bridge.run(
            self._engine.load, name, on_result=self._loaded, on_finished=self._bridge.refresh
        )

    def _loaded(self, name: str) -> None:
        self._say(self.tr("{0} is loaded.").format(name))

    def unload(self, name: str) -> None:
        self._bridge.run(
            unload_steps,
            self._engine,
            [name],
            on_item=self._unload_news,
            on_finished=self._bridge.refresh,
        )

    def unload_all(self) -> None:
        self._bridge.run(
            unload_all_steps,
            self._engine,
            on_item=self._unload_news,
            on_finished=self._bridge.refresh,
        )

    def _unload_news(self, step: tuple[str, str]) -> None:
        name, stage = step
        if stage == WAITING:
            self._say(
                self.tr("{0} is reading a page; it unloads as soon as it is done.").format(name)
            )
        else:
            self._say(self.tr("{0} is unloaded.").format(name))

    def set_quantization(self, name: str, quantization: str) -> None:
        """Load ``name`` as ``quantization`` from now on (the engine refuses one it cannot
        take: the status bar says so, it is no error)."""

        def refused(error: AblageError) -> None:
            if isinstance(error, UsageError):
                self._say(self.tr("{0} cannot load as {1}.").format(name, quantization))
            else:
                self._bridge.failed.emit(error)

        self._bridge.run(
            self._engine.set_quantization,
            name,
            quantization,
            on_result=lambda _none: self._say(
                self.tr("{0} will load as {1}.").format(name, quantization)
            ),
            on_error=refused,
            on_finished=self._bridge.refresh,
        )

    def add_server(self, name: str, entry: dict[str, object], first_in_auto: bool) -> None:
        """Register a server, save it in the user's configuration, and check its health
        (the models table shows it, ``failed`` says why not)."""
        self._bridge.run(
            add_server_steps,
            self._engine,
            name,
            entry,
            first_in_auto,
            self._config_file,
            on_item=self._server_added,
            on_result=lambda _none: self._say(self.tr("{0} is ready.").format(name)),
            on_finished=self._bridge.refresh,
        )

    def _server_added(self, name: str) -> None:
        self._say(self.tr("Asking {0} whether it answers ...").format(name))
        self._bridge.refresh()
