"""Engines report whether they can run here, with the reason, instead of failing later."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablage_desktop.engine import load_config
from ablage_desktop.engine.backends import REGISTRY
from ablage_desktop.engine.backends.tesseract import TesseractOptions, check, find_tessdata
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.errors import BackendUnavailable, UnknownBackend


def fake_tessdata(folder: Path, *languages: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for language in languages:
        (folder / f"{language}.traineddata").write_bytes(b"not read by the check")
    return folder


def test_tessdata_from_the_config_is_used_as_given(tmp_path: Path) -> None:
    folder = fake_tessdata(tmp_path / "td", "deu", "eng")

    assert find_tessdata(TesseractOptions(engine="tesseract", tessdata=folder)) == (folder, [])


@pytest.mark.parametrize("layout", ["folder", "parent"])
def test_tessdata_prefix_may_name_the_folder_or_its_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    folder = fake_tessdata(tmp_path / "tessdata", "fra")
    monkeypatch.setenv("TESSDATA_PREFIX", str(folder if layout == "folder" else tmp_path))

    found, missing = find_tessdata(TesseractOptions(engine="tesseract", languages="fra"))

    assert (found, missing) == (folder, [])


def test_a_missing_language_is_named_with_the_package_to_install(tmp_path: Path) -> None:
    folder = fake_tessdata(tmp_path / "td", "eng")

    availability = check(TesseractOptions(engine="tesseract", tessdata=folder))

    assert not availability.ok
    assert "'deu' not found in" in availability.reason
    assert "tesseract-ocr-deu" in availability.reason


def test_no_language_data_at_all_says_where_it_looked(tmp_path: Path) -> None:
    availability = check(TesseractOptions(engine="tesseract", tessdata=tmp_path / "nowhere"))

    assert not availability.ok
    assert "no Tesseract language data found" in availability.reason
    assert str(tmp_path / "nowhere") in availability.reason


def test_rapidocr_runs_here_with_the_models_its_wheel_carries() -> None:
    spec = REGISTRY["rapidocr"]
    assert spec.availability(spec.options(engine="rapidocr")).ok


def test_unknown_and_unavailable_engines_are_refused_by_name() -> None:
    engine = EngineCore(load_config())

    with pytest.raises(UnknownBackend, match="Known engines: auto, rapidocr, tesseract"):
        engine.resolve("abbyy")
    with pytest.raises(BackendUnavailable, match="janus_pro"):
        engine.resolve("janus_pro")


def test_a_backend_loads_once_and_is_closed_with_the_engine() -> None:
    engine = EngineCore(load_config())
    tesseract = next(row for row in engine.statuses() if row.name == "tesseract")
    if not tesseract.available:
        pytest.skip(tesseract.reason)

    first = engine.backend("tesseract")
    again = engine.backend("tesseract")
    english = engine.backend("tesseract", languages="eng")

    assert first is again
    assert english is not first
    assert {row.name for row in engine.statuses() if row.loaded} == {"tesseract", "tesseract:eng"}
    engine.close()
    assert not any(row.loaded for row in engine.statuses())


def test_preparing_imports_the_engine_libraries_without_loading_a_model() -> None:
    engine = EngineCore(load_config())

    prepared = engine.prepare()

    assert prepared == ["rapidocr", "tesseract"]
    assert all(row.state == "unloaded" for row in engine.statuses())


@pytest.mark.parametrize(
    ("backend", "engines"),
    [("auto", ["rapidocr", "tesseract"]), ("tesseract", ["tesseract"]), ("nothing", [])],
)
def test_a_batch_prepares_the_engines_of_its_own_backend(backend: str, engines: list[str]) -> None:
    """The command line prepares what its batch reads with, no more (an unknown name is the
    batch's own error to report)."""
    engine = EngineCore(load_config())

    assert engine.prepare(backend) == engines
    engine.close()
