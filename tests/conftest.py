"""Shared fixtures: sample documents made on the fly, the real data set, an isolated user dir."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from samples import DATA, encrypted_pdf_bytes, huge_png_bytes, jpeg_bytes, pdf_bytes, text_page

if TYPE_CHECKING:
    from ablage_desktop.engine.core import EngineCore


@pytest.fixture
def shipped_engine() -> Iterator[EngineCore]:
    """An engine core with the shipped configuration, closed after the test."""
    from ablage_desktop.engine.config import load_config
    from ablage_desktop.engine.core import EngineCore

    engine = EngineCore(load_config([]))
    try:
        yield engine
    finally:
        engine.close()


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep a developer's own ~/.config/ablage-desktop out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    # A developer's Hugging Face cache must not make a model "downloaded"; and no network.
    monkeypatch.setenv("HF_HOME", str(home / "huggingface"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture(autouse=True)
def signal_waits_that_end(monkeypatch: pytest.MonkeyPatch) -> None:
    """``qtbot.waitSignal`` on a signal an engine thread emits can no longer wait for ever.

    pytest-qt connects its slot directly, so it runs in the emitting thread: emitted between
    the blocker's last look and the start of its event loop, the slot stopped the timeout
    timer and quit a loop that was not running yet, and the test waited for ever (CI hung on
    ``batchStarted`` once). A zero timer in the loop itself now quits it at its first turn
    if the signal came before.
    """
    from pytestqt import wait_signal

    original = wait_signal._AbstractSignalBlocker.wait

    def wait(self: wait_signal._AbstractSignalBlocker) -> None:
        from PySide6.QtCore import QTimer

        loop = self._loop
        QTimer.singleShot(0, loop, lambda: loop.quit() if self.signal_triggered else None)
        original(self)

    monkeypatch.setattr(wait_signal._AbstractSignalBlocker, "wait", wait)


@pytest.fixture(autouse=True)
def heap_of_earlier_tests_frozen() -> Iterator[None]:
    """Objects made before this test are left out of the garbage collector's passes while it
    runs (``gc.freeze``, as the window does with its start-up: ``gui/heap.py``).

    Every unload runs ``gc.collect()``, and Python's own full collections walk every tracked
    object: in a test process, the whole session's heap (every library imported, what earlier
    tests left). Late in a run that took 0.5-0.8 s a collection: 50 load/unload cycles of a
    16 MiB module took 39 s. Nothing the test itself makes is frozen, so what it loads and
    unloads is collected as in the app, and what it leaks still shows. What a module's fixtures
    made before it is frozen too: a model such a fixture loaded would seem to leak at an unload
    in the test (frozen objects are never collected), failing it rather than passing it."""
    gc.freeze()
    yield
    gc.unfreeze()


@pytest.fixture
def surya_on_one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """One torch thread in every Surya worker and server the test starts (they take
    ``OMP_NUM_THREADS`` from the app's environment; this process's torch keeps its threads).
    The tiny models' steps are far too small to share: with two threads each generated token
    waited on the other, 45 ms a token against 3 ms with one on a busy 2-core machine."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


@pytest.fixture(autouse=True)
def quiet_bitsandbytes() -> Iterator[None]:
    """bitsandbytes' int8 matmul logs a warning on every call with fp32 input on a CPU."""
    logger = logging.getLogger("bitsandbytes")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture(scope="session")
def tiny_artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Docling's artifacts folder holding the tiny RT-DETRv2 layout model (``tiny_docling``)."""
    from tiny_docling import build_layout_model

    artifacts = tmp_path_factory.mktemp("docling-artifacts")
    build_layout_model(artifacts)
    return artifacts


@pytest.fixture(scope="session")
def surya_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Surya's two tiny models (``tiny_surya``): ``source`` (recognition) and ``detector``."""
    from tiny_surya import SURYA_PYTHON, build_detector, build_recognizer

    root = tmp_path_factory.mktemp("surya-models")
    return {
        "source": build_recognizer(root / "recognition"),
        "detector": build_detector(root / "detector", SURYA_PYTHON),
    }


@pytest.fixture
def data_dir() -> Path:
    if not DATA.is_dir():
        pytest.skip(f"the shared data set is not at {DATA}")
    return DATA


@pytest.fixture
def make_file(tmp_path: Path) -> Callable[[str, bytes], Path]:
    def make(name: str, content: bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return path

    return make


@pytest.fixture
def bad_batch(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """The issue's batch: good documents mixed with every kind of bad one."""
    folder = tmp_path / "batch"
    folder.mkdir()
    good = folder / "good.png"
    text_page().save(good, dpi=(300, 300))
    truncated = jpeg_bytes(text_page())
    files = {
        "good": good,
        "empty": folder / "empty.jpg",
        "truncated": folder / "truncated.jpg",
        "encrypted": folder / "encrypted.pdf",
        "huge": folder / "huge.png",
        "pdf_named_png": folder / "really_a_pdf.png",
    }
    files["empty"].write_bytes(b"")
    files["truncated"].write_bytes(truncated[: len(truncated) // 2])
    files["encrypted"].write_bytes(encrypted_pdf_bytes(tmp_path))
    files["huge"].write_bytes(huge_png_bytes())
    files["pdf_named_png"].write_bytes(pdf_bytes([text_page()]))
    yield files
