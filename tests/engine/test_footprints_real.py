"""Measured footprints with the real RapidOCR: what reaches the manager and footprints.json.

Issue 18 (item 3): after Unload and Load of rapidocr the measured footprint became 0 MiB and
16384 bytes were saved; the next process budgeted RapidOCR at 16 KiB. A reload on the CPU
finds the allocator's pages the last unload freed still mapped, so the RSS barely grows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from samples import text_page

from ablage_desktop.engine import PageImage, load_config
from ablage_desktop.engine.backends import REGISTRY
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.models.manager import PLAUSIBLE_SHARE

pytest.importorskip("rapidocr")
pytest.importorskip("onnxruntime")


def floor() -> int:
    spec = REGISTRY["rapidocr"]
    return int(PLAUSIBLE_SHARE * spec.estimate(spec.options(engine="rapidocr")).weights)


def page() -> PageImage:
    return PageImage(Path("page.png"), 0, text_page().convert("RGB"), 150)


def test_unload_and_load_of_rapidocr_never_saves_an_implausible_footprint(tmp_path: Path) -> None:
    file = tmp_path / "footprints.json"
    engine = EngineCore(load_config(), footprints=file)
    seen: list[int | None] = []
    try:
        for _ in range(3):
            with engine.manager.acquire("rapidocr") as lease:
                lease.recognize(page())
            seen.append(engine.manager.info("rapidocr").measured_bytes)
            engine.manager.unload("rapidocr")
    finally:
        engine.close()
    saved = json.loads(file.read_text()).get("rapidocr") if file.exists() else None

    assert all(size is None or size >= floor() for size in seen), seen
    assert saved is None or saved >= floor(), saved


def test_an_implausible_stored_footprint_is_not_budgeted(tmp_path: Path) -> None:
    file = tmp_path / "footprints.json"
    file.write_text(json.dumps({"rapidocr": 16384}))
    engine = EngineCore(load_config(), footprints=file)
    try:
        info = engine.manager.info("rapidocr")
        estimate = REGISTRY["rapidocr"].estimate(engine.options("rapidocr"))
    finally:
        engine.close()

    assert info.measured_bytes is None
    assert engine.manager.cannot_fit("rapidocr") is None
    assert info.estimated_bytes == estimate.total


def test_an_unloaded_rapidocr_gives_its_page_memory_back(tmp_path: Path) -> None:
    """onnxruntime frees its arena into glibc's heap; the unload hands it to the system."""
    import psutil

    REGISTRY["rapidocr"].prepare()  # type: ignore[misc]  (the libraries stay: not the model's)
    engine = EngineCore(load_config(), footprints=tmp_path / "footprints.json")
    process = psutil.Process()
    big = PageImage(Path("page.png"), 0, text_page().convert("RGB").resize((2480, 3508)), 300)
    try:
        with engine.manager.acquire("rapidocr") as lease:
            lease.recognize(big)  # warm: the first page also loads onnxruntime's kernels
        engine.manager.unload("rapidocr")
        before = process.memory_info().rss
        with engine.manager.acquire("rapidocr") as lease:
            lease.recognize(big)
            during = process.memory_info().rss
        engine.manager.unload("rapidocr")
        after = process.memory_info().rss
    finally:
        engine.close()

    assert during - before > 100 << 20  # the page really took memory
    assert after - before < 64 << 20, (after - before) >> 20
