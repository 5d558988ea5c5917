"""One benchmark row in a process of its own.

A row's memory figures are only its own when it starts in a fresh process: allocators keep
what the engine before it freed, so in a shared process the second engine's "growth" depends
on the first. A fresh process also pays the engine's import again (so its cold start is
real), and an engine that crashes its process fails its row, not the benchmark.

The child gets the configuration, the plan and the corpus by pickling (the ``spawn`` start
method: no copy of the parent's threads, Qt or CUDA state), sends its progress and its row
back on a queue, and is terminated when the run is cancelled.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.bench.results import BenchRow
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.spawn_guard import settle_imports

if TYPE_CHECKING:
    from collections.abc import Callable

    from ablage_desktop.engine.bench.corpus import Corpus
    from ablage_desktop.engine.bench.plan import BenchPlan, BenchProgress, Job
    from ablage_desktop.engine.config import AppConfig

log = logging.getLogger(__name__)

POLL_S = 0.2
JOIN_S = 10.0


def run_isolated(
    config: AppConfig,
    plan: BenchPlan,
    corpus: Corpus,
    job: Job,
    position: tuple[int, int],
    progress: Callable[[BenchProgress], None],
    cancel: CancelToken,
) -> BenchRow:
    """Measure ``job`` in a child process; its row, or a failed/cancelled row saying why."""
    context = multiprocessing.get_context("spawn")
    messages: Any = context.Queue()
    process = context.Process(
        target=_child,
        args=(config, replace(plan, isolate=False), corpus, job, position, messages),
        name="ablage-bench-row",
        # Not a daemon: the row's engine starts a decoder process of its own, and daemonic
        # processes may not have children. The finally below stops it all the same.
        daemon=False,
    )
    settle_imports()
    process.start()
    try:
        while True:
            if cancel.cancelled:
                return _ended(config, job, "cancelled", "cancelled by the user")
            try:
                kind, payload = messages.get(timeout=POLL_S)
            except queue.Empty:
                if process.is_alive():
                    continue
                try:  # the row may have arrived just before the process ended
                    kind, payload = messages.get(timeout=POLL_S)
                except queue.Empty:
                    return _ended(config, job, "failed", _death(process.exitcode))
            if kind == "progress":
                progress(payload)
            elif kind == "row":
                return payload
            else:  # "error": an exception the child could not turn into a row
                return _ended(config, job, "failed", payload)
    finally:
        if process.is_alive():
            process.terminate()
        process.join(JOIN_S)
        messages.close()


def _child(
    config: AppConfig,
    plan: BenchPlan,
    corpus: Corpus,
    job: Job,
    position: tuple[int, int],
    messages: Any,
) -> None:
    from ablage_desktop.engine.bench.runner import BenchRunner
    from ablage_desktop.engine.core import EngineCore

    try:
        engine = EngineCore(config)
        try:
            runner = BenchRunner(engine, plan, lambda update: messages.put(("progress", update)))
            row = runner.measure(position[0], position[1], corpus, job)
        finally:
            engine.close()
        messages.put(("row", row))
    except BaseException as exc:  # the parent says it in words; nothing to handle here
        messages.put(("error", f"{type(exc).__name__}: {exc}"))
    messages.close()
    messages.join_thread()


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the engine's process was killed by {name}"
    return f"the engine's process ended without a result (exit status {exitcode})"


def _ended(config: AppConfig, job: Job, status: str, reason: str) -> BenchRow:
    from ablage_desktop.engine.bench.plan import Setting

    if isinstance(job, Setting):
        options = config.model(job.backend)
        return BenchRow(
            "app",
            job.backend,
            options.engine if options is not None else "",
            status,  # type: ignore[arg-type]
            reason,
            quantization=job.quantization,
            batch_size=job.batch_size,
        )
    return BenchRow("peer", job, job.split("-")[0], status, reason)  # type: ignore[arg-type]
