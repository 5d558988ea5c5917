""" "Add inference server": the few settings a person needs to point the app at a server.

Everything else (timeouts, retries, image format) keeps its default and can be changed in
the configuration file. Sending pages to another machine needs its own tick: the dialog
names the host that would receive them.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ablage_desktop.engine import ENV_NAME, Endpoint

NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


class ServerDialog(QDialog):
    def __init__(self, taken: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add inference server"))
        self._taken = taken
        self.name_edit = QLineEdit("office_server", self)
        self.url_edit = QLineEdit(self)
        self.url_edit.setPlaceholderText("http://gpu-server:8000/v1")
        self.model_edit = QLineEdit(self)
        self.model_edit.setPlaceholderText("Qwen/Qwen2-VL-2B-Instruct")
        self.key_edit = QLineEdit(self)
        self.key_edit.setPlaceholderText(self.tr("name of an environment variable (optional)"))
        self.concurrency = QSpinBox(self)
        self.concurrency.setRange(1, 64)
        self.concurrency.setValue(2)
        self.send_box = QCheckBox(self)
        self.first_box = QCheckBox(self.tr("Try this server first for every page (auto)"), self)
        self.first_box.setChecked(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        form = QFormLayout()
        for label, widget, accessible in (
            (self.tr("&Name:"), self.name_edit, self.tr("Model name")),
            (self.tr("Base &URL:"), self.url_edit, self.tr("Base URL of the server")),
            (self.tr("&Model:"), self.model_edit, self.tr("Model name on the server")),
            (self.tr("API &key variable:"), self.key_edit, self.tr("API key variable")),
            (self.tr("Pages at &once:"), self.concurrency, self.tr("Pages at once")),
        ):
            widget.setAccessibleName(accessible)
            form.addRow(label, widget)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.send_box)
        layout.addWidget(self.first_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for edit in (self.name_edit, self.url_edit, self.model_edit, self.key_edit):
            edit.textChanged.connect(self._check)
        self.send_box.toggled.connect(self._check)
        self._check()

    def endpoint(self) -> Endpoint | None:
        try:
            return Endpoint.parse(self.url_edit.text())
        except ValueError:
            return None

    def problem_text(self) -> str:
        """Why OK is not possible yet (empty when it is)."""
        name = self.name_edit.text().strip()
        if not NAME.fullmatch(name) or name in self._taken or name == "auto":
            return self.tr("Choose a new name (letters, digits, _ . -).")
        endpoint = self.endpoint()
        if endpoint is None:
            return self.tr("The base URL must look like http://host:port/v1.")
        if not self.model_edit.text().strip():
            return self.tr("Name the model as the server knows it.")
        key = self.key_edit.text().strip()
        if key and not ENV_NAME.fullmatch(key):
            return self.tr("Give the NAME of an environment variable, not the key itself.")
        if not endpoint.loopback and not self.send_box.isChecked():
            return self.tr("Tick the box to allow sending pages to {0}.").format(endpoint.host)
        return ""

    def _check(self) -> None:
        endpoint = self.endpoint()
        if endpoint is None or endpoint.loopback:
            self.send_box.setText(self.tr("Send pages to this server (it runs on this machine)"))
            self.send_box.setEnabled(False)
        else:
            self.send_box.setText(
                self.tr("Send my pages to {0} (they leave this computer)").format(endpoint.host)
            )
            self.send_box.setEnabled(True)
        problem = self.problem_text()
        self.problem.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def name(self) -> str:
        return self.name_edit.text().strip()

    def entry(self) -> dict[str, object]:
        """The ``models`` entry, as it goes into the configuration file."""
        endpoint = self.endpoint()
        entry: dict[str, object] = {
            "engine": "openai_server",
            "base_url": self.url_edit.text().strip(),
            "model": self.model_edit.text().strip(),
            "max_concurrency": self.concurrency.value(),
        }
        if self.key_edit.text().strip():
            entry["api_key_env"] = self.key_edit.text().strip()
        if endpoint is not None and not endpoint.loopback:
            entry["send_documents"] = self.send_box.isChecked()
        return entry

    def first_in_auto(self) -> bool:
        return self.first_box.isChecked()
