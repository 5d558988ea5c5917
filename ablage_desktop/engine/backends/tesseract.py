"""Tesseract 5 in-process through tesserocr: the fast CPU engine that keeps columns apart.

tesserocr releases the GIL, so one API instance per worker thread recognises pages in
parallel. The ``tesseract`` command is never run per page: Debian's build starts an OpenMP
team per call and is about five times slower on two cores.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import logging
import os
import queue
import time
from pathlib import Path
from typing import Any

from pydantic import Field, field_validator

from ablage_desktop.engine.backends import leptonica
from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
)
from ablage_desktop.engine.backends.show_through import (
    back_of_sheet,
    could_be_back,
    faint_page,
    printed,
    printed_part,
    sample_band,
)
from ablage_desktop.engine.backends.tesseract_words import may_be_glued, split_at_gaps
from ablage_desktop.engine.errors import ModelLoadError, RecognitionError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MIB, MemoryEstimate
from ablage_desktop.engine.results.document import Box, OcrLine, OcrPage, OcrWord
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.cores import usable_cores
from ablage_desktop.engine.text.layout import in_reading_order

log = logging.getLogger(__name__)

SYSTEM_TESSDATA = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
    Path("/usr/local/share/tessdata"),
    Path("/usr/local/share/tesseract-ocr/tessdata"),
    Path("/opt/homebrew/share/tessdata"),
    Path("/opt/local/share/tessdata"),
)


class TesseractOptions(EngineOptions):
    languages: str = "deu+eng"
    """Tesseract language codes joined by '+', e.g. deu+eng."""
    tessdata: Path | None = None
    """Folder holding <lang>.traineddata; found automatically when empty."""
    instances: int = Field(default_factory=lambda: min(2, usable_cores()), ge=1, le=64)
    """Pages recognised at once, one API instance (about 100 MB) each."""
    page_segmentation: int = Field(3, ge=0, le=13)
    """Tesseract's --psm: 3 finds columns and blocks by itself."""

    @field_validator("languages")
    @classmethod
    def _languages_are_codes(cls, value: str) -> str:
        codes = [code.strip() for code in value.split("+")]
        if not all(codes) or not all(c.replace("_", "").isalnum() for c in codes):
            raise ValueError("expected language codes joined by '+', such as 'deu+eng'")
        return "+".join(codes)


def tessdata_candidates(options: TesseractOptions) -> list[Path]:
    """Folders that may hold language data, most specific first."""
    if options.tessdata is not None:
        return [options.tessdata]
    found: list[Path] = []
    prefix = os.environ.get("TESSDATA_PREFIX")
    if prefix:
        # Tesseract accepts both the tessdata folder itself and its parent here.
        found += [Path(prefix), Path(prefix) / "tessdata"]
    return found + list(SYSTEM_TESSDATA)


def find_tessdata(options: TesseractOptions) -> tuple[Path | None, list[str]]:
    """The first folder that holds every configured language, and the languages missing."""
    languages = options.languages.split("+")
    best: tuple[Path | None, list[str]] = (None, languages)
    for folder in tessdata_candidates(options):
        if not folder.is_dir():
            continue
        missing = [lang for lang in languages if not (folder / f"{lang}.traineddata").is_file()]
        if not missing:
            return folder, []
        if best[0] is None:
            best = (folder, missing)
    return best


def check(options: EngineOptions) -> Availability:
    assert isinstance(options, TesseractOptions)
    if importlib.util.find_spec("tesserocr") is None:
        return Availability.no("the tesserocr package is not installed (pip install tesserocr)")
    folder, missing = find_tessdata(options)
    if folder is None:
        searched = ", ".join(str(p) for p in tessdata_candidates(options))
        return Availability.no(
            f"no Tesseract language data found (searched {searched}); install "
            "tesseract-ocr-deu and tesseract-ocr-eng or set TESSDATA_PREFIX"
        )
    if missing:
        names = ", ".join(f"'{lang}'" for lang in missing)
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        return Availability.no(
            f"language data {names} not found in {folder}; install {packages} "
            "or set TESSDATA_PREFIX"
        )
    return Availability.yes()


def load(name: str, options: EngineOptions) -> Backend:
    assert isinstance(options, TesseractOptions)
    return TesseractBackend(name, options)


class TesseractBackend(Backend):
    def __init__(self, name: str, options: TesseractOptions) -> None:
        super().__init__(name)
        availability = check(options)
        if not availability.ok:
            raise ModelLoadError(name, availability.reason)
        folder, _ = find_tessdata(options)
        import tesserocr

        leptonica.silence()
        self._tesserocr = tesserocr
        self._instances = options.instances
        self._psm = options.page_segmentation
        self._pool: queue.SimpleQueue[tesserocr.PyTessBaseAPI] = queue.SimpleQueue()
        self._apis: list[tesserocr.PyTessBaseAPI] = []
        try:
            for _ in range(options.instances):
                api = tesserocr.PyTessBaseAPI(
                    path=f"{folder}{os.sep}",
                    lang=options.languages,
                    psm=options.page_segmentation,
                )
                self._apis.append(api)
                self._pool.put(api)
        except RuntimeError as exc:
            self.close()
            raise ModelLoadError(name, f"Tesseract did not start: {exc}") from exc

    @property
    def concurrency(self) -> int:
        return self._instances

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        api = self._pool.get()
        try:
            # Tesseract reads grey anyway; handing it grey is ten times cheaper than RGB.
            api.SetImage(page.image if page.image.mode == "L" else page.image.convert("L"))
            if page.dpi:
                api.SetSourceResolution(round(page.dpi))
            if page.one_block:
                api.SetPageSegMode(self._tesserocr.PSM.SINGLE_BLOCK)
            if not api.Recognize():
                raise RecognitionError(f"Tesseract failed on page {page.index + 1}.")
            lines = self._read_lines(api)
            pictures = self._pictures(api)
            back = bool(lines) and self._back_of_sheet(api, page, lines)
            if back:
                log.debug("Page %d: the back of a sheet, the front showing through", page.index + 1)
                kept = (printed_part(page.image, line) for line in lines)  # "Seite 2"
                lines = [line for line in kept if line is not None]
                pictures = ()
        except RuntimeError as exc:
            raise RecognitionError(f"Tesseract failed on page {page.index + 1}: {exc}") from exc
        finally:
            api.Clear()
            if page.one_block:
                api.SetPageSegMode(self._psm)
            self._pool.put(api)
        result = self._page_result(page, started, *in_reading_order(lines))
        if pictures or back:
            result = dataclasses.replace(result, pictures=pictures, back_of_sheet=back)
        return result

    def _back_of_sheet(self, api: Any, page: PageImage, lines: list[OcrLine]) -> bool:
        """Whether a page holding no ink darker than show-through (but for a line or two: a
        page number) reads surer mirrored, in a band of its faint lines: the back of a sheet,
        blank but for the front's print (``show_through``). Its binarisation drops the back's
        print where there is print on the front, but not on a blank back."""
        from PIL import ImageOps

        image = page.image
        read = [word.confidence for line in lines for word in line.words]
        if not read or not could_be_back(sum(read) / len(read)) or not faint_page(image):
            return False  # (most pages: read surely, at 0.9 or more)
        lines = [line for line in lines if not printed(image, line.box)]
        if not lines:
            return False
        box, sample = sample_band(lines)
        words = [word.confidence for line in sample for word in line.words]
        if not words:
            return False
        band = image.crop(box)
        # (at Tesseract's own guess of the band's resolution: at the page's stated 300 dpi,
        # two of the data set's 100-dpi forms' backs read no surer mirrored)
        api.SetImage(ImageOps.mirror(band if band.mode == "L" else band.convert("L")))
        if not api.Recognize():
            return False
        mirror_read = [_unit(value) for value in api.AllWordConfidences()]
        return bool(mirror_read) and back_of_sheet(
            sum(words) / len(words), sum(mirror_read) / len(mirror_read)
        )

    def _pictures(self, api: object) -> tuple[Box, ...]:
        """The blocks Tesseract's layout analysis took for pictures (it reads no text there:
        a logo's lettering, a photo, a tinted box)."""
        ril, kinds = self._tesserocr.RIL, self._tesserocr.PT
        images = {kinds.FLOWING_IMAGE, kinds.HEADING_IMAGE, kinds.PULLOUT_IMAGE}
        iterator = api.GetIterator()  # type: ignore[attr-defined]
        if iterator is None:
            return ()
        found = []
        for block in self._tesserocr.iterate_level(iterator, ril.BLOCK):
            box = block.BoundingBox(ril.BLOCK)
            if box is not None and block.BlockType() in images:
                found.append(tuple(int(v) for v in box))
        return tuple(found)

    def _read_lines(self, api: object) -> list[OcrLine]:
        """Every text line with its words; ``layout.in_reading_order`` orders them
        (Tesseract's own block order reads a label/value form as a column of labels followed
        by a column of values)."""
        ril = self._tesserocr.RIL
        lines: list[OcrLine] = []
        iterator = api.GetIterator()  # type: ignore[attr-defined]
        if iterator is None:
            return lines
        for item in self._tesserocr.iterate_level(iterator, ril.TEXTLINE):
            text = _text(item, ril.TEXTLINE)
            box = item.BoundingBox(ril.TEXTLINE)
            if not text or box is None:
                continue  # an empty line: a picture region
            confidence = _unit(item.Confidence(ril.TEXTLINE))
            words = self._read_words(item)
            if len(words) > len(text.split()):
                text = " ".join(word.text for word in words)  # a word was cut at a gap
            lines.append(OcrLine(text, confidence, tuple(int(v) for v in box), words))
        return lines

    def _read_words(self, line: object) -> tuple[OcrWord, ...]:
        """The words of the line the iterator stands on, leaving it there."""
        ril = self._tesserocr.RIL
        words: list[OcrWord] = []
        while True:
            text = _text(line, ril.WORD)
            box = line.BoundingBox(ril.WORD)  # type: ignore[attr-defined]
            if text and box is not None:
                confidence = _unit(line.Confidence(ril.WORD))  # type: ignore[attr-defined]
                word = OcrWord(text, confidence, tuple(int(v) for v in box))
                if may_be_glued(text):
                    words.extend(split_at_gaps(word, self._characters(line)))
                else:
                    words.append(word)
            if line.IsAtFinalElement(ril.TEXTLINE, ril.WORD):  # type: ignore[attr-defined]
                break
            if not line.Next(ril.WORD):  # type: ignore[attr-defined]
                break
        return tuple(words)

    def _characters(self, word: object) -> list[tuple[str, Box]]:
        """The characters of the word the iterator stands on, with their boxes, leaving it on
        the word's last character (where its next word is found as from its first)."""
        ril = self._tesserocr.RIL
        found: list[tuple[str, Box]] = []
        while True:
            box = word.BoundingBox(ril.SYMBOL)  # type: ignore[attr-defined]
            if box is not None:
                found.append((_text(word, ril.SYMBOL), tuple(int(v) for v in box)))
            if word.IsAtFinalElement(ril.WORD, ril.SYMBOL):  # type: ignore[attr-defined]
                break
            if not word.Next(ril.SYMBOL):  # type: ignore[attr-defined]
                break
        return found

    def close(self) -> None:
        for api in self._apis:
            api.End()
        self._apis.clear()


def _text(item: Any, level: int) -> str:
    """The text at the iterator's place; "" where there is none (tesserocr raises "No text
    returned" there: on a blank page the iterator stands on an empty block)."""
    try:
        return (item.GetUTF8Text(level) or "").strip()
    except RuntimeError:
        return ""


def _unit(confidence: float) -> float:
    """Tesseract's 0..100 confidence on the 0..1 scale of the results."""
    return max(0.0, min(1.0, confidence / 100.0))


def estimate(options: EngineOptions) -> MemoryEstimate:
    """Measured (``benchmarks/full_size.py --cpu-engines``): +49 MiB to load two instances
    (deu+eng), +41 MiB more per page in flight on a 300 dpi A4 page."""
    instances = options.instances if isinstance(options, TesseractOptions) else 1
    return MemoryEstimate("cpu", weights=28 * MIB * instances, activations=48 * MIB * instances)


def concurrency(options: EngineOptions) -> int:
    return options.instances if isinstance(options, TesseractOptions) else 1


def prepare() -> None:
    import tesserocr  # noqa: F401


SPEC = BackendSpec(
    engine="tesseract",
    kind="cpu",
    title="Tesseract 5 (tesserocr, in-process)",
    options=TesseractOptions,
    estimate=estimate,
    check=check,
    load=load,
    concurrency=concurrency,
    prepare=prepare,
)
