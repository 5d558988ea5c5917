"""Search folding: the archive's index and the window's marks must fold text alike."""

from __future__ import annotations

import pytest

from ablage_desktop.engine.text.folding import fold, folded


@pytest.mark.parametrize(
    "text",
    [
        "Invoice 4711, Total 123.45 EUR",
        "Die Fälligkeit: FALLIGKEIT; Straße",
        "ﬁnal İstanbul ΣΑΣ e\u0301 Œuvre Ǆ",
    ],
)
def test_the_index_folds_as_the_marks_do(text: str) -> None:
    marks, origin = fold(text)

    assert folded(text) == marks
    assert len(origin) == len(marks) and origin == sorted(origin)


def test_case_diacritics_and_sharp_s_are_folded() -> None:
    assert folded("Waldstraße FÄLLIG") == "waldstrasse fallig"
