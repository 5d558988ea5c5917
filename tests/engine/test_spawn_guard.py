"""No child process starts while a library's loader has its own folders on ``sys.path``."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from ablage_desktop.engine.spawn_guard import borrowed_folders, settle_imports


def package(root: Path, name: str) -> Path:
    folder = root / name
    (folder / "inner").mkdir(parents=True)
    (folder / "__init__.py").write_text("")
    return folder


def test_a_folder_inside_an_importable_package_is_borrowed(tmp_path: Path) -> None:
    site = tmp_path / "site-packages"
    loader = package(site, "loader")
    plain = tmp_path / "tests" / "engine"  # a folder of a test tree, no package
    plain.mkdir(parents=True)
    entries = [str(site), str(plain), str(plain.parent), ""]
    assert borrowed_folders(entries) == []
    assert borrowed_folders([*entries, str(loader), str(loader / "inner")]) == [
        str(loader),
        str(loader / "inner"),
    ]
    assert borrowed_folders([str(loader)]) == []  # its package is not importable from here


def test_a_child_waits_until_the_loader_has_given_sys_path_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site-packages"
    loader = package(site, "loader")
    monkeypatch.setattr(sys, "path", [*sys.path, str(site)])

    loading = threading.Event()

    def load() -> None:  # as OpenCV's loader does
        sys.path.insert(0, str(loader))
        loading.set()
        time.sleep(0.4)
        sys.path.remove(str(loader))

    thread = threading.Thread(target=load)
    thread.start()
    assert loading.wait(10)
    started = time.monotonic()
    settle_imports(())
    waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.25
    assert str(loader) not in sys.path


FAKE_OPENCV = """
import sys, time, os
folder = os.path.dirname(__file__)
sys.path.insert(0, folder)  # with a "typing" of its own, as cv2/typing
time.sleep(2.0)
sys.path.remove(folder)
"""

DECODE_WHILE_LOADING = """
import sys, threading, time
from pathlib import Path
sys.path.append({site!r})
from ablage_desktop.engine import spawn_guard
from ablage_desktop.engine.intake.decoding.isolated import IsolatedDecoder
from ablage_desktop.engine.intake.documents import IntakeLimits
if {unguarded!r}:
    import ablage_desktop.engine.intake.decoding.isolated as isolated
    isolated.settle_imports = lambda: None

def main():
    loading = threading.Thread(target=lambda: __import__("fakecv"))
    loading.start()
    while not any(entry.endswith("fakecv") for entry in list(sys.path)):
        time.sleep(0.01)  # the loader has its folder on sys.path now, for 2 s
    with IsolatedDecoder() as decoder, decoder.open(Path({page!r}), IntakeLimits()) as document:
        print("pages", document.page_count)
    loading.join()

if __name__ == "__main__":
    main()
"""


@pytest.mark.parametrize("unguarded", [False, True])
def test_a_decoder_started_while_a_loader_has_sys_path_still_starts(
    tmp_path: Path, unguarded: bool
) -> None:
    """The real decoder process, started while a loader like OpenCV's has put a folder
    with a ``typing`` of its own first on ``sys.path``: unguarded, the child finds that
    ``typing`` and dies before it runs."""
    from PIL import Image

    site = tmp_path / "site-packages"
    loader = package(site, "fakecv")
    (loader / "__init__.py").write_text(FAKE_OPENCV)
    (loader / "typing.py").write_text("raise ImportError('the loader typing, not Python s')\n")
    page = tmp_path / "page.png"
    Image.new("L", (64, 64), 255).save(page)
    script = tmp_path / "decode.py"
    script.write_text(
        textwrap.dedent(
            DECODE_WHILE_LOADING.format(site=str(site), unguarded=unguarded, page=str(page))
        )
    )

    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False
    )

    if unguarded:
        assert result.returncode != 0 and "did not start" in result.stderr, result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert "pages 1" in result.stdout
