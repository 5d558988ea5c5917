"""A vision-language model in a worker process of its own: the app's side.

Why a process: see ``vlm_worker``. The folder is checked here first (typed refusals come
before a process starts); the worker then loads the model and answers one request at a time.
Every wait watches the pipe and the process's sentinel together, so a worker that dies is
noticed at once; a cancel is passed on through an event both processes share, and the worker's
``generate`` stops within a token. Unloading asks the worker to close and ends the process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection, wait
from typing import TYPE_CHECKING, Any

from ablage_desktop.engine.backends import vlm_worker
from ablage_desktop.engine.backends.transformers_vlm import (
    Family,
    ImagesBackend,
    VisionLanguageOptions,
    plan_load,
)
from ablage_desktop.engine.errors import EngineStopped
from ablage_desktop.engine.run.cancel import CancelToken
from ablage_desktop.engine.spawn_guard import settle_imports

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

CANCEL_POLL_S = 0.1
"""How often a wait for the worker looks at the caller's cancel token."""
CLOSE_TIMEOUT_S = 10.0
"""How long the worker may take to free its model and end before it is terminated."""


class IsolatedVisionLanguageBackend(ImagesBackend):
    """The model of ``family`` loaded and read in a worker process."""

    def __init__(self, name: str, options: VisionLanguageOptions, family: Family) -> None:
        super().__init__(name, options)
        self.plan = plan_load(options, family, name)
        context = multiprocessing.get_context("spawn")
        self._lock = threading.Lock()
        self._cancel = context.Event()
        self._conn, child = context.Pipe()
        self._process: Any = context.Process(
            target=vlm_worker.serve,
            args=(child, name, family, options, self._cancel, logging.getLogger().level),
            name=f"ablage-{name}",
            daemon=True,
        )
        settle_imports()
        self._process.start()
        child.close()
        log.info("%s: loading in worker process %d", name, self._process.pid)
        try:
            loaded = self._answer("loading", None)
        except BaseException:
            self._end()
            raise
        assert isinstance(loaded, vlm_worker.Loaded)
        self.warmup_seconds = loaded.warmup_seconds
        """How long the warm-up page took (None without one): the manager reports it."""
        self.usage = loaded.usage
        """The worker's memory as last read (after the load, after each batch)."""

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def _read_batch(self, images: list[Image.Image], cancel: CancelToken) -> list[str]:
        """One batch read in the worker (the images as they are: it converts them)."""
        answer = self.ask(vlm_worker.Read(images), cancel)
        assert isinstance(answer, vlm_worker.Texts)
        self.usage = answer.usage
        return answer.texts

    def read_usage(self, reset_peak: bool = False) -> vlm_worker.Usage:
        """The worker's memory now; with ``reset_peak`` its peaks start again from now."""
        answer = self.ask(vlm_worker.AskUsage(reset_peak), None)
        assert isinstance(answer, vlm_worker.Usage)
        self.usage = answer
        return answer

    def ask(self, request: object, cancel: CancelToken | None) -> object:
        """Send ``request`` and wait for the worker's answer (typed errors for its failures)."""
        with self._lock:
            if self._process is None:
                raise EngineStopped(self.name, "its process was stopped")
            self._cancel.clear()
            with contextlib.suppress(BrokenPipeError, OSError):  # it died: the wait says how
                self._conn.send(request)
            return self._answer("recognition", cancel)

    def _answer(self, during: str, cancel: CancelToken | None) -> object:
        conn: Connection = self._conn
        sentinel = self._process.sentinel
        while True:
            ready = wait([conn, sentinel], timeout=CANCEL_POLL_S if cancel else None)
            if cancel is not None and cancel.cancelled and not self._cancel.is_set():
                self._cancel.set()
            if conn in ready:
                try:
                    answer = conn.recv()
                except (EOFError, OSError):  # its end closed: it is ending
                    ready = [sentinel]
                else:
                    if isinstance(answer, vlm_worker.Failed):
                        raise vlm_worker.error_of(answer, self.name, during)
                    return answer
            if sentinel in ready:
                self._process.join(CLOSE_TIMEOUT_S)
                exitcode = self._process.exitcode
                self._forget()
                raise vlm_worker.stopped_error(self.name, during, exitcode)

    def process_memory(self) -> int | None:
        """The worker's RSS now (the whole process: it holds this model and nothing else)."""
        pid = self.pid
        if pid is None:
            return 0
        import psutil

        try:
            return int(psutil.Process(pid).memory_info().rss)
        except psutil.Error:  # it ended a moment ago
            return self.usage.rss

    def device_memory(self) -> int | None:
        """What the worker holds on the GPU: the driver's figure for its process (CUDA
        context included), else what torch's allocator reserved there; None on a CPU."""
        if self.plan.device != "gpu":
            return None
        pid = self.pid
        held = nvml_process_memory(pid) if pid is not None else None
        return held if held is not None else self.usage.cuda_reserved

    def close(self) -> None:
        with self._lock:
            self._end()

    def _end(self) -> None:
        process = self._process
        if process is None:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(vlm_worker.Close())
        process.join(CLOSE_TIMEOUT_S)
        if process.is_alive():
            log.warning("%s: its worker did not end in %.0f s: stopped", self.name, CLOSE_TIMEOUT_S)
            process.terminate()
            process.join(CLOSE_TIMEOUT_S)
            if process.is_alive():
                process.kill()
                process.join()
        self._forget()

    def _forget(self) -> None:
        self._process = None
        with contextlib.suppress(OSError):
            self._conn.close()


def nvml_process_memory(pid: int) -> int | None:
    """GPU memory the driver counts for process ``pid`` (None where NVML cannot tell: no
    driver, or a container whose process ids the driver does not see)."""
    try:
        import pynvml

        pynvml.nvmlInit()
    except Exception:  # no package, no driver
        return None
    try:
        for index in range(pynvml.nvmlDeviceGetCount()):
            handle = pynvml.nvmlDeviceGetHandleByIndex(index)
            for running in pynvml.nvmlDeviceGetComputeRunningProcesses(handle):
                if running.pid == pid and running.usedGpuMemory:
                    return int(running.usedGpuMemory)
    except Exception as exc:  # pynvml.NVMLError and kin
        log.debug("NVML could not list the GPU's processes: %s", exc)
    finally:
        with contextlib.suppress(Exception):
            pynvml.nvmlShutdown()
    return None
