"""Raster documents: PNG, JPEG, TIFF and the other image types, decoded by Pillow (HEIC by
pillow-heif), one frame a page.

Only the decoder process calls this (see ``documents``). A JPEG or PNG without its end marker
is decoded when it is opened, so that a file cut short is known for one from the start (its
``damage``), also when its page is taken from the archive on a later run.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ablage_desktop.engine.errors import (
    CorruptDocument,
    DocumentTooLarge,
    InputError,
    UnsupportedFormat,
)
from ablage_desktop.engine.intake import salvage
from ablage_desktop.engine.intake.documents import (
    MEGAPIXEL,
    Document,
    DocumentType,
    IntakeLimits,
    PageImage,
    normalize_mode,
    raise_os_error,
)
from ablage_desktop.engine.intake.resolution import square_pixels, stated_dpi

if TYPE_CHECKING:
    from PIL import Image

NEW_SUBFILE_TYPE = 254
NOT_A_PAGE = 0b101
"""Its bits that mark a frame as no page: a reduced-resolution copy of another image in the
file (bit 0), a transparency mask for one (bit 2)."""
DAMAGED = (OSError, SyntaxError, ValueError, EOFError, TypeError)
"""What Pillow and its plugins raise for a file's damaged bytes (TypeError: Pillow's "Missing
dimensions" for a TIFF page directory without them)."""


class RasterDocument(Document):
    """PNG, JPEG, BMP, WebP, GIF, JPEG 2000, AVIF and (multi-page) TIFF, decoded by Pillow;
    HEIC by pillow-heif."""

    def __init__(self, path: Path, doc_type: DocumentType, sha256: str, limits: IntakeLimits):
        super().__init__(path, doc_type, sha256, limits)
        from PIL import Image

        try:
            self._image = _open_raster(path, doc_type)
        except Image.DecompressionBombError as exc:
            # Pillow refuses such an image on its own before we see its size.
            ceiling = min(limits.max_pixels_per_page, 2 * (Image.MAX_IMAGE_PIXELS or 0))
            raise DocumentTooLarge(
                path,
                f"{path.name} has more than {ceiling / MEGAPIXEL:.0f} megapixels per page, "
                "too many to decode safely (intake.max_pixels_per_page).",
            ) from exc
        except OSError as exc:
            if isinstance(exc, FileNotFoundError | PermissionError):
                raise_os_error(path, exc)
            raise CorruptDocument(
                path, f"{path.name} looks like {doc_type.described} but is damaged: {exc}"
            ) from exc
        except (SyntaxError, ValueError, EOFError) as exc:
            raise CorruptDocument(
                path, f"{path.name} looks like {doc_type.described} but is damaged: {exc}"
            ) from exc
        try:
            self._frames = self._page_frames()
            self.page_count = len(self._frames)
            self._check_page_count()
            if self.page_count == 1 and salvage.lacks_its_end(doc_type, path):
                self._decode_or_salvage()
        except BaseException:
            self._image.close()
            raise

    def _page_frames(self) -> list[int]:
        """The frames that are pages, found in one walk through a TIFF's page directories.

        A TIFF's reduced-resolution copies of another image (a thumbnail or preview, as
        cameras and some scanning programs add) and masks are not pages (``NOT_A_PAGE``);
        were every frame one, all are taken. Where the chain of directories breaks (a file
        cut short), the pages before the break are kept and the document says so. Other
        types have one page: an animated WebP or GIF is not a document, its first frame is
        the page; nor are a HEIC file's other images (a burst, a depth map), its primary
        image is the frame it opens at.
        """
        if self.type is not DocumentType.TIFF:
            return [0]
        pages, frame = [], 0
        while True:
            try:
                self._image.seek(frame)
            except EOFError:  # past the last page
                break
            except DAMAGED as exc:
                # TypeError: Pillow's "Missing dimensions" for a page directory without them
                self._broken_after(len(pages) or frame, str(exc).strip())
                break
            if not int(self._image.tag_v2.get(NEW_SUBFILE_TYPE, 0)) & NOT_A_PAGE:
                pages.append(frame)
            frame += 1
        self._image.seek(0)
        return pages or list(range(frame))

    def _broken_after(self, pages: int, reason: str) -> None:
        """The chain of page directories breaks after ``pages`` pages."""
        if pages == 0:
            raise CorruptDocument(
                self.path, f"The page directory of {self.path.name} is damaged: {reason}"
            )
        self.damage = (
            f"{self.path.name} is cut short or damaged after page {pages} ({reason}): "
            f"the pages after it cannot be read; {salvage.pages_read(pages)} read."
        )

    def _decode_or_salvage(self) -> None:
        """Decode a JPEG or PNG that lacks its end marker now, and where it was cut short,
        keep the part that is there instead (``salvage``)."""
        width, height = self._image.size
        if width * height > self.limits.max_pixels_per_page:
            return  # refused by ``page`` as any such page is
        try:
            self._image.load()
            return
        except DAMAGED:
            pass
        cut = salvage.cut_image(self.type, self.path.read_bytes())
        self._image.close()
        if cut is None:  # not one ``salvage`` can mend: ``page`` reports the decoder's error
            self._image = _open_raster(self.path, self.type)
            return
        self._image = cut.image
        if cut.missing > 0:
            share = f"{max(cut.missing, 0.01):.0%}"
            lost = f"{share} of its image is missing, shown grey; the part that is there"
        elif cut.coarse:
            lost = "its image came out coarser than it is (a progressive JPEG); what is there"
        else:
            return  # only its end marker was missing
        self.damage = f"{self.path.name} ends early (an interrupted download or copy?): {lost}"
        self.damage += " was read."

    def page(self, index: int) -> PageImage:
        from PIL import Image, ImageOps

        try:
            if index or self.page_count > 1 or self._frames != [0]:
                self._image.seek(self._frames[index])
            width, height = self._image.size
            if width * height > self.limits.max_pixels_per_page:
                raise self._too_many_pixels(index, width, height)
            dpi = stated_dpi(self._image)
            frame = ImageOps.exif_transpose(self._image)
            frame = normalize_mode(frame)
            frame.load()
            frame, resolution = square_pixels(frame, dpi, self.limits.max_pixels_per_page)
        except InputError:
            raise
        except Image.DecompressionBombError as exc:
            raise DocumentTooLarge(self.path, f"{self.path.name} is too large: {exc}") from exc
        except DAMAGED as exc:
            reason = str(exc).strip()  # libheif's own end in a line break
            raise CorruptDocument(
                self.path,
                f"Page {index + 1} of {self.path.name} is damaged or incomplete: {reason}",
            ) from exc
        return PageImage(self.path, index, frame, resolution)

    def close(self) -> None:
        self._image.close()


def _open_raster(path: Path, doc_type: DocumentType) -> Image.Image:
    """Open ``path`` with the decoder of its type, without decoding its pixels yet."""
    from PIL import Image, features

    if doc_type is DocumentType.HEIF:
        try:
            from pillow_heif import HeifImageFile
        except ImportError as exc:
            raise UnsupportedFormat(
                path, f"{path.name} is a HEIC photo; reading one needs the pillow-heif package."
            ) from exc
        # Its own class rather than Pillow's registry: nothing is registered process-wide.
        # libheif turns the image as the file says and resets its EXIF orientation to match.
        return HeifImageFile(path)
    if doc_type is DocumentType.AVIF and not features.check("avif"):
        raise UnsupportedFormat(
            path, f"{path.name} is an AVIF image; reading one needs Pillow 11.3 or later."
        )
    return Image.open(path, formats=[doc_type.pillow_format])
