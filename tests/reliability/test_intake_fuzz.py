"""Fuzzing document intake: mutated PNG, JPEG, TIFF and PDF files either open or fail typed.

Seeds are real files of each type (generated here, plus a few of the shared data set when it is
present); hypothesis mutates their bytes (bit flips, interesting integers where sizes and
offsets live, insertions, deletions, repeats, truncation) and every variant goes through the
public intake API, ``open_document`` and every page rendered, as a batch would. Each one must
open, or raise one of our ``InputError``s, within ``TIME_BOUND_S``; anything else (an
``IndexError`` from a decoder, a ``struct.error``, a hang) is a bug, and hypothesis shrinks it
to a small reproducing file.

The default run (``make test``) tries ``SMALL_EXAMPLES`` variants per type; the full run tries
``FULL_EXAMPLES`` per type: ``ABLAGE_FULL_SIZE=1`` (as every reliability test) or
``ABLAGE_FUZZ_FULL=1`` (or ``ABLAGE_FUZZ_EXAMPLES=N``). The
counts, outcomes and slowest open are printed at the end (``-s``).
"""

from __future__ import annotations

import io
import os
import struct
import time
import warnings
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from born_digital import pdf_file
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from samples import DATA, pdf_bytes, text_page

from ablage_desktop.engine.errors import InputError
from ablage_desktop.engine.intake.documents import IntakeLimits, open_document

SMALL_EXAMPLES = 250
FULL_EXAMPLES = 2500
TIME_BOUND_S = 10.0
"""Per variant: open and render every page. The slowest seen is far below (see the summary)."""
LIMITS = IntakeLimits(max_file_bytes=16 << 20, max_pixels_per_page=10_000_000, max_pages=8,
                      pdf_dpi=72)  # fmt: skip
"""Small limits keep each variant quick; mutated sizes hit them, which is part of the test."""
REAL_SEEDS = {
    "png": ["funsd_0060165115.png"],
    "jpeg": ["sroie_402.jpg"],
    "tiff": ["de_intarsys_taxifahrt_g4.tif"],
    "pdf": ["pdfen_movie_plot.pdf"],
}


def full_size() -> bool:
    """``ABLAGE_FULL_SIZE=1`` runs every reliability test at full size; the fuzz alone too."""
    return bool(os.environ.get("ABLAGE_FUZZ_FULL")) or os.environ.get("ABLAGE_FULL_SIZE") == "1"


def examples() -> int:
    if os.environ.get("ABLAGE_FUZZ_EXAMPLES"):
        return int(os.environ["ABLAGE_FUZZ_EXAMPLES"])
    return FULL_EXAMPLES if full_size() else SMALL_EXAMPLES


def _saved(image: Image.Image, fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def _text_pdf() -> bytes:
    """A small PDF with real text (a font, a content stream, an xref table), written by hand."""
    stream = b"BT /F1 18 Tf 20 60 Td (Invoice 4711 - Gr\\374\\337e) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 120] /Resources << /Font << /F1 4 0 R"
        b" >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    return pdf_file(objects, root=1)


def seeds(kind: str) -> list[bytes]:
    """Real, valid files of ``kind``: small ones made here, and real ones of the data set."""
    page = text_page(size=(360, 120))
    rgba = page.convert("RGBA")
    made = {
        "png": [
            _saved(page, "PNG", dpi=(300, 300)),
            _saved(page.convert("P"), "PNG"),
            _saved(rgba, "PNG"),
            _saved(page.convert("I;16"), "PNG"),
        ],
        "jpeg": [
            _saved(page, "JPEG", quality=80, dpi=(200, 200)),
            _saved(page.convert("RGB"), "JPEG", progressive=True),
            _saved(page.convert("CMYK"), "JPEG"),
        ],
        "tiff": [
            _saved(page, "TIFF", compression="tiff_lzw", dpi=(300, 300)),
            _saved(page.convert("1"), "TIFF", compression="group4"),
            _saved(page, "TIFF", save_all=True, append_images=[page.rotate(180)]),
            _saved(page.convert("RGB"), "TIFF", compression="tiff_deflate"),
        ],
        "pdf": [_text_pdf(), pdf_bytes([page, page.rotate(180)], dpi=100)],
    }[kind]
    real = [(DATA / name).read_bytes() for name in REAL_SEEDS[kind] if (DATA / name).is_file()]
    return made + real


SIGNATURE_BYTES = 8
INTERESTING_INTS = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF, 0x10000]


@dataclass(frozen=True)
class Variant:
    """A mutated file; its repr (what hypothesis prints for a failure) stays short."""

    seed: int
    operations: tuple[str, ...]
    data: bytes

    def __repr__(self) -> str:
        return f"Variant(seed={self.seed}, operations={self.operations}, {len(self.data)} bytes)"


@st.composite
def mutated(draw: st.DrawFn, originals: list[bytes]) -> Variant:
    """One of ``originals`` with 1-6 mutations, biased towards the headers at the start; the
    signature (the first bytes, which only decide the type) stays as it is."""
    seed = draw(st.integers(0, len(originals) - 1))
    data = bytearray(originals[seed])
    operations: list[str] = []
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        end = len(data) - 1
        start = min(end, SIGNATURE_BYTES)  # a broken signature only says "not a document"
        position = draw(st.one_of(st.integers(start, min(end, 512)), st.integers(start, end)))
        operation = draw(st.sampled_from(["flip", "byte", "int", "insert", "delete", "repeat",
                                          "truncate"]))  # fmt: skip
        operations.append(f"{operation}@{position}")
        if operation == "flip":
            data[position] ^= 1 << draw(st.integers(0, 7))
        elif operation == "byte":
            data[position] = draw(st.sampled_from([0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]))
        elif operation == "int":
            value = draw(st.sampled_from(INTERESTING_INTS))
            width = draw(st.sampled_from([2, 4]))
            order = draw(st.sampled_from(["big", "little"]))
            data[position : position + width] = (value % (1 << (8 * width))).to_bytes(width, order)
        elif operation == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=16))
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 64))]
        elif operation == "repeat":
            chunk = data[position : position + draw(st.integers(1, 64))]
            data[position:position] = chunk * draw(st.integers(1, 4))
        else:
            del data[max(1, position) :]
    if data.startswith(PNG_SIGNATURE) and draw(st.booleans()):
        # Pillow checks every chunk's CRC: without fixing them half the variants would stop
        # at the first changed chunk, and the decoders behind it would never be reached.
        fix_png_checksums(data)
        operations.append("crc")
    return Variant(seed, tuple(operations), bytes(data))


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def fix_png_checksums(data: bytearray) -> None:
    """Recompute the CRC of every whole chunk of a PNG, in place."""
    offset = len(PNG_SIGNATURE)
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        end = offset + 8 + length
        if end + 4 > len(data):
            break
        crc = zlib.crc32(bytes(data[offset + 4 : end]))
        data[end : end + 4] = crc.to_bytes(4, "big")
        offset = end + 4


@dataclass
class FuzzStats:
    """What the fuzz run saw, printed when the module's tests are done."""

    variants: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)
    slowest: dict[str, float] = field(default_factory=dict)

    def record(self, kind: str, outcome: str, seconds: float) -> None:
        self.variants[kind] += 1
        self.outcomes[outcome] += 1
        self.slowest[kind] = max(self.slowest.get(kind, 0.0), seconds)

    def summary(self) -> str:
        per_kind = ", ".join(
            f"{kind} {count} (slowest {self.slowest[kind] * 1000:.0f} ms)"
            for kind, count in sorted(self.variants.items())
        )
        outcomes = ", ".join(f"{name} {count}" for name, count in self.outcomes.most_common())
        return (
            f"intake fuzz: {sum(self.variants.values())} variants: {per_kind}; outcomes: {outcomes}"
        )


@pytest.fixture(scope="module")
def stats() -> Iterator[FuzzStats]:
    collected = FuzzStats()
    yield collected
    print("\n" + collected.summary())


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def open_and_render(path: Path) -> str:
    """What a batch does with a file: open it and render every page; the outcome's name."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow warns about odd EXIF; not our concern here
        try:
            with open_document(path, LIMITS) as document:
                for page in document.pages():
                    assert page.image.mode in ("L", "RGB")
                    assert page.image.width >= 1 and page.image.height >= 1
        except InputError as exc:
            return exc.kind
    return "opened"


@pytest.mark.parametrize("kind", ["png", "jpeg", "tiff", "pdf"])
def test_the_seeds_themselves_open(kind: str, workdir: Path) -> None:
    for number, content in enumerate(seeds(kind)):
        path = workdir / f"seed-{kind}-{number}"
        path.write_bytes(content)
        assert open_and_render(path) == "opened", (kind, number)


def fuzz(kind: str, variant: Variant, workdir: Path, stats: FuzzStats) -> None:
    path = workdir / f"variant.{kind}"
    path.write_bytes(variant.data)
    started = time.perf_counter()
    try:
        outcome = open_and_render(path)  # anything but an InputError fails the test
    except BaseException as exc:
        keep = workdir / f"failing-{kind}-{type(exc).__name__}.{kind}"
        keep.write_bytes(variant.data)  # hypothesis replays the smallest failure last
        exc.add_note(f"reproducing file: {keep}")
        raise
    seconds = time.perf_counter() - started
    stats.record(kind, outcome, seconds)
    assert seconds < TIME_BOUND_S, f"{kind} variant took {seconds:.1f} s"


def _settings() -> settings:
    return settings(
        max_examples=examples(),
        deadline=None,
        derandomize=not full_size(),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


@_settings()
@given(variant=st.deferred(lambda: mutated(seeds("png"))))
def test_mutated_png_opens_or_fails_typed(
    variant: Variant, workdir: Path, stats: FuzzStats
) -> None:
    fuzz("png", variant, workdir, stats)


@_settings()
@given(variant=st.deferred(lambda: mutated(seeds("jpeg"))))
def test_mutated_jpeg_opens_or_fails_typed(
    variant: Variant, workdir: Path, stats: FuzzStats
) -> None:
    fuzz("jpeg", variant, workdir, stats)


@_settings()
@given(variant=st.deferred(lambda: mutated(seeds("tiff"))))
def test_mutated_tiff_opens_or_fails_typed(
    variant: Variant, workdir: Path, stats: FuzzStats
) -> None:
    fuzz("tiff", variant, workdir, stats)


@_settings()
@given(variant=st.deferred(lambda: mutated(seeds("pdf"))))
def test_mutated_pdf_opens_or_fails_typed(
    variant: Variant, workdir: Path, stats: FuzzStats
) -> None:
    fuzz("pdf", variant, workdir, stats)


def test_a_tiff_page_directory_without_dimensions_ends_the_pages(workdir: Path) -> None:
    """Found by this fuzzer: Pillow raised TypeError ("Missing dimensions") for a later page's
    directory without ImageWidth, which escaped intake as an internal error. The pages
    before it are read; the document says where it broke."""
    buffer = io.BytesIO()
    page = text_page(size=(200, 60))
    page.save(buffer, "TIFF", save_all=True, append_images=[page])
    data = bytearray(buffer.getvalue())
    first = struct.unpack_from("<I", data, 4)[0]
    second = struct.unpack_from(
        "<I", data, first + 2 + 12 * struct.unpack_from("<H", data, first)[0]
    )[0]
    for entry in range(struct.unpack_from("<H", data, second)[0]):
        at = second + 2 + 12 * entry
        if struct.unpack_from("<H", data, at)[0] == 256:  # ImageWidth -> an unknown tag
            struct.pack_into("<H", data, at, 0xFFF0)
    path = workdir / "no-width-on-page-2.tif"
    path.write_bytes(data)

    assert open_and_render(path) == "opened"
    with open_document(path, LIMITS) as document:
        assert document.page_count == 1
        assert document.damage is not None and "after page 1" in document.damage
        assert "page 1 was read" in document.damage
