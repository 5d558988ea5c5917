"""benchmarks/foreign_marks.py's set: German letters with foreign names, each page with its
ground truth (the letter's lines without the empty ones) and a manifest row the app's corpus
reads in the group ``foreign``."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_scripts import BENCHMARKS, load_script
from column_pages import font_file
from PIL import Image

from ablage_desktop.engine.bench.corpus import read_manifest


def test_the_set_has_every_letter_with_its_truth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if font_file() is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("foreign_marks.py", "foreign_marks_script")

    assert script.main([str(tmp_path)]) == 0

    rows = read_manifest(tmp_path / "MANIFEST.tsv")
    assert len(rows) == len(script.LAYOUTS)
    for name, row in rows.items():
        assert row["group"] == "foreign"
        stem = name.removesuffix(".png")
        truth = (tmp_path / f"{stem}.gt.txt").read_text(encoding="utf-8").splitlines()
        number = int(stem.removeprefix("letter").split("_")[0])
        assert truth == [line for line in script.letter(number) if line]
        with Image.open(tmp_path / name) as page:
            assert page.info["dpi"][0] == pytest.approx(int(stem.split("_")[-1][:3]), abs=1)
    assert any("Çelik" in line for line in script.letter(0))
