"""Page images as the data URLs of a chat request's ``image_url`` parts."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from PIL import Image

ImageType = Literal["png", "jpeg"]


def fit_side(image: Image.Image, max_side: int) -> Image.Image:
    """``image`` scaled down (never up) so that its longer side is at most ``max_side``."""
    longest = max(image.size)
    if longest <= max_side:
        return image
    from PIL import Image as PilImage

    scale = max_side / longest
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, PilImage.Resampling.LANCZOS)


def data_url(image: Image.Image, kind: ImageType, max_side: int, jpeg_quality: int = 90) -> str:
    """The page as ``data:image/...;base64,...``: PNG keeps thin strokes exact, JPEG is smaller
    for photos. Bilevel and palette pages are sent as greyscale or RGB, which every server reads."""
    page = fit_side(image, max_side)
    if kind == "jpeg":
        page = page.convert("L" if page.mode in ("1", "L") else "RGB")
    elif page.mode not in ("L", "RGB", "RGBA"):
        page = page.convert("L" if page.mode == "1" else "RGB")
    buffer = io.BytesIO()
    if kind == "jpeg":
        page.save(buffer, "JPEG", quality=jpeg_quality)
    else:
        page.save(buffer, "PNG", optimize=False)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/{kind};base64,{encoded}"
