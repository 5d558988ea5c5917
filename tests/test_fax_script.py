"""benchmarks/fax.py's set: each document faxed under its own name as a G3 TIFF, stating the
resolution of its mode, with its ground truth and manifest row."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, assert_set_of, load_script, small_data_set
from PIL import Image
from samples import text_page

from ablage_desktop.engine.intake.documents import IntakeLimits, open_document


@pytest.mark.parametrize(("mode", "stated"), [("normal", (204, 98)), ("squashed", (204, 204))])
def test_the_set_keeps_names_ground_truth_and_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, stated: tuple[int, int]
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("fax.py", "fax_script")
    data, out = small_data_set(tmp_path)

    assert script.fax_set(data, out, mode) == 3

    assert_set_of(out, "scan.tif", "letter.tif")
    with Image.open(out / "letter.tif") as tiff:
        assert tiff.n_frames == 2
        assert tiff.mode == "1" and tiff.width == script.FAX_LINE
        assert tuple(round(v) for v in tiff.info["dpi"]) == stated
        squashed_height = tiff.height  # every other line of the page
    with open_document(out / "letter.tif", IntakeLimits()) as document:
        page = document.page(0)
    page_height = round(text_page().height * script.FAX_LINE / text_page().width)
    expected = page_height if mode == "normal" else squashed_height
    assert abs(page.height - expected) <= 2  # rounded twice
