"""Reads a page along its route (``router``): the manager's leases, the fallbacks from one
engine to the next, the orientation check after a first reading, and ``auto``'s RapidOCR read
with Tesseract's help (``line_words``, ``combine``); each stage timed for the page result.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ablage_desktop.engine.backends.base import Settled
from ablage_desktop.engine.errors import (
    AblageError,
    Cancelled,
    EngineStopped,
    ModelLoadError,
    OutOfMemory,
    RecognitionError,
)
from ablage_desktop.engine.events import Event, FallbackTaken, Routed
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.combine import respace_lines, scaled_box, scaled_word
from ablage_desktop.engine.models.line_words import (
    READS_UPSCALED,
    READS_WELL,
    reads_well,
    settled_line,
    sure_lines,
    words_by_line,
)
from ablage_desktop.engine.models.manager import ModelManager, is_out_of_memory
from ablage_desktop.engine.models.pictures import set_aside_pictures
from ablage_desktop.engine.models.router import AUTO, BACK_OF_SHEET, Route, useless_result
from ablage_desktop.engine.models.stamp_reading import with_stamps
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.models.word_marks import doubt_unwritten
from ablage_desktop.engine.preprocess import PreparedPage, Preprocessor
from ablage_desktop.engine.preprocess.dark_page import on_light_paper
from ablage_desktop.engine.results.document import (
    Box,
    ErrorInfo,
    Fallback,
    OcrLine,
    OcrPage,
    OcrWord,
)
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.run.page_analysis import PageAnalysis
from ablage_desktop.engine.text.iban import mend_page

log = logging.getLogger(__name__)


class PageDispatcher:
    """Recognises a page through its route, with the manager's leases and the fallbacks.

    It is what the page pipeline calls: ``name``, ``concurrency`` and ``recognize``.
    """

    def __init__(
        self,
        manager: ModelManager,
        route: Callable[[PageImage], Route],
        emit: Callable[[Event], None],
        concurrency: int,
        name: str = AUTO,
        batch_size: int = 1,
        preprocess: Preprocessor | None = None,
        combine: bool = False,
        reads_pdf_text: Callable[[str], bool] = lambda name: False,
    ) -> None:
        self.manager = manager
        self._reads_pdf_text = reads_pdf_text
        """Engines that read a born-digital page from the PDF itself: its image only sizes
        their boxes, so it is not preprocessed (turning or straightening it would cost time
        and put the PDF's boxes on a page that no longer has them)."""
        self._combine = combine
        """Pages RapidOCR reads are read with Tesseract's help (``combine``)."""
        self._preprocess = preprocess
        """Turns, straightens and scales each page before its engines read it."""
        self._route = route
        self._emit = emit
        self.concurrency = max(1, concurrency)
        self.name = name
        self.batch_size = max(1, batch_size)
        """Pages read in one call; above 1 only for a chosen engine that generates in batches."""
        self._lock = threading.Lock()
        self._broken: dict[str, str] = {}
        """Models that failed to load in this batch: not tried again on every page."""

    def _without_broken(self, route: Route) -> Route:
        with self._lock:
            broken = {name: why for name, why in self._broken.items() if name in route.chain}
        if not broken or len(broken) == len(route.chain):
            return route
        chain = tuple(name for name in route.chain if name not in broken)
        reason = (
            f"{route.reason}; skipped {', '.join(broken)} (failed to load earlier in this batch)"
        )
        return Route(chain, reason, route.analysis)

    def recognize(self, page: PageImage, cancel: CancelToken | None = None) -> OcrPage:
        started = time.perf_counter()
        page = on_light_paper(page, self._preprocess.settings if self._preprocess else None)
        route = self._without_broken(self._route(page))
        plan = self.manager.page_plan(route.chain[0], (page.width, page.height))
        self._emit(Routed(page.document, page.index, route.chain[0], route.reason, plan))
        prepared = self._prepare(page, route.analysis, route.chain[0])
        stages = _Stages()
        stages.add("preprocessing", time.perf_counter() - started)
        fallbacks: list[Fallback] = []
        result, how = self._read_chain(page, route, prepared, cancel, stages, fallbacks)
        if prepared.orientation_deferred is not None:
            result, how, prepared = self._check_orientation(
                page, route, prepared, (result, how), cancel, stages, fallbacks
            )
        if prepared.stamps:
            reader = fallbacks[-1].to_backend if fallbacks else route.chain[0]
            result = self._with_stamps(reader, result, prepared, cancel, stages)
        reason = f"{route.reason}; {how}" if how else route.reason
        return dataclasses.replace(
            mend_page(result), route=reason, fallbacks=tuple(fallbacks), stages=stages.items()
        )

    def _check_orientation(
        self,
        page: PageImage,
        route: Route,
        prepared: PreparedPage,
        reading: tuple[OcrPage, str],
        cancel: CancelToken | None,
        stages: _Stages,
        fallbacks: list[Fallback],
    ) -> tuple[OcrPage, str, PreparedPage]:
        """A page read before its orientation was checked: where the reading is doubtful,
        the orientation method decides now, and a page it turns is read again; the reading
        kept and the preparation it was read from."""
        assert self._preprocess is not None
        doubt = self._preprocess.doubts(prepared, reading[0])
        if doubt is None:
            return (*reading, prepared)
        started = time.perf_counter()
        checked = self._preprocess.prepare(page, route.analysis)
        stages.add("preprocessing", time.perf_counter() - started)
        if not checked.turned:
            return (*reading, prepared)
        turned = self._read_chain(page, route, checked, cancel, stages, fallbacks)
        if self._preprocess.better(reading[0], turned[0]) is reading[0]:
            log.info(
                "Page %d of %s: its reading was doubtful (%s), but read turned it was worse: "
                "kept as it was",
                page.index + 1,
                page.document.name,
                doubt,
            )
            return (*reading, prepared)
        log.info(
            "Page %d of %s: its reading was doubtful (%s); turned and read again",
            page.index + 1,
            page.document.name,
            doubt,
        )
        return (*turned, checked)

    def _with_stamps(
        self,
        name: str,
        result: OcrPage,
        prepared: PreparedPage,
        cancel: CancelToken | None,
        stages: _Stages,
    ) -> OcrPage:
        """``result`` with the stamps lifted off its page read by ``name``, the engine that
        read the page."""
        started = time.perf_counter()
        found = with_stamps(result, prepared, lambda stamp: self._run(name, stamp, cancel))
        stages.add("stamps", time.perf_counter() - started)
        return found

    def _read_chain(
        self,
        page: PageImage,
        route: Route,
        prepared: PreparedPage,
        cancel: CancelToken | None,
        stages: _Stages,
        fallbacks: list[Fallback],
    ) -> tuple[OcrPage, str]:
        """The first engine of the chain that reads the page usefully: its page and how."""
        for position, name in enumerate(route.chain):
            following = route.chain[position + 1] if position + 1 < len(route.chain) else None
            if cancel is not None and cancel.cancelled:
                raise Cancelled()  # no fallback engine starts after a cancel
            try:
                helper = self._helper_of(route.chain, position)
                how = ""
                if helper is None:
                    variant = stages.time("preprocessing", prepared.variant, self._engine_of(name))
                    read = self._run(name, variant.page, cancel)
                    stages.add(name, read.seconds)
                    result = variant.restore(read)
                    if read.back_of_sheet:
                        how = f"{name}: {BACK_OF_SHEET}"
                else:
                    upscaled = prepared.scale_for(self._engine_of(helper)) > 1.0
                    result, how = self._read_together(
                        name, helper, prepared, cancel, stages, upscaled
                    )
            except Cancelled:
                raise
            except Exception as exc:
                if not isinstance(exc, AblageError):
                    log.exception("%s failed on page %d of %s", name, page.index + 1, page.document)
                if _broken_model(exc):
                    with self._lock:
                        self._broken.setdefault(name, exc.message)  # type: ignore[attr-defined]
                if following is None:
                    error = _final_error(name, exc, fallbacks)
                    if error is exc:
                        raise
                    raise error from exc
                cause = ErrorInfo.from_exception(exc)
            else:
                useless = useless_result(result, route.analysis) if len(route.chain) > 1 else None
                if useless is None or following is None:
                    return result, how
                cause = ErrorInfo("useless_result", useless)
            fallbacks.append(Fallback(name, following, cause))
            self._emit(FallbackTaken(page.document, page.index, name, following, cause))
            log.info(
                "Page %d of %s: %s -> %s (%s)",
                page.index + 1,
                page.document.name,
                name,
                following,
                cause.message,
            )
        raise AssertionError("unreachable: the last engine returns or raises")

    def _unload_stopped(self, name: str) -> None:
        """Unload a model whose process stopped, so that the next page starts it afresh."""
        try:
            self.manager.unload(name)
        except AblageError as exc:  # in use by another page: that page unloads it in turn
            log.info("%s stopped but could not be unloaded yet: %s", name, exc.message)

    def _helper_of(self, chain: Sequence[str], position: int) -> str | None:
        """The Tesseract model that helps RapidOCR at ``position`` of the chain, if any."""
        if not self._combine or self._engine_type(chain[position]) != "rapidocr":
            return None
        with self._lock:
            later = [name for name in chain[position + 1 :] if name not in self._broken]
        return next((name for name in later if self._engine_type(name) == "tesseract"), None)

    def _engine_type(self, name: str) -> str | None:
        try:
            return self.manager.info(name).engine
        except Exception:  # an unknown name fails in acquire, with its own message
            return None

    def _read_together(
        self,
        name: str,
        helper: str,
        prepared: PreparedPage,
        cancel: CancelToken | None,
        stages: _Stages,
        upscaled: bool = False,
    ) -> tuple[OcrPage, str]:
        """``helper`` (Tesseract) reads the page first; ``name`` (RapidOCR) finds the lines,
        takes those Tesseract is sure of as they are (``line_words``) and recognises the
        rest, where Tesseract's words then put back the spaces it ran together
        (``combine``). A page of small print, which Tesseract read ``upscaled``, is left to
        RapidOCR alone unless Tesseract is sure of nearly all of it (``READS_UPSCALED``).

        A failing helper leaves the page to RapidOCR alone; a failing RapidOCR raises, and
        the chain goes on as always.
        """
        variant = stages.time("preprocessing", prepared.variant, self._engine_of(name))
        helper_variant = stages.time("preprocessing", prepared.variant, self._engine_of(helper))
        size = (variant.page.width, variant.page.height)
        try:
            reading = self._run(
                helper, helper_variant.page, cancel, acquired=lambda: self._load_ahead(name, size)
            )
            stages.add(helper, reading.seconds)
        except Cancelled:
            raise
        except Exception as exc:
            cause = ErrorInfo.from_exception(exc)
            if _broken_model(exc):
                with self._lock:
                    self._broken.setdefault(helper, cause.message)
            log.warning("%s could not help %s on a page: %s", helper, name, cause.message)
            page = self._run(name, variant.page, cancel)
            stages.add(name, page.seconds)
            return variant.restore(page), f"{name} alone ({helper} failed: {cause.message})"
        if reading.back_of_sheet:
            return helper_variant.restore(reading), f"{helper}: {BACK_OF_SHEET} ({name} not run)"
        scale = helper_variant.page.width / max(1, variant.page.width)
        least = READS_UPSCALED if upscaled else READS_WELL
        settles = reads_well([word for line in reading.lines for word in line.words], least)
        if upscaled and not settles:  # its reading of a scan's small print is not trusted
            page = self._run(name, variant.page, cancel)
            stages.add(name, page.seconds)
            return variant.restore(page), f"{name} alone (small print {helper} is unsure of)"
        if settles:  # its words with accents it cannot write are not sure ("Celik" for Çelik)
            started = time.perf_counter()
            lines = doubt_unwritten(reading.lines, helper_variant.page.image)
            reading = dataclasses.replace(reading, lines=tuple(lines))
            stages.add("combining", time.perf_counter() - started)
        words = [scaled_word(word, scale) for line in reading.lines for word in line.words]
        on_line: dict[Box, list[OcrWord]] = {}

        def settle(boxes: list[Box]) -> list[OcrLine | None]:
            for box, found in zip(boxes, words_by_line(words, boxes), strict=True):
                on_line[box] = found
            if not settles:
                return [None] * len(boxes)
            return [settled_line(on_line[box], box) for box in boxes]

        if cancel is not None and cancel.cancelled:
            raise Cancelled()  # no second engine starts after a cancel
        # the lines Tesseract is sure of: RapidOCR's detector need not see them
        known: list[OcrLine] = []
        if settles:
            known = sure_lines(
                [[scaled_word(w, scale) for w in line.words] for line in reading.lines]
            )
        page = self._run(name, variant.page, cancel, settle, known=known)
        stages.add(name, page.seconds)
        started = time.perf_counter()
        combination = respace_lines(page, on_line, reading)
        if settles and reading.pictures:  # a page of print: Tesseract's layout can be trusted
            pictures = [scaled_box(box, scale) for box in reading.pictures]
            combined, aside = set_aside_pictures(combination.page, pictures, variant.page.image)
            combination = dataclasses.replace(combination, page=combined, pictures=aside)
        result = variant.restore(combination.page)
        stages.add("combining", time.perf_counter() - started)
        return result, combination.summary

    def _load_ahead(self, name: str, page: tuple[int, int]) -> None:
        """Loads ``name`` in the background while the helper reads the page: on a cold start
        RapidOCR's load (about 0.9 s) then overlaps Tesseract's reading instead of following
        it. Called once the helper is loaded (loads run one at a time: started before, it took
        the turn of the helper's load)."""
        if self.manager.info(name).state is ModelState.UNLOADED:
            self.manager.load_ahead([name], page)

    def load_first_engines(self, chains: Sequence[Sequence[str]]) -> None:
        """Where every kind of page starts with the same engine and helper, load them now, in
        the order a page uses them (the helper first): on a batch of scans the loads then run
        beside the first page's decoding and analysis instead of after them."""
        firsts = {(chain[0], self._helper_of(chain, 0)) for chain in chains if chain}
        if len(firsts) == 1 and all(chains):
            head, helper = firsts.pop()
            self.manager.load_ahead([n for n in (helper, head) if n is not None])

    def recognize_batch(
        self, pages: Sequence[PageImage], cancel: CancelToken | None = None
    ) -> list[OcrPage]:
        """Several pages in one generation on a chosen engine (no routing, no fallback).

        Any failure propagates: the pipeline then reads the pages one by one, with the
        per-page fallbacks and out-of-memory retry.
        """
        settings = self._preprocess.settings if self._preprocess else None
        pages = [on_light_paper(page, settings) for page in pages]
        route = self._route(pages[0])
        (name,) = route.chain
        engine = self._engine_of(name)
        prepared = [self._prepare(page, None, name, False) for page in pages]
        variants = [each.variant(engine) for each in prepared]
        read_pages = [variant.page for variant in variants]
        largest = max(read_pages, key=lambda p: p.width * p.height)
        with self.manager.acquire(name, (largest.width, largest.height), len(read_pages)) as lease:
            backend = lease.backend
            read = getattr(backend, "recognize_batch", None)
            results = (
                read(read_pages, cancel)
                if read
                else [backend.recognize(p, cancel) for p in read_pages]
            )
        for page in pages:
            plan = self.manager.page_plan(name, (page.width, page.height), len(pages))
            self._emit(Routed(page.document, page.index, name, route.reason, plan))
        return [
            dataclasses.replace(
                with_stamps(variant.restore(result), each, lambda p: self._run(name, p, cancel)),
                route=route.reason,
            )
            for each, variant, result in zip(prepared, variants, results, strict=True)
        ]

    def _prepare(
        self, page: PageImage, analysis: PageAnalysis | None, first: str, read_first: bool = True
    ) -> PreparedPage:
        """The page's preprocessing; with ``read_first``, an orientation check may wait for
        the first engine's reading (``Preprocessor.prepare``)."""
        born_digital = page.text_layer is not None and page.text_layer.usable
        if self._preprocess is None or (born_digital and self._reads_pdf_text(first)):
            return PreparedPage.unchanged(page)
        engine = self._engine_of(first) if read_first else None
        return self._preprocess.prepare(page, analysis, engine)

    def _engine_of(self, name: str) -> str:
        """The engine whose variant of the prepared page ``name`` reads."""
        if self._preprocess is None:
            return name
        return self._engine_type(name) or name

    def _run(
        self,
        name: str,
        page: PageImage,
        cancel: CancelToken | None,
        settled: Settled | None = None,
        acquired: Callable[[], None] | None = None,
        known: Sequence[OcrLine] = (),
    ) -> OcrPage:
        """One engine on one page (with the lines another engine has ``settled`` or read for
        sure before, ``known``, where it takes them); an out-of-memory frees every idle model
        and retries once. ``acquired`` is called once the engine is loaded, before it reads."""
        oom = ""
        stopped = False
        lease = self.manager.acquire(name, (page.width, page.height))
        if acquired is not None:
            acquired()
        try:
            return lease.recognize(page, cancel, settled, known)
        except EngineStopped:
            stopped = True
            raise
        except Exception as exc:
            if not is_out_of_memory(exc):
                raise
            oom = f"{type(exc).__name__}: {exc}"
        finally:
            lease.release()
            if stopped:
                self._unload_stopped(name)
        # Out of memory: outside the except block, so the failed call's tensors are unreachable.
        log.warning(
            "%s ran out of memory on page %d; freeing idle models and retrying once",
            name,
            page.index + 1,
        )
        self.manager.recover_from_oom(keep=name)
        with self.manager.acquire(name, (page.width, page.height)) as lease:
            try:
                return lease.recognize(page, cancel, settled, known)
            except Exception as exc:
                if is_out_of_memory(exc):
                    raise OutOfMemory(name, "recognition", oom) from None
                raise


class _Stages:
    """Seconds one page spends in each stage, summed per stage, in the order first met."""

    def __init__(self) -> None:
        self._seconds: dict[str, float] = {}

    def add(self, stage: str, seconds: float) -> None:
        self._seconds[stage] = self._seconds.get(stage, 0.0) + seconds

    def time(self, stage: str, call: Callable[[str], Any], argument: str) -> Any:
        started = time.perf_counter()
        try:
            return call(argument)
        finally:
            self.add(stage, time.perf_counter() - started)

    def items(self) -> tuple[tuple[str, float], ...]:
        return tuple(self._seconds.items())


def _broken_model(exc: BaseException) -> bool:
    """A model that cannot be loaded at all (not one that merely had no room this time)."""
    if isinstance(exc, ModelLoadError):
        return True
    return isinstance(exc, OutOfMemory) and exc.during == "loading"


def _final_error(name: str, exc: BaseException, fallbacks: Sequence[Fallback]) -> AblageError:
    """The error of a page every engine of the chain failed on; ``name`` is the last one."""
    if not fallbacks and isinstance(exc, AblageError):
        return exc
    last = exc.message if isinstance(exc, AblageError) else f"{type(exc).__name__}: {exc}"
    tried = [f"{f.from_backend} ({f.error.message})" for f in fallbacks] + [f"{name} ({last})"]
    return RecognitionError(f"Every engine failed on this page: {'; '.join(tried)}")
