"""Tesseract's OSD through the C API (the GIL free while it runs) answers as tesserocr does.

The orientation step's thresholds were set on tesserocr's answers, so the C API must hand
Tesseract the same image and get the same degrees and confidences back.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from samples import text_page

from ablage_desktop.engine.preprocess.orientation import OSD_CHARACTERS, osd_tessdata

PROSE = tuple(
    "The quick brown fox jumps over the lazy dog and reads the page again." for _ in range(8)
)


@pytest.fixture
def tessdata():  # type: ignore[no-untyped-def]
    folder = osd_tessdata()
    if folder is None:
        pytest.skip("osd.traineddata is not installed (apt-get install tesseract-ocr-osd)")
    import tesserocr  # noqa: F401 - loads libtesseract, which the C API binding finds

    from ablage_desktop.engine.backends import tesseract_osd

    if not tesseract_osd.available():
        pytest.skip("libtesseract's C API is not loaded here (not Linux)")
    return folder


@pytest.mark.parametrize("degrees", [0, 90, 180, 270])
def test_the_c_api_answers_as_tesserocr_does(tessdata, degrees: int) -> None:  # type: ignore[no-untyped-def]
    import tesserocr

    from ablage_desktop.engine.backends.tesseract_osd import OsdApi

    grey = np.asarray(
        text_page(PROSE, size=(1700, 900)).rotate(degrees, expand=True, fillcolor=255)
    )
    reference = tesserocr.PyTessBaseAPI(path=f"{tessdata}/", lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    reference.SetVariable("min_characters_to_try", str(OSD_CHARACTERS))
    api = OsdApi.open(tessdata, OSD_CHARACTERS)
    try:
        reference.SetImage(Image.fromarray(grey))
        expected = reference.DetectOrientationScript()
        answer = api.detect(grey)
        again = api.detect(grey)  # the instance is cleared after each page
    finally:
        reference.End()
        api.End()

    assert expected is not None and answer is not None
    assert answer["orient_deg"] == expected["orient_deg"] == (360 - degrees) % 360
    assert answer["orient_conf"] == pytest.approx(expected["orient_conf"])
    assert answer["script_name"] == expected["script_name"]
    assert again == answer
