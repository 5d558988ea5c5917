"""PIL images to Qt images, in any thread.

Only ``QImage`` is made here, never ``QPixmap``: a QImage may be built in the engine worker's
thread and sent to the GUI thread, where the view turns it into a pixmap.
"""

from __future__ import annotations

import logging

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

_FORMATS: dict[str, tuple[QImage.Format, int]] = {
    "L": (QImage.Format.Format_Grayscale8, 1),
    "RGB": (QImage.Format.Format_RGB888, 3),
}
"""PIL mode -> (QImage format, bytes per pixel) for the modes copied without conversion."""


def pil_to_qimage(image: Image.Image) -> QImage:
    """A QImage with the pixels of ``image`` that owns its data.

    L and RGB are copied as they are; any other mode is converted to RGB first (bilevel to L,
    which keeps it small). The result is a deep copy, so it outlives ``image`` and the bytes
    buffer it was made from.
    """
    if image.mode == "1":
        image = image.convert("L")
    elif image.mode not in _FORMATS:
        log.debug("converting a %s image to RGB for display", image.mode)
        image = image.convert("RGB")
    fmt, channels = _FORMATS[image.mode]
    width, height = image.size
    data = image.tobytes()  # rows packed without padding: width * channels bytes each
    view = QImage(data, width, height, width * channels, fmt)
    return view.copy()  # detach from ``data``, which dies with this frame


PREVIEW_SIDE = 2560
"""The longest side of a page image for the screen: a 150 dpi A4 page (1754 px) stays as it
is, a 12-megapixel photo is scaled down; zoomed to a full 4K screen it still looks sharp."""


def preview_qimage(image: Image.Image, longest_side: int = PREVIEW_SIDE) -> QImage:
    """``image`` ready for the page view, made in the worker's thread: at most
    ``longest_side`` pixels long and in ``Format_RGB32``, the format of an opaque raster
    pixmap, so that the GUI thread's ``QPixmap.fromImage`` copies it without converting.

    Converting and scaling a grey or RGB page there took the GUI thread 20 to 35 ms a page
    (``benchmarks/ui_latency.py --profile``: ``QPixmap.fromImage`` under ``show_page``).
    """
    picture = pil_to_qimage(image)
    if max(picture.width(), picture.height()) > longest_side:
        picture = picture.scaled(
            longest_side,
            longest_side,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    return picture.convertToFormat(QImage.Format.Format_RGB32)
