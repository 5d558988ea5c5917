"""The German translation: complete, faithful to its placeholders, current, and really used.

``ablage_de.ts`` is the source (``make translations`` regenerates it with lupdate and compiles
``ablage_de.qm`` with lrelease); these tests fail when a string is added to the GUI and left
untranslated, when the .ts is not regenerated after the GUI changed, or when the .qm is older
than the .ts.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QMenu, QPushButton
from pytestqt.qtbot import QtBot
from windows import open_window

import ablage_desktop.gui
from ablage_desktop.gui.application import TRANSLATIONS
from ablage_desktop.gui.main_window import MainWindow

GUI = Path(ablage_desktop.gui.__file__).parent
TS = TRANSLATIONS / "ablage_de.ts"
QM = TRANSLATIONS / "ablage_de.qm"

PLACEHOLDER = re.compile(r"\{[0-9]*(?:![rsa])?(?::[^{}]*)?\}")
FILE_PATTERN = re.compile(r"\*(?:\.\w+)?")
# A mnemonic: "&" before a letter, but not the escaped "&&".
MNEMONIC = re.compile(r"(?<!&)&(\w)")


def active_messages(ts: Path) -> dict[tuple[str, str], str | None]:
    """(context, source) -> translation of every message lupdate still finds in the sources.

    Vanished and obsolete messages (kept by lupdate for strings that left the code) are left
    out: lrelease does not compile them. An unfinished or empty translation maps to None.
    """
    messages: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            assert translation is not None
            kind = translation.get("type")
            if kind in ("vanished", "obsolete"):
                continue
            source = message.findtext("source") or ""
            text = translation.text
            if message.get("numerus") == "yes":  # tr("%n ...", "", n): the plural form
                forms = [form.text for form in translation.iter("numerusform")]
                text = forms[-1] if forms and all(forms) else None
            done = kind != "unfinished" and bool(text)
            messages[(name, source)] = text if done else None
    return messages


def numerus_messages(ts: Path) -> set[tuple[str, str]]:
    """(context, source) of the messages with plural forms."""
    return {
        (context.findtext("name") or "", message.findtext("source") or "")
        for context in ET.parse(ts).getroot().iter("context")
        for message in context.iter("message")
        if message.get("numerus") == "yes"
    }


def edges(text: str) -> tuple[str, str]:
    """The leading and the trailing whitespace of ``text``."""
    return text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]


def venv_tool(name: str) -> str:
    """A Qt tool installed next to this Python (the project's .venv), else from PATH."""
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


@pytest.fixture
def german(qapp: QApplication) -> Iterator[QTranslator]:
    """The German .qm installed into the running application; removed again afterwards."""
    translator = QTranslator()
    assert translator.load(str(QM)), f"cannot load {QM}"
    qapp.installTranslator(translator)
    try:
        yield translator
    finally:
        qapp.removeTranslator(translator)
    assert QCoreApplication.translate("WindowMenus", "&File") == "&File"


@pytest.fixture
def german_window(german: QTranslator, qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """The real window, with the German translator installed before it is built."""
    with open_window(qtbot, tmp_path) as main:
        yield main


def test_the_german_qm_translates_every_context(german: QTranslator) -> None:
    translate = QCoreApplication.translate
    assert translate("WindowMenus", "&File") == "&Datei"
    assert translate("BatchProgress", "Cancel") == "Abbrechen"
    assert translate("PageNavigation", "page {0} of {1}").format(2, 5) == "Seite 2 von 5"
    assert translate("ModelsPanel", "&Load") == "&Laden"
    assert translate("ModelsPanel", "Unload &all") == "Alle en&tladen"
    assert translate("QueueView", "Pages") == "Seiten"
    assert (
        translate("ModelRequests", "{0} is loaded.").format("rapidocr") == "rapidocr ist geladen."
    )
    assert translate("NoSuchContext", "&File") == "&File"


def test_a_window_built_with_the_german_translator_speaks_german(
    german_window: MainWindow,
) -> None:
    window = german_window
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles == ["&Datei", "&Bearbeiten", "&Ansicht", "&Modelle", "&Einstellungen", "&Hilfe"]
    assert window.cancel_button.text() == "Abbrechen"
    assert window.pressure_label.text() == "Speicher: normal"
    assert window.models.load_button.text() == "&Laden"
    model = window.queue.queue_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Dokument", "Seiten", "Status", "Texterkennung"]
    sizes = window.models.table.horizontalHeaderItem(5)
    assert sizes.text() == "Gemessen" and "vor der ersten Seite" in sizes.toolTip()


def test_german_mnemonics_are_unique_in_every_menu_and_in_the_window(
    german_window: MainWindow,
) -> None:
    def letters(texts: list[str]) -> list[str]:
        return [m.group(1).lower() for text in texts if (m := MNEMONIC.search(text))]

    def duplicates(found: list[str]) -> list[str]:
        return [letter for letter, n in Counter(found).items() if n > 1]

    window = german_window
    menus = [window.menuBar(), *window.findChildren(QMenu)]
    for menu in menus:
        texts = [action.text() for action in menu.actions()]
        assert not duplicates(letters(texts)), (menu.title() or "menu bar", texts)
    # The menu bar's Alt+letter and a button's Alt+letter are both window-wide shortcuts.
    window_wide = [action.text() for action in window.menuBar().actions()]
    window_wide += [button.text() for button in window.findChildren(QPushButton)]
    assert not duplicates(letters(window_wide)), window_wide


def test_every_message_is_translated_and_keeps_its_placeholders() -> None:
    messages = active_messages(TS)
    assert messages
    untranslated = [key for key, text in messages.items() if text is None]
    assert not untranslated, f"untranslated in {TS.name}: {untranslated}"
    for (context, source), text in messages.items():
        assert text is not None
        where = f"{context}: {source!r} -> {text!r}"
        assert Counter(PLACEHOLDER.findall(text)) == Counter(PLACEHOLDER.findall(source)), where
        assert len(MNEMONIC.findall(text)) == len(MNEMONIC.findall(source)), where
        if ";;" in source:  # a file-dialog filter: the patterns must stay as they are
            assert FILE_PATTERN.findall(text) == FILE_PATTERN.findall(source), where
        assert edges(text) == edges(source), where  # " (cancelled)" is appended to a line


def test_the_qm_holds_what_the_ts_says() -> None:
    """A stale .qm (the .ts edited, lrelease not run) shows here."""
    translator = QTranslator()
    assert translator.load(str(QM))
    plural = numerus_messages(TS)
    stale = [
        (context, source)
        for (context, source), text in active_messages(TS).items()
        if translator.translate(context, source, None, 2 if (context, source) in plural else -1)
        != text
    ]
    assert not stale, f"run `make translations`: {QM.name} differs from {TS.name}: {stale}"


def test_the_ts_has_exactly_the_strings_lupdate_finds_now(tmp_path: Path) -> None:
    """A stale .ts (a string added, changed or removed in the GUI) shows here."""
    fresh = tmp_path / "fresh_de.ts"
    subprocess.run(
        [venv_tool("pyside6-lupdate"), "-silent", "-extensions", "py", str(GUI), "-ts", str(fresh)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    found = set(active_messages(fresh))
    committed = set(active_messages(TS))
    assert len(found) == len(committed), (
        f"run `make translations`: new {sorted(found - committed)}, "
        f"gone {sorted(committed - found)}"
    )
    assert found == committed


def test_plural_forms_follow_the_number(german: QTranslator, qtbot: QtBot) -> None:
    from ablage_desktop.gui.widgets.batch_summary import BatchSummary

    summary = BatchSummary()
    qtbot.addWidget(summary)
    summary.finished(1, 0, 0, 1.5, 0)
    assert summary.text().startswith("1 Dokument fertig")
    summary.finished(2, 1, 3, 1.5, 1)
    assert summary.text().startswith("2 Dokumente fertig, 1 fehlgeschlagen, 3 abgebrochen")
    assert "1 Seite aus dem Archiv" in summary.text()
    translate = QCoreApplication.translate
    assert translate("ModelsPanel", "%n running", "", 1) == "1 läuft"
    assert translate("ModelsPanel", "%n running", "", 3) == "3 laufen"


def test_the_german_window_speaks_german_in_the_graph_errors_and_qt_dialogs(
    german_window: MainWindow, qtbot: QtBot, qapp: QApplication
) -> None:
    from PySide6.QtCore import QLocale

    from ablage_desktop.gui.application import install_translator
    from ablage_desktop.gui.reasons import reason_text

    window = german_window
    graph = window.graph
    plot = graph.plot_widget.getPlotItem()
    assert plot.getAxis("left").labelText == "Speicher (GiB)"
    assert plot.getAxis("bottom").labelText == "Sekunden vor jetzt"
    qtbot.waitUntil(lambda: graph.sample_count > 0, timeout=10_000)
    legend = [label.text for _, label in plot.legend.items]
    assert "Prozess-RSS" in legend and "belegter Arbeitsspeicher" in legend
    assert graph.pressure_label.text().startswith("Auslastung: ")
    assert reason_text("empty") == "Die Datei ist leer."
    assert reason_text("cancelled") == "Abgebrochen."
    window.show_failure("corrupt", "x.pdf is not a readable PDF (damaged or incomplete).", "")
    shown = window.statusBar().currentMessage()  # the engine speaks English; the bar German first
    assert shown.startswith("Fehler: Die Datei ist beschädigt. (x.pdf is not a readable PDF")
    assert QCoreApplication.translate("MemoryStatus", "{0} loaded").format("x") == "x geladen"

    previous = QLocale()
    try:
        translator = install_translator(qapp, "de")  # Qt's own buttons and the number format
        try:
            assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Abbrechen"
            graph.set_budgets(int(1.5 * (1 << 30)), None)
            graph.refresh()
            assert "1,5 GiB" in graph.summary_label.text()
        finally:
            for installed in qapp.findChildren(QTranslator):
                if installed is not german:
                    qapp.removeTranslator(installed)
            assert translator is not None
    finally:
        QLocale.setDefault(previous)


def test_english_has_its_plural_forms(qapp: QApplication, qtbot: QtBot) -> None:
    from ablage_desktop.gui.application import install_translator
    from ablage_desktop.gui.widgets.batch_summary import BatchSummary

    translator = install_translator(qapp, "en")
    assert isinstance(translator, QTranslator)
    try:
        summary = BatchSummary()
        qtbot.addWidget(summary)
        summary.finished(1, 0, 0, 0.5, 0)
        assert summary.text().startswith("1 document done")
        summary.finished(3, 0, 0, 0.5, 2)
        assert summary.text().startswith("3 documents done")
        assert "2 pages taken from the archive" in summary.text()
    finally:
        qapp.removeTranslator(translator)
