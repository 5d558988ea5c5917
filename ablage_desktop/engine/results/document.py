"""Recognition results, and their plain-text and JSON forms.

Boxes are ``(x0, y0, x1, y1)`` in pixels of the page image the engine saw; confidences are
0..1 whatever the engine's own scale.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ablage_desktop.engine.errors import AblageError
from ablage_desktop.engine.pathtext import json_name
from ablage_desktop.engine.results.atomicfile import write_atomic

PAGE_SEPARATOR = "\f"
"""Between pages in plain text, as pdftotext and Tesseract write it."""


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    kind: str
    message: str

    @classmethod
    def from_exception(cls, exc: BaseException) -> ErrorInfo:
        if isinstance(exc, AblageError):
            return cls(exc.kind, exc.message)
        return cls("internal", f"{type(exc).__name__}: {exc}")

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind, "message": self.message}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ErrorInfo:
        return cls(str(data["kind"]), str(data["message"]))


Box = tuple[int, int, int, int]


def enclosing(boxes: Iterable[Box]) -> Box:
    """The smallest box holding every one of ``boxes`` (at least one)."""
    x0s, y0s, x1s, y1s = zip(*boxes, strict=True)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


def estimated_words(text: str, box: Box) -> list[tuple[str, Box]]:
    """The words of ``text`` with the boxes they have in ``box`` where its characters are
    equally wide: the word from character ``s`` to ``e`` of ``n`` spans ``x0 + w * s / n``
    to ``x0 + w * e / n``. Right for monospaced print, close for proportional (an engine that
    reports lines only, a corrected line)."""
    x0, y0, x1, y1 = box
    count = max(1, len(text))
    words = []
    for match in re.finditer(r"\S+", text):
        left = x0 + round((x1 - x0) * match.start() / count)
        right = max(left + 1, x0 + round((x1 - x0) * match.end() / count))
        words.append((match.group(), (left, y0, right, y1)))
    return words


LINE_ROLES = (
    "title",
    "heading",
    "paragraph",
    "list_item",
    "table_cell",
    "caption",
    "footnote",
    "page_header",
    "page_footer",
    "formula",
    "code",
    "picture_text",
    "form_field",
)
"""The roles a layout engine gives lines (``OcrLine.role``): what the JSON output carries."""


def _text_json(text: str, confidence: float, box: Box) -> dict[str, Any]:
    return {"text": text, "confidence": round(confidence, 4), "box": list(box)}


def _box_of(data: dict[str, Any]) -> Box:
    x0, y0, x1, y1 = (int(value) for value in data["box"])
    return (x0, y0, x1, y1)


@dataclass(frozen=True, slots=True)
class OcrWord:
    """One word of a line, where the engine reports words (Tesseract)."""

    text: str
    confidence: float
    box: Box

    def to_json(self) -> dict[str, Any]:
        return _text_json(self.text, self.confidence, self.box)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OcrWord:
        return cls(str(data["text"]), float(data["confidence"]), _box_of(data))


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    confidence: float
    box: Box
    words: tuple[OcrWord, ...] = ()
    """The line's words with their own boxes; empty where the engine reports lines only."""
    role: str | None = None
    """What the line is on the page where a layout engine says so (one of ``LINE_ROLES``);
    None where the engine reads text only."""
    in_text: bool = True
    """Whether the line is part of the page's text; False for lettering ``auto`` keeps with
    the lines (searchable, in the JSON) but out of the text (``models.pictures``: a logo's)."""

    def to_json(self) -> dict[str, Any]:
        data = _text_json(self.text, self.confidence, self.box)
        if self.words:  # only engines that report words carry the key
            data["words"] = [word.to_json() for word in self.words]
        if self.role is not None:  # only layout engines carry the key
            data["role"] = self.role
        if not self.in_text:  # only lines set aside carry the key
            data["in_text"] = False
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OcrLine:
        words = tuple(OcrWord.from_json(word) for word in data.get("words", ()))
        role = data.get("role")
        return cls(
            str(data["text"]),
            float(data["confidence"]),
            _box_of(data),
            words,
            None if role is None else str(role),
            bool(data.get("in_text", True)),
        )


@dataclass(frozen=True, slots=True)
class Fallback:
    """An engine that did not give the page its text, and why the next one was tried."""

    from_backend: str
    to_backend: str
    error: ErrorInfo

    def to_json(self) -> dict[str, Any]:
        return {"from": self.from_backend, "to": self.to_backend, "error": self.error.to_json()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fallback:
        return cls(str(data["from"]), str(data["to"]), ErrorInfo.from_json(data["error"]))


@dataclass(frozen=True, slots=True)
class OcrPage:
    index: int
    width: int
    height: int
    backend: str
    seconds: float
    text: str
    lines: tuple[OcrLine, ...] = ()
    route: str | None = None
    """Why this backend was chosen for the page."""
    fallbacks: tuple[Fallback, ...] = ()
    preprocessing: tuple[str, ...] = ()
    """What the preprocessing stage did to the page before the engine read it (turned,
    deskewed, scaled...); the boxes are on the original page all the same."""
    markdown: str | None = None
    """The page as Markdown with its structure (headings, lists, tables) where a layout
    engine read it; None where the lines are all there is."""
    corrected: bool = False
    """Changed by a person in the window (typed over, a frame or the page turned read
    again), not the batch's reading; the archive keeps it so (``Store.correct_page``)."""
    fields: tuple[tuple[str, str], ...] = ()
    """Each area's name and text where ``ocr --area`` read named or several areas of the page,
    in the order given (``run.area_route``); empty for a page read whole."""
    turns: int = 0
    """Counter-clockwise quarter turns that stood the page upright to be read (the orientation
    step's or a person's), 0 to 3: the lines are on the page as scanned all the same, but an
    area given for the upright page (``ocr --area``) lies elsewhere on it."""
    stages: tuple[tuple[str, float], ...] = field(default=(), compare=False)
    """Seconds this page spent in each stage of recognition (``preprocessing``, each engine
    by name, ``combining``), for benchmarks; not kept in the archive."""
    pictures: tuple[Box, ...] = field(default=(), compare=False)
    """Regions the engine's own layout analysis took for pictures and did not read
    (Tesseract's image blocks), for ``auto``'s combining; not kept in the archive."""
    back_of_sheet: bool = field(default=False, compare=False)
    """The engine found the page blank but for the front's print showing through from the
    other side (``backends/show_through.py``): rightly empty, no other engine to read it; not
    kept in the archive (the route says so)."""

    def to_json(self) -> dict[str, Any]:
        data = {
            "index": self.index,
            "width": self.width,
            "height": self.height,
            "backend": self.backend,
            "seconds": round(self.seconds, 3),
            "text": self.text,
            "lines": [line.to_json() for line in self.lines],
            "route": self.route,
            "fallbacks": [fallback.to_json() for fallback in self.fallbacks],
        }
        if self.preprocessing:  # only pages the stage changed carry the key
            data["preprocessing"] = list(self.preprocessing)
        if self.markdown is not None:  # only pages a layout engine read carry the key
            data["markdown"] = self.markdown
        if self.corrected:  # only pages a person changed carry the key
            data["corrected"] = True
        if self.fields:  # only pages read in named areas carry the key
            data["fields"] = dict(self.fields)
        if self.turns:  # only pages read turned carry the key, in degrees
            data["turned"] = 90 * self.turns
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OcrPage:
        """The page ``to_json`` wrote (the archive keeps pages in this form)."""
        return cls(
            index=int(data["index"]),
            width=int(data["width"]),
            height=int(data["height"]),
            backend=str(data["backend"]),
            seconds=float(data["seconds"]),
            text=str(data["text"]),
            lines=tuple(OcrLine.from_json(line) for line in data.get("lines", ())),
            route=data.get("route"),
            fallbacks=tuple(Fallback.from_json(item) for item in data.get("fallbacks", ())),
            preprocessing=tuple(str(step) for step in data.get("preprocessing", ())),
            markdown=None if data.get("markdown") is None else str(data["markdown"]),
            corrected=bool(data.get("corrected", False)),
            fields=tuple((str(name), str(text)) for name, text in data.get("fields", {}).items()),
            turns=int(data.get("turned", 0)) // 90 % 4,
        )


@dataclass(slots=True)
class OcrDocument:
    """One input document: its pages in order, or the reason it failed.

    A document whose later page failed keeps the pages recognised before it and carries the
    error, so nothing already paid for is thrown away.
    """

    document: Path
    sha256: str | None = None
    pages: list[OcrPage] = field(default_factory=list)
    error: ErrorInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def text(self) -> str:
        return PAGE_SEPARATOR.join(_with_final_newline(page.text) for page in self.pages)

    def to_json(self) -> dict[str, Any]:
        return {
            **json_name(self.document),
            "sha256": self.sha256,
            "pages": [page.to_json() for page in self.pages],
            "error": self.error.to_json() if self.error else None,
        }


def _with_final_newline(text: str) -> str:
    return text if text.endswith("\n") or not text else text + "\n"


OUTPUT_FORMATS = ("txt", "json")


def render(document: OcrDocument, fmt: str) -> bytes:
    """The bytes of ``document`` in the output format ``fmt``."""
    if fmt == "txt":
        return document.text.encode("utf-8", "surrogateescape")
    if fmt == "json":
        # A file name that is not valid UTF-8 stays recoverable: its lone surrogates are
        # written as JSON escapes, which json.loads turns back into the same str.
        data = json.dumps(document.to_json(), ensure_ascii=False, indent=2) + "\n"
        return data.encode("utf-8", "backslashreplace")
    raise ValueError(f"unknown output format {fmt!r}; expected one of {OUTPUT_FORMATS}")


def write_result(document: OcrDocument, path: Path, fmt: str) -> Path:
    """Write ``document`` to ``path`` atomically, so a crash never leaves half a file."""
    write_atomic(path, render(document, fmt))
    return path
