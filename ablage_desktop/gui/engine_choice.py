"""The engine and language the next documents are read with, and the models' settings.

The toolbar's engine box lists the models the engine reports (with their state and size), the
language box applies to the engines that take languages; both remember the user's choice. The
Models menu's quantization submenu follows the model selected in the models table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QComboBox

from ablage_desktop.engine import AUTO, BackendStatus
from ablage_desktop.gui.widgets.language_box import LanguageBox
from ablage_desktop.gui.widgets.models_panel import size_text

if TYPE_CHECKING:
    from ablage_desktop.gui.main_window import MainWindow


class EngineChoice(QObject):
    """The engine box and the language box, filled from the models' statuses."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.statuses: list[BackendStatus] = []
        self._filled = False
        self._entries: list[tuple[str, str, str, bool]] | None = None
        settings = window.settings

        self.backend_box = QComboBox(window)
        self.backend_box.setAccessibleName(self.tr("Engine for the next documents"))
        self.backend_box.setToolTip(self.tr("Engine for the next documents"))
        self.backend_box.addItem(self.tr("auto (chosen per page)"), AUTO)
        # Wide enough for its longest entry: "got_ocr2 — not downloaded, ~1.2 GiB" uncut.
        self.backend_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.backend_box.currentIndexChanged.connect(self.backend_changed)
        self.language_box = LanguageBox(window)
        self.language_box.choose(str(settings.value("ocr_language", "") or ""))
        self.language_box.currentIndexChanged.connect(self._language_changed)

    def backend(self) -> str:
        """The engine chosen for the next documents (``AUTO``: one per page)."""
        return self.backend_box.currentData() or AUTO

    def models_changed(self, statuses: list[BackendStatus]) -> None:
        window = self._window
        self.statuses = list(statuses)
        quantization = {s.name: s.quantization for s in statuses}
        window.models.set_statuses(statuses, quantization)
        self._fill_backend_box(statuses)
        window.queue.set_engines(
            [(s.name, s.name) for s in statuses if s.available and ":" not in s.name]
        )
        self.update_quantization_menu()

    def update_quantization_menu(self) -> None:
        window = self._window
        name = window.models.selected_model()
        status = self.status(name)
        window.quantization_menu.show_model(name, status.quantizations if status else ())

    def status(self, name: str | None) -> BackendStatus | None:
        """The last reported status of model ``name`` (None: no such model, or gone)."""
        return next((s for s in self.statuses if s.name == name), None)

    def quantize(self, quantization: str) -> None:
        name = self._window.models.selected_model()
        if name is None:
            self._window.statusBar().showMessage(
                self.tr("Select a model in the models table first."), 5000
            )
            return
        self._window.bridge.models.set_quantization(name, quantization)

    def _fill_backend_box(self, statuses: list[BackendStatus]) -> None:
        entries = self._box_entries(statuses)
        if entries == self._entries:  # a refresh for page progress: the box says the same
            self.update_language_box()
            return
        self._entries = entries
        box = self.backend_box
        current = box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        model = box.model()
        for text, name, tooltip, available in entries:
            box.addItem(text, name)
            row = box.count() - 1
            box.setItemData(row, tooltip, Qt.ItemDataRole.ToolTipRole)
            if not available:
                item = model.item(row)  # type: ignore[attr-defined]
                item.setEnabled(False)
        # The user's choice: the box's own until the first fill, where it is still "auto"
        # and the saved one counts; an engine unavailable now falls back to auto (and comes
        # back when it is available again, as the setting is kept).
        if self._filled:
            wanted = current or AUTO
        else:
            wanted = str(self._window.settings.value("backend", AUTO) or AUTO)
            self._filled = True
        index = box.findData(wanted)
        if index > 0 and not model.item(index).isEnabled():  # type: ignore[attr-defined]
            index = 0
        box.setCurrentIndex(max(0, index))
        box.blockSignals(False)
        box.adjustSize()
        self.update_language_box()

    def _box_entries(self, statuses: list[BackendStatus]) -> list[tuple[str, str, str, bool]]:
        """Text, model name, tooltip and availability of each entry after "auto"."""
        models = self._window.models
        entries = []
        for status in statuses:
            if ":" in status.name:
                continue  # a language variant made for one request
            state = models.state_label(status.state)
            size = models.device_text(status) if status.remote else None
            text = f"{status.name} — {state}, {size or '~' + size_text(status.estimated_bytes)}"
            tooltip = status.reason or status.description
            entries.append((text, status.name, tooltip, status.available))
        return entries

    def backend_changed(self) -> None:
        self._window.settings.setValue("backend", self.backend())
        self.update_language_box()

    def update_language_box(self) -> None:
        status = self.status(self.backend())
        self.language_box.set_applicable(status is not None and status.takes_languages)

    def _language_changed(self) -> None:
        self._window.settings.setValue("ocr_language", self.language_box.currentData() or "")
