"""The benchmark: every engine setting over the same documents, then the peers.

Each app row is measured as a user meets it: the model is unloaded (everything else too, so
the memory peak is this row's), loaded cold, warmed up on the first pages, then the documents
run ``runs`` times through ``EngineCore.ocr`` (the real pipeline: rendering overlaps recognition,
Tesseract reads two pages at once, a VLM gets batches). The model stays pinned for the row,
so a keep-alive of 0 does not reload it between runs.

With ``isolate`` (the command line's default) every row runs in a fresh process
(``isolated.py``); otherwise in this one, and the models resident before are loaded again
at the end (the window's dialog: its user's models come back).
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from ablage_desktop.engine.bench.corpus import BenchDocument, Corpus, load_corpus, rendered
from ablage_desktop.engine.bench.isolated import run_isolated
from ablage_desktop.engine.bench.machine import describe_machine, engine_version
from ablage_desktop.engine.bench.measure import LatencyStats, PeakSampler
from ablage_desktop.engine.bench.peers import Peer, available_peers
from ablage_desktop.engine.bench.plan import (
    BenchPlan,
    BenchProgress,
    Job,
    ProgressCallback,
    Setting,
)
from ablage_desktop.engine.bench.results import (
    BenchReport,
    BenchRow,
    DocumentScore,
    ratios,
)
from ablage_desktop.engine.core import EngineCore, OcrRequest
from ablage_desktop.engine.errors import AblageError, Cancelled, UsageError
from ablage_desktop.engine.intake.documents import IntakeLimits, PageImage, open_document
from ablage_desktop.engine.models.leases import Lease
from ablage_desktop.engine.models.router import AUTO
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.results.document import OcrDocument
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.text.textmetrics import TextScore, score

log = logging.getLogger(__name__)

UNLOAD_WAIT_S = 30.0


@dataclass
class _TimedRuns:
    """What the timed runs of one setting measured."""

    latencies: list[float] = field(default_factory=list)
    """Seconds of every page of every run."""
    wall: float = 0.0
    """Seconds of all runs, start to end."""
    first_run: list[OcrDocument] = field(default_factory=list)
    """The first run's results: they are scored."""


class BenchRunner:
    def __init__(
        self,
        engine: EngineCore,
        plan: BenchPlan,
        progress: ProgressCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> None:
        self.engine = engine
        self.plan = plan
        self._progress = progress or (lambda _progress: None)
        self._cancel = cancel or CancelToken()
        self._prepared: set[str] = set()

    # --- the whole run ---------------------------------------------------------------------

    def run(self) -> BenchReport:
        started = time.perf_counter()
        created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
        corpus = load_corpus(self.plan.paths)
        settings = self.settings()
        peers, missing_peers = available_peers(self.engine.config) if self.plan.peers else ([], {})
        jobs: list[Job] = [*settings, *(peer.name for peer in peers)]
        total = len(jobs)
        rows: list[BenchRow] = []
        cancelled = False
        resident = [] if self.plan.isolate else self._resident()
        for index, job in enumerate(jobs):
            if self._cancel.cancelled:
                cancelled = True
                break
            if self.plan.isolate:
                rows.append(
                    run_isolated(
                        self.engine.config, self.plan, corpus, job, (index, total),
                        self._progress, self._cancel,
                    )
                )  # fmt: skip
            else:
                rows.append(self.measure(index, total, corpus, job))
        for name, reason in missing_peers.items():
            rows.append(BenchRow("peer", name, name.split("-")[0], "skipped", reason))
        cancelled = cancelled or any(row.status == "cancelled" for row in rows)
        self._restore(resident, total)
        return BenchReport(
            created=created,
            machine=describe_machine(),
            plan=self.plan.to_json(),
            corpus=corpus_json(corpus),
            rows=tuple(rows),
            ratios=ratios(tuple(rows)),
            seconds=time.perf_counter() - started,
            cancelled=cancelled,
        )

    def measure(self, index: int, total: int, corpus: Corpus, job: Job) -> BenchRow:
        """One row in this process: an app setting, or a peer by its name."""
        if isinstance(job, Setting):
            return self._guarded(index, total, job.label, corpus, job)
        peers, _missing = available_peers(self.engine.config)
        (peer,) = [peer for peer in peers if peer.name == job]
        return self._measure_peer(index, total, corpus, peer)

    def _resident(self) -> list[str]:
        infos = self.engine.manager.infos()
        return [info.name for info in infos if info.state in (ModelState.READY, ModelState.BUSY)]

    def _restore(self, resident: Sequence[str], total: int) -> None:
        """Load again what was resident before the run: the bench leaves the engine as it was."""
        if not resident:
            return
        self._report(total - 1, total, ", ".join(resident), 0, 0, "restoring models")
        for name in resident:
            try:
                self.engine.manager.load(name)
            except AblageError as exc:
                log.warning("Could not load %s again after the benchmark: %s", name, exc.message)

    def settings(self) -> list[Setting]:
        """Every model x quantization x batch size of the plan, in that order."""
        names = list(self.plan.backends) or list(self.engine.config.models)
        settings = []
        for name in names:
            if name == AUTO:
                raise UsageError("bench measures one engine at a time; name models, not auto")
            fields = type(self.engine.options(name)).model_fields  # raises UnknownBackend
            quantizations: Sequence[str | None] = (
                self.plan.quantizations or (None,) if "quantization" in fields else (None,)
            )
            batch_sizes: Sequence[int | None] = (
                self.plan.batch_sizes or (None,) if "max_batch_size" in fields else (None,)
            )
            settings += [
                Setting(name, quantization, batch_size)
                for quantization in quantizations
                for batch_size in batch_sizes
            ]
        return settings

    def _check_cancel(self) -> None:
        if self._cancel.cancelled:
            raise Cancelled()

    def _report(
        self, index: int, total: int, label: str, done: int, pages: int, message: str = ""
    ) -> None:
        self._progress(BenchProgress(index, total, label, done, pages, message))

    # --- one app row -----------------------------------------------------------------------

    def _guarded(
        self, index: int, total: int, label: str, corpus: Corpus, setting: Setting
    ) -> BenchRow:
        name = setting.backend
        original = self.engine.options(name)
        engine_name = original.engine
        try:
            self._unload_all()
            self._apply(setting)
            row = self._measure_app(index, total, corpus, setting)
        except Cancelled:
            return BenchRow("app", name, engine_name, "cancelled", "cancelled by the user")
        except AblageError as exc:
            skip = ("backend_unavailable", "usage", "insufficient_memory")
            status = "skipped" if exc.kind in skip else "failed"
            log.info("bench %s: %s", label, exc.message)
            row = BenchRow(
                "app",
                name,
                engine_name,
                status,
                exc.message,
                quantization=setting.quantization or getattr(original, "quantization", None),
                batch_size=setting.batch_size or getattr(original, "max_batch_size", None),
            )
        finally:
            self._unload_all()
            if self.engine.options(name) != original:
                self.engine.configure(name, **original.model_dump())
        return row

    def _apply(self, setting: Setting) -> None:
        changes: dict[str, object] = {}
        if setting.quantization is not None:
            changes["quantization"] = setting.quantization
        if setting.batch_size is not None:
            changes["max_batch_size"] = setting.batch_size
        if changes:
            self.engine.configure(setting.backend, **changes)

    def _unload_all(self) -> None:
        manager = self.engine.manager
        for info in manager.infos():
            if info.state in (ModelState.READY, ModelState.BUSY, ModelState.FAILED):
                manager.unload(info.name, wait_s=UNLOAD_WAIT_S)

    def _measure_app(self, index: int, total: int, corpus: Corpus, setting: Setting) -> BenchRow:
        name, spec = self.engine.resolve(setting.backend)
        options = self.engine.options(name)
        label = setting.label
        pages_total = self.plan.runs * _page_estimate(corpus, self.engine.config.intake.limits())
        self._report(index, total, label, 0, pages_total, "loading")
        import_s = self._prepare(spec.engine, spec.prepare)
        with PeakSampler(self.engine.probe) as sampler:
            started = time.perf_counter()
            lease = self.engine.manager.acquire(name)
            load_s = time.perf_counter() - started
            sampler.watch_processes(lease.backend.process_memory)
            try:
                self._report(index, total, label, 0, pages_total, "warming up")
                warmup_pages = _first_pages(corpus, self.plan.warmup, self.engine)
                warmup_s = self._warm_up(lease, warmup_pages)
                timed = self._timed_runs(index, total, label, corpus, name, pages_total)
            finally:
                lease.release()
        scores = tuple(
            _document_score(document, result)
            for document, result in zip(corpus.documents, timed.first_run, strict=True)
        )
        return BenchRow(
            kind="app",
            backend=name,
            engine=spec.engine,
            status="ok",
            quantization=setting.quantization or getattr(options, "quantization", None),
            batch_size=setting.batch_size or getattr(options, "max_batch_size", None),
            device=self.engine.manager.info(name).device,
            import_s=import_s,
            load_s=load_s,
            warmup_s=warmup_s,
            warmup_pages=len(warmup_pages),
            runs=self.plan.runs,
            pages=len(timed.latencies),
            wall_s=timed.wall,
            latency=LatencyStats.of(timed.latencies),
            memory=sampler.result(),
            accuracy=_total(scores),
            documents=scores,
            version=spec.version(options) if spec.version else engine_version(spec.engine),
        )

    def _warm_up(self, lease: Lease, pages: Sequence[PageImage]) -> float | None:
        """Seconds to read the warm-up pages (the clock is not running yet); None: none."""
        started = time.perf_counter()
        for page in pages:
            self._check_cancel()
            lease.recognize(page, self._cancel)
        return time.perf_counter() - started if pages else None

    def _timed_runs(
        self, index: int, total: int, label: str, corpus: Corpus, name: str, pages_total: int
    ) -> _TimedRuns:
        """Read the corpus ``plan.runs`` times with engine ``name``, the clock on."""
        timed = _TimedRuns()
        done = 0
        for run in range(self.plan.runs):
            started = time.perf_counter()
            # Engines are compared: born-digital pages are OCRed too.
            request = OcrRequest(corpus.paths, backend=name, archive=False, pdf_text="always_ocr")
            for document in self.engine.ocr(request, self._cancel):
                done += len(document.pages)
                timed.latencies += [page.seconds for page in document.pages]
                if run == 0:
                    timed.first_run.append(document)
                self._report(index, total, label, done, pages_total)
            timed.wall += time.perf_counter() - started
            if self._cancel.cancelled:
                raise Cancelled()
        return timed

    def _prepare(self, engine: str, prepare: Callable[[], None] | None) -> float | None:
        """Seconds to import the engine's libraries; None once they are imported."""
        if prepare is None or engine in self._prepared:
            return None
        self._prepared.add(engine)
        started = time.perf_counter()
        try:
            prepare()
        except Exception as exc:  # the load reports it in words
            log.info("Preparing %s failed: %s", engine, exc)
        return time.perf_counter() - started

    # --- one peer --------------------------------------------------------------------------

    def _measure_peer(self, index: int, total: int, corpus: Corpus, peer: Peer) -> BenchRow:
        limits = self.engine.config.intake.limits()
        pages_total = self.plan.runs * _page_estimate(corpus, self.engine.config.intake.limits())
        self._report(index, total, peer.name, 0, pages_total, "starting")
        scores: list[DocumentScore] = []
        latencies: list[float] = []
        warmup_s: float | None = None
        warmup_pages = 0
        try:
            with PeakSampler(self.engine.probe) as sampler, peer.open() as recognize:
                for document, pages in rendered(corpus, limits):
                    if pages is None:
                        scores.append(
                            DocumentScore(document.name, 0, 0.0, None, document.casefold, "refused")
                        )
                        continue
                    if warmup_pages < self.plan.warmup:
                        started = time.perf_counter()
                        for page in pages[: self.plan.warmup - warmup_pages]:
                            recognize(page)
                            warmup_pages += 1
                        warmup_s = (warmup_s or 0.0) + time.perf_counter() - started
                    texts, seconds = self._peer_document(recognize, pages, latencies)
                    scores.append(
                        DocumentScore(
                            document.name,
                            len(pages),
                            seconds,
                            _score(document, "\n\n".join(texts)),
                            document.casefold,
                        )
                    )
                    self._report(index, total, peer.name, len(latencies), pages_total)
        except Cancelled:
            return BenchRow("peer", peer.name, peer.engine, "cancelled", "cancelled by the user")
        except (AblageError, OSError) as exc:
            reason = exc.message if isinstance(exc, AblageError) else str(exc)
            return BenchRow("peer", peer.name, peer.engine, "failed", reason, version=peer.version)
        memory = sampler.result()
        child = peer.child_peak_rss()
        if child:
            memory = replace(memory, rss_before=0, peak_rss=child)
        return BenchRow(
            kind="peer",
            backend=peer.name,
            engine=peer.engine,
            status="ok",
            device="cpu",
            warmup_s=warmup_s,
            warmup_pages=warmup_pages,
            runs=self.plan.runs,
            pages=len(latencies),
            wall_s=sum(latencies),
            latency=LatencyStats.of(latencies),
            memory=memory,
            accuracy=_total(tuple(scores)),
            documents=tuple(scores),
            version=peer.version,
        )

    def _peer_document(
        self,
        recognize: Callable[[PageImage], str],
        pages: Sequence[PageImage],
        latencies: list[float],
    ) -> tuple[list[str], float]:
        """Every run over one document's pages; the texts of the first run and its seconds."""
        texts: list[str] = []
        first_seconds = 0.0
        for run in range(self.plan.runs):
            for page in pages:
                self._check_cancel()
                started = time.perf_counter()
                text = recognize(page)
                seconds = time.perf_counter() - started
                latencies.append(seconds)
                if run == 0:
                    texts.append(text)
                    first_seconds += seconds
        return texts, first_seconds


def run_bench(
    engine: EngineCore,
    plan: BenchPlan,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
) -> BenchReport:
    return BenchRunner(engine, plan, progress, cancel).run()


def corpus_json(corpus: Corpus) -> dict[str, Any]:
    return {
        "documents": [
            {
                "document": str(document.path),
                "ground_truth": document.truth is not None,
                "casefold": document.casefold,
                "group": document.group or None,
            }
            for document in corpus.documents
        ],
        "scored": corpus.scored,
        "skipped_files": [str(path) for path in corpus.skipped],
    }


def _page_estimate(corpus: Corpus, limits: IntakeLimits) -> int:
    """Pages for the progress bar: counted cheaply from the files (an estimate for PDFs)."""
    total = 0
    for document in corpus.documents:
        try:
            with open_document(document.path, limits) as opened:
                total += opened.page_count
        except AblageError:
            total += 1
    return total


def _first_pages(corpus: Corpus, count: int, engine: EngineCore) -> list[PageImage]:
    pages: list[PageImage] = []
    if count <= 0:
        return pages
    for _document, images in rendered(corpus, engine.config.intake.limits()):
        pages += images or []
        if len(pages) >= count:
            break
    return pages[:count]


def _score(document: BenchDocument, text: str) -> TextScore | None:
    if document.truth is None:
        return None
    return score(text, document.truth, casefold=document.casefold)


def _document_score(document: BenchDocument, result: OcrDocument) -> DocumentScore:
    return DocumentScore(
        name=document.name,
        pages=len(result.pages),
        seconds=sum(page.seconds for page in result.pages),
        score=_score(document, result.text) if result.ok else None,
        casefold=document.casefold,
        error=result.error.message if result.error else "",
    )


def _total(scores: Sequence[DocumentScore]) -> TextScore | None:
    """The corpus score: counts summed over the documents that have a ground truth."""
    measured = [document.score for document in scores if document.score is not None]
    if not measured:
        return None
    return sum(measured, TextScore())
