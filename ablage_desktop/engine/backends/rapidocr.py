"""RapidOCR 3 with the PP-OCR models its wheel carries: the embedded default that always works.

Its multilingual recognition model reads German (umlauts, ß) without being told the language;
it is kept to the characters German and English paper holds (``rapidocr_alphabet``).
onnxruntime spreads one page over every core; ``instances`` sessions read as many pages at
once, the cores shared out among them (two sessions of one thread read the development set's
20 pages in 26-30 s against one session's 31-38 s on two cores, at one more page's memory;
measured with the recogniser's batches of 6, before ``REC_BATCH``),
and a page read alone has a session with every core.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib.util
import logging
import math
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from pydantic import Field

from ablage_desktop.engine.backends.base import (
    Availability,
    Backend,
    BackendSpec,
    EngineOptions,
    Settled,
)
from ablage_desktop.engine.backends.rapidocr_alphabet import Alphabet, restrict
from ablage_desktop.engine.backends.rapidocr_ghosts import Ghosts, find_ghosts, wipe_show_through
from ablage_desktop.engine.backends.rapidocr_lexicon import WordList
from ablage_desktop.engine.backends.rapidocr_memory import footprint
from ablage_desktop.engine.backends.rapidocr_scribbles import find_scribbles
from ablage_desktop.engine.backends.rapidocr_spaces import spaced
from ablage_desktop.engine.backends.rapidocr_tiles import (
    detect_around_ink,
    detect_beside,
    detect_in_tiles,
)
from ablage_desktop.engine.backends.rapidocr_unread import detect_unread
from ablage_desktop.engine.errors import ModelLoadError, RecognitionError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.estimate import MemoryEstimate
from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.cores import cores_if_restricted, usable_cores
from ablage_desktop.engine.text.layout import in_reading_order

log = logging.getLogger(__name__)
LIBRARY_LOGGER = "RapidOCR"
"""The name RapidOCR logs under."""
ALONE_AFTER_S = 1.0
"""A page goes to the session with every core only if no page's call ended this recently. In
a batch the next page's call follows within a fraction of a second (its preprocessing, or in
``auto`` Tesseract reading the other page's strips): taken then, that session's threads ran
beside the other page's on cores already busy (``quality.py``, the 20 pages: ``auto`` took
59.1-61.7 CPU s before, 55.5-56.6 after, with the same text)."""

ON_END = 3.0
"""A text box this many times as tall as wide is a line standing on end, which RapidOCR has
turned a quarter anticlockwise (it turns every crop 1.5 times as tall as wide,
``get_rotate_crop_image``). Below 3, single characters stand so: a "2" of a form's box number
12 x 18 pixels read surer half round (0.93 against 0.41) and came into the text as a speck."""

REC_BATCH = 1
"""Lines the recogniser reads in one call. RapidOCR's own 6 pads each line to the widest of
its batch: on the development set one at a time was faster (RapidOCR alone 24.7 against
26-28 s) and read better (CER 0.0340 -> 0.0337, F1 0.9093 -> 0.9112), and a line reads the
same whichever others are recognised with it (``recognize_where`` recognises a subset)."""


class RapidOcrOptions(EngineOptions):
    min_confidence: float = Field(0.5, ge=0.0, le=1.0)
    """Lines the recogniser is less sure of than this are dropped (RapidOCR's text_score)."""
    angle_classifier: bool = False
    """Turn lines it judges upside down before recognising them. Off by default: on upright
    pages it flips some long lines into garbage (CER 0.12 -> 0.00 on an English prose page)."""
    threads: int = Field(0, ge=0)
    """onnxruntime threads per session; 0: the usable cores (``run/cores.py``) shared out."""
    instances: int = Field(default_factory=lambda: min(2, usable_cores()), ge=1, le=16)
    """Pages read at once, each on a session of its own with its share of the cores and
    costing a page's memory (``page_bytes``); with more than one (and ``threads`` 0), a page
    read alone gets one more session, with every core."""
    alphabet: Alphabet = "latin"
    """The characters the recogniser may answer with: ``latin`` (Latin letters, digits,
    punctuation and the symbols of European print; ``rapidocr_alphabet``; a character out
    of kind with its neighbours, "Fu1ler", takes the model's next guess of the right kind,
    ``rapidocr_kinds``), ``full`` (the model's own 18,710, Chinese and Japanese among them,
    as the model reads them)."""
    lexicon: bool = True
    """With the ``latin`` alphabet, a word misread by one letter ("PRODLCT") is read as the
    German or English word the model's own next guess makes (``rapidocr_lexicon``), and one
    with a letter dropped or one too many ("Emnail") as the listed word the model's scores
    allow with a letter put in or taken out (``rapidocr_edits``)."""
    detection_side: int = Field(0, ge=0)
    """Longest side (pixels) of the image the text detector sees; 0: RapidOCR's own choice
    (the page at up to 2000 pixels). The detector finds the lines of office print as well at
    a smaller size, in less time; the recogniser reads the lines from the page at RapidOCR's
    working size (2000 pixels at most) whatever this is."""


def _models_folder() -> Path | None:
    spec = importlib.util.find_spec("rapidocr")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def check(options: EngineOptions) -> Availability:
    if importlib.util.find_spec("onnxruntime") is None:
        return Availability.no("the onnxruntime package is not installed (pip install onnxruntime)")
    models = _models_folder()
    if models is None:
        return Availability.no("the rapidocr package is not installed (pip install rapidocr)")
    if not any(models.glob("*.onnx")):
        return Availability.no(f"the models that come with rapidocr are missing from {models}")
    return Availability.yes()


def shares_cores(options: RapidOcrOptions) -> bool:
    """Several sessions splitting the cores among them (``threads`` left to the app)."""
    return options.instances > 1 and not options.threads


def session_threads(options: RapidOcrOptions) -> int:
    """onnxruntime threads of each of the sessions that read pages side by side (0: every
    core: onnxruntime's own choice, or the cores this process is restricted to)."""
    if shares_cores(options):
        return max(1, usable_cores() // options.instances)
    return options.threads


def rapidocr_params(options: RapidOcrOptions, threads: int | None = None) -> dict[str, Any]:
    """RapidOCR's own settings for a configured model; ``threads`` for one session (None:
    those of the sessions that read side by side)."""
    params: dict[str, Any] = {
        "Global.log_level": "warning",
        "Global.text_score": options.min_confidence,
        "Global.use_cls": options.angle_classifier,
        "Rec.rec_batch_num": REC_BATCH,
    }
    if options.detection_side:
        params["Det.limit_type"] = "max"
        params["Det.limit_side_len"] = options.detection_side
    threads = (session_threads(options) if threads is None else threads) or cores_if_restricted()
    if threads:
        params["EngineConfig.onnxruntime.intra_op_num_threads"] = threads
    return params


def new_session(params: dict[str, Any]) -> Any:
    """A ``RapidOCR`` instance whose messages go through the app's logging.

    RapidOCR logs through a coloured handler of its own that bypasses the app's logging (and
    ``-q``); its warnings ("The text detection result is empty" on every blank page) are
    nothing a user can act on. Its logger is brought under the app's: no own handler, and only
    errors unless the app logs at debug level.
    """
    from rapidocr import RapidOCR

    from ablage_desktop.engine.run.priority import at_low_priority

    # onnxruntime starts its thread pool with the session: made in a lowered thread, the pool
    # computes behind the window whichever thread asked for the model.
    session = at_low_priority(lambda: RapidOCR(params=params))
    library = logging.getLogger(LIBRARY_LOGGER)
    for handler in list(library.handlers):
        library.removeHandler(handler)
    library.propagate = True
    library.setLevel(logging.DEBUG if log.isEnabledFor(logging.DEBUG) else logging.ERROR)
    return session


def load(name: str, options: EngineOptions) -> Backend:
    assert isinstance(options, RapidOcrOptions)
    return RapidOcrBackend(name, options)


class RapidOcrBackend(Backend):
    """Pages read side by side on ``instances`` sessions, each with its share of the cores;
    a page read while no other is, and none was a moment ago (one scan dropped), goes to one
    more session that has every core: one thread alone reads a page 1.6x slower."""

    def __init__(self, name: str, options: RapidOcrOptions) -> None:
        super().__init__(name)
        self._options = options
        self._pool: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._sessions: list[Any] = []
        self._alone: Any = None
        self._lock = threading.Lock()
        self._in_flight = 0
        self._alone_busy = False
        self._clock: Callable[[], float] = time.monotonic
        self._last_end = -math.inf
        """When the last page's call ended: a page of a batch follows it within a moment."""
        params = rapidocr_params(options)
        latin = options.lexicon and options.alphabet == "latin"
        # one word list, and one model's character tables, for every session
        words, tables = (WordList.of_languages() if latin else None), None
        try:
            for _ in range(options.instances):
                session = new_session(params)
                tables = restrict(session, options.alphabet, words, tables)
                self._sessions.append(session)
                self._pool.put(session)
            if shares_cores(options):
                self._alone = new_session(rapidocr_params(options, threads=0))
                restrict(self._alone, options.alphabet, words, tables)
        except Exception as exc:  # any failure of a third-party loader means "cannot start"
            self.close()
            raise ModelLoadError(name, f"{type(exc).__name__}: {exc}") from exc

    @property
    def concurrency(self) -> int:
        return self._options.instances

    def _take(self) -> tuple[Any, bool]:
        """A session for the next page, and whether it is the one with every core."""
        with self._lock:
            alone = (
                self._alone is not None
                and self._in_flight == 0
                and not self._alone_busy
                and self._clock() - self._last_end >= ALONE_AFTER_S
            )
            self._in_flight += 1
            self._alone_busy = self._alone_busy or alone
        return (self._alone, True) if alone else (self._pool.get(), False)

    def _give_back(self, session: Any, alone: bool) -> None:
        if not alone:
            self._pool.put(session)
        with self._lock:
            self._in_flight -= 1
            self._last_end = self._clock()
            if alone:
                self._alone_busy = False

    @contextlib.contextmanager
    def _session(self, page: PageImage) -> Iterator[Any]:
        """A session for ``page`` while it is read; what fails in it fails in words."""
        session, alone = self._take()
        try:
            yield session
        except Exception as exc:
            raise RecognitionError(
                f"RapidOCR failed on page {page.index + 1}: {type(exc).__name__}: {exc}"
            ) from exc
        finally:
            self._give_back(session, alone)

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        """Every line the detector finds, recognised (``recognize_where`` with none settled),
        in reading order."""
        started = time.perf_counter()
        found = self.recognize_where(page, lambda boxes: [None] * len(boxes), cancel)
        return self._page_result(page, started, *in_reading_order(list(found.lines)))

    def recognize_where(
        self,
        page: PageImage,
        settled: Settled,
        cancel: CancelToken | None = None,
        known: Sequence[OcrLine] = (),
    ) -> OcrPage:
        """The page's lines as the detector finds them; ``settled`` is given their boxes and
        returns, for each, a line another engine has read for sure (taken as it is) or None
        (read by the recogniser). The recogniser is most of RapidOCR's time on a page (3.6 of
        4.2 s on a 300-dpi invoice), so every settled line is time saved.

        The lines come in the detector's order, for the caller to put in reading order once
        it has done with them: ordered twice, the pieces of a line cut at a column's gutter
        would be taken for lines of their own. ``known`` lines, read for sure before (with their
        boxes on the page), are taken as they are and their ink is not detected again
        (``rapidocr_unread``)."""
        started = time.perf_counter()
        with self._session(page) as session:
            lines, ghosts = self._read_lines(session, page.image, settled, known)
            if ghosts.back:
                log.debug("Page %d: the back of a sheet, the front showing through", page.index + 1)
            elif ghosts.show_through:
                # the back's print showing through: read again without it, where it also
                # lay in the lines of the front's print and in the gaps between their words
                log.debug("Page %d: %s", page.index + 1, ghosts.note)
                # (the second reading looks for ghosts again: a ghost the first joined to a
                # line of print may stand alone now)
                cleaned = wipe_show_through(page.image, ghosts)
                lines, _ = self._read_lines(session, cleaned, settled, known)
        result = self._page_result(page, started, "\n".join(line.text for line in lines), lines)
        return dataclasses.replace(result, back_of_sheet=True) if ghosts.back else result

    def _read_lines(
        self, session: Any, image: Any, settled: Settled, known: Sequence[OcrLine] = ()
    ) -> tuple[list[OcrLine], Ghosts]:
        """The lines ``image`` holds, in the detector's order (then the ``known`` ones taken),
        and the faint ones among them that are the back's print showing through, left out
        (``rapidocr_ghosts``), as are handwritten signatures (``rapidocr_scribbles``)."""
        width, height = image.size
        unread = detect_unread(session, image, known) if known else None
        found, taken, taken_crops = unread or (_detect(session, image), (), [])
        boxes = [box_of_quad(quad, width, height) for quad, _crop in found]
        answers = settled(boxes)
        todo = [i for i, line in enumerate(answers) if line is None]
        on_end = [stands_on_end(found[i][0]) for i in todo]
        read = _recognise(session, [found[i][1] for i in todo], self._options, on_end)
        recognised = dict(zip(todo, read, strict=True))
        crops = [crop for _quad, crop in found] + taken_crops
        taken_lines = [known[index] for index in taken]
        every_box = boxes + [line.box for line in taken_lines]
        ghosts = find_ghosts(functools.partial(_read, session), crops, recognised, every_box)
        left_out = ghosts.lines | find_scribbles(crops, recognised)
        lines: list[OcrLine] = []
        for index, line in enumerate(answers):
            if line is None:
                text, score = recognised[index]
                text = text.strip()
                if not text or score < self._options.min_confidence or index in left_out:
                    continue
                line = OcrLine(text, float(score), boxes[index])
            lines.append(line)
        return lines + taken_lines, ghosts

    def close(self) -> None:
        self._sessions.clear()
        self._alone = None
        while not self._pool.empty():
            self._pool.get_nowait()


def _detect(session: Any, image: Any) -> list[tuple[Any, Any]]:
    """The detector's four-point boxes on the page and the crops the recogniser reads, a long
    page (a receipt) tile by tile, a page where it found nothing again around its ink
    (``rapidocr_tiles``)."""
    whole = functools.partial(_detect_whole, session)
    found = detect_in_tiles(whole, image) or detect_around_ink(whole, image)
    return found + detect_beside(whole, image, found)


def _detect_whole(session: Any, image: Any) -> list[tuple[Any, Any]]:
    """The detector's four-point boxes on the page, and the crops the recogniser reads, as
    ``RapidOCR.__call__`` makes them (both from the page reduced to RapidOCR's working size,
    the boxes mapped back to the page), so that a line reads as the library's own call would
    read it."""
    from rapidocr.main import RapidOCRError
    from rapidocr.utils.process_img import map_boxes_to_original

    original = session.load_img(image)
    prepared, record = session.preprocess_img(original)
    try:
        crops, detected = session.detect_and_crop(prepared, record)
    except RapidOCRError:  # no text found
        return []
    height, width = original.shape[:2]
    quads = map_boxes_to_original(detected.boxes, record, height, width)
    return list(zip(quads, crops, strict=True))


def _recognise(
    session: Any,
    crops: list[Any],
    options: RapidOcrOptions,
    on_end: Sequence[bool] = (),
) -> list[tuple[str, float]]:
    """Text and score of each crop (turned first where the angle classifier is on), with the
    spaces the crop's ink shows put back (``rapidocr_spaces``).

    A crop whose line stands on end (``on_end``: a note up a letter's margin) RapidOCR has
    turned a quarter anticlockwise, which sets a line reading bottom to top upside down: it is
    read turned half round too, and the surer reading kept (the angle classifier, which would
    decide, flips some upright lines into garbage)."""
    if not crops:
        return []
    if options.angle_classifier:
        crops, _ = session.cls_and_rotate(crops)
    read = _read(session, crops)
    ends = [index for index, standing in enumerate(on_end) if standing]
    if ends:
        import numpy as np

        again = _read(session, [np.rot90(crops[index], 2) for index in ends])
        for index, other in zip(ends, again, strict=True):
            if other[1] > read[index][1]:
                read[index] = other
    return read


def _read(session: Any, crops: list[Any]) -> list[tuple[str, float]]:
    from rapidocr.ch_ppocr_rec.typings import TextRecInput

    # the recogniser itself, asked for its characters' positions (RapidOCR's own call asks
    # for them only where its settings say so, for every later page too)
    output = session._load_rec_model()(TextRecInput(img=crops, return_word_box=True))
    positions = output.word_results or [None] * len(crops)
    return [
        (spaced(text, where, crop), score)
        for text, score, where, crop in zip(
            output.txts, output.scores, positions, crops, strict=True
        )
    ]


def stands_on_end(quad: Any) -> bool:
    """Whether ``quad`` holds a line standing on end, ``ON_END`` times as tall as wide (its
    sides as ``get_rotate_crop_image`` measures them)."""
    import numpy as np

    points = np.asarray(quad, dtype=np.float64)
    width = max(np.linalg.norm(points[0] - points[1]), np.linalg.norm(points[2] - points[3]))
    height = max(np.linalg.norm(points[0] - points[3]), np.linalg.norm(points[1] - points[2]))
    return height >= ON_END * max(width, 1.0)


def box_of_quad(quad: Any, width: int, height: int) -> tuple[int, int, int, int]:
    """The upright box around one of RapidOCR's four-point text boxes, inside the page."""
    xs = [float(point[0]) for point in quad]
    ys = [float(point[1]) for point in quad]
    return (
        max(0, round(min(xs))),
        max(0, round(min(ys))),
        min(width, round(max(xs))),
        min(height, round(max(ys))),
    )


def estimate(options: EngineOptions) -> MemoryEstimate:
    """Measured, not guessed (``rapidocr_memory``): the sessions, and the page peak at the
    detector's size, once per instance (each reads a page at a time)."""
    if not isinstance(options, RapidOcrOptions):
        return footprint(sessions=1, instances=1, detection_side=0, words=False)
    return footprint(
        sessions=options.instances + (1 if shares_cores(options) else 0),
        instances=options.instances,
        detection_side=options.detection_side,
        words=options.lexicon and options.alphabet == "latin",
    )


def concurrency(options: EngineOptions) -> int:
    return options.instances if isinstance(options, RapidOcrOptions) else 1


def prepare() -> None:
    """Everything a load imports, imported ahead: RapidOCR's inference engine (its settings
    read at import) would otherwise hold the GIL for 70 to 80 ms in the middle of the load,
    and the window would stutter."""
    import cv2  # noqa: F401
    import onnxruntime  # noqa: F401
    import rapidocr
    import rapidocr.inference_engine.base
    import rapidocr.inference_engine.onnxruntime  # noqa: F401


SPEC = BackendSpec(
    engine="rapidocr",
    kind="cpu",
    title="RapidOCR (PaddleOCR PP-OCR models, ONNX)",
    options=RapidOcrOptions,
    estimate=estimate,
    check=check,
    load=load,
    concurrency=concurrency,
    prepare=prepare,
)
