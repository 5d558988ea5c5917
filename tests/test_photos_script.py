"""benchmarks/photos.py's set: each document photographed under its own name, a multi-page
one as a TIFF of its photos, with its ground truth and its manifest row."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, assert_set_of, load_script, small_data_set
from PIL import Image
from samples import text_page


def test_the_set_keeps_names_ground_truth_and_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("photos.py", "photos_script")
    data, out = small_data_set(tmp_path)

    assert script.photograph_set(data, out, tilt=0.05, seed=3) == 3

    assert_set_of(out, "scan.jpg", "letter.tif")
    with Image.open(out / "letter.tif") as tiff:
        assert tiff.n_frames == 2
    with Image.open(out / "scan.jpg") as photo:
        assert photo.width > text_page().width  # the desk around the sheet
