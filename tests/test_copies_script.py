"""benchmarks/copies.py's set: each document worn under its own name (a multi-page one as a
PDF of its pages), with its ground truth and manifest row; a border where it says."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from benchmark_scripts import BENCHMARKS, assert_set_of, load_script, small_data_set

from ablage_desktop.engine.intake.documents import IntakeLimits, open_document


@pytest.mark.parametrize(
    ("mode", "suffix"),
    [
        ("borders", ".png"),
        ("jpeg", ".jpg"),
        ("stamped", ".png"),
        ("faded", ".png"),
        ("showthrough", ".png"),
        ("inverted", ".png"),
        ("streaked", ".png"),
        ("signed", ".png"),
        ("lowres", ".jpg"),
        ("marked", ".png"),
        ("dotmatrix", ".png"),
    ],
)
def test_the_set_keeps_names_ground_truth_and_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, suffix: str
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("copies.py", "copies_script")
    data, out = small_data_set(tmp_path)

    assert script.wear_set(data, out, mode) == 3

    assert_set_of(out, f"scan{suffix}", "letter.pdf")
    with open_document(out / "letter.pdf", IntakeLimits()) as document:
        assert document.page_count == 2
        grey = np.asarray(document.page(1).image.convert("L"))
    left_band = grey[:, : int(grey.shape[1] * 0.03)]
    assert (left_band < 60).all() == (mode == "borders")


def test_a_duplex_copy_follows_each_page_with_its_blank_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("copies.py", "copies_duplex")
    data, out = small_data_set(tmp_path)

    assert script.wear_set(data, out, "duplex") == 6

    assert_set_of(out, "scan.pdf", "letter.pdf")
    with open_document(out / "letter.pdf", IntakeLimits()) as document:
        assert document.page_count == 4
        front = np.asarray(document.page(0).image.convert("L"))
        back = np.asarray(document.page(1).image.convert("L"))
    assert front.min() < 60  # print
    assert 150 < back.min() < 235  # the front's print, faint, on grey paper
    front_ink = (255.0 - front).sum(axis=0)
    back_ink = (255.0 - back).sum(axis=0)
    mirrored = np.corrcoef(back_ink, front_ink[::-1])[0, 1]
    assert mirrored > 0.9 and mirrored > np.corrcoef(back_ink, front_ink)[0, 1]


def test_a_coded_copy_puts_a_qr_code_and_a_barcode_in_blank_places(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from samples import text_page

    from ablage_desktop.engine.preprocess.codes import find_codes
    from ablage_desktop.engine.preprocess.measure import measure

    monkeypatch.syspath_prepend(str(BENCHMARKS))
    script = load_script("copies.py", "copies_coded")
    page = text_page(size=(1700, 2200))

    worn = script.coded(page)

    kinds = sorted(code.kind for code in find_codes(measure(worn)))
    assert kinds == ["2D code", "barcode"]
    before, after = np.asarray(page.convert("L")), np.asarray(worn.convert("L"))
    assert (after[before < 128] == before[before < 128]).all()  # over no print
    assert not (after[:600] != before[:600]).any()  # the lowest places first
