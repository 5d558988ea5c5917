"""Page previews for the window: any page, at screen resolution, beside a running batch."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PIL import Image
from samples import pdf_bytes, text_page

from ablage_desktop.engine import Engine, OcrRequest, load_config
from ablage_desktop.engine.errors import UsageError


def test_a_pdf_page_preview_is_rendered_at_the_preview_resolution(tmp_path: Path) -> None:
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(pdf_bytes([Image.new("L", (300, 600), 255), text_page()], dpi=100))
    engine = Engine(load_config())

    preview = engine.preview(pdf, 0, dpi=50)

    assert preview.size == (150, 300)
    with pytest.raises(UsageError, match="no page 3"):
        engine.preview(pdf, 2)


def test_previews_while_a_batch_renders_the_same_pdf(tmp_path: Path) -> None:
    """pdfium is not thread-safe: previews and the pipeline share the engine's render lock."""
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(pdf_bytes([text_page()] * 12, dpi=100))
    engine = Engine(load_config())
    sizes: list[tuple[int, int]] = []

    def preview_all() -> None:
        for index in range(12):
            sizes.append(engine.preview(pdf, index, dpi=72).size)

    viewer = threading.Thread(target=preview_all)
    viewer.start()
    (result,) = engine.ocr(OcrRequest([pdf], backend="tesseract"))
    viewer.join()
    engine.close()

    assert result.ok and len(result.pages) == 12
    assert len(sizes) == 12
