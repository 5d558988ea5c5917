"""benchmarks/screenshots.py's set: Qt text windows in three themes and three faces, each
holding the start of a ground truth whole, with that text for truth and a manifest row in the
group ``screenshot``."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script
from PIL import Image

from ablage_desktop.engine.bench.corpus import read_manifest
from ablage_desktop.engine.preprocess.dark_page import in_reverse_video

LINES = ["Rechnung Nr. 4711 vom 31.10.2018", "Lieferung und Montage", "Summe 119,00 EUR"]


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for n, name in enumerate(
        ("de_symtrax_fremdwaehrung", "de_ferd_physiotherapeut", "pdfen_movie_plot")
    ):
        (folder / f"{name}.gt.txt").write_text("\n".join(LINES[n:] * 3) + "\n", encoding="utf-8")
    return folder


def test_every_theme_and_face_of_each_text(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("screenshots.py", "screenshots_script")
    out = tmp_path / "screens"

    assert script.main([str(data), str(out)]) == 0

    rows = read_manifest(out / "MANIFEST.tsv")
    assert len(rows) == len(script.TEXTS) * len(script.THEMES) * len(script.FACES)
    for name, row in rows.items():
        assert row["group"] == "screenshot"
        stem = name.removesuffix(".png")
        text, theme = stem.split("_")[:2]
        source, _ = script.TEXTS[text]
        truth = (out / f"{stem}.gt.txt").read_text(encoding="utf-8")
        assert truth == (data / source).read_text(encoding="utf-8")
        with Image.open(out / name) as page:
            assert page.info["dpi"][0] == pytest.approx(96, abs=1)
            assert page.height > 12 * truth.count("\n")  # every line, not a cut window
            assert in_reverse_video(page) == (theme == "dark")


def test_the_large_faces(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("screenshots.py", "screenshots_script")
    out = tmp_path / "large"

    assert script.main([str(data), str(out), "--large"]) == 0

    names = read_manifest(out / "MANIFEST.tsv")
    assert len(names) == len(script.TEXTS) * len(script.THEMES) * len(script.LARGE_FACES)
    assert all("16" in name or "14" in name for name in names)
