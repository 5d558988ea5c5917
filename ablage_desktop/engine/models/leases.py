"""A lease: a model pinned for one caller, and the page counts it keeps while it reads."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ablage_desktop.engine.backends.base import Backend, Settled
from ablage_desktop.engine.errors import Cancelled, RemoteServerError
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.models.records import ModelRecord
from ablage_desktop.engine.results.document import OcrLine, OcrPage
from ablage_desktop.engine.run.cancel import CancelToken

if TYPE_CHECKING:
    from ablage_desktop.engine.models.manager import ModelManager


class Lease:
    """A pinned model. Use ``recognize``; ``release`` (or leave the ``with``) when done."""

    def __init__(self, manager: ModelManager, record: ModelRecord, backend: Backend) -> None:
        self._manager = manager
        self._record = record
        self._backend: Backend | None = backend
        self.name = record.name

    @property
    def backend(self) -> Backend:
        if self._backend is None:
            raise RuntimeError(f"the lease on {self.name} was released")
        return self._backend

    def recognize(
        self,
        page: PageImage,
        cancel: CancelToken | None = None,
        settled: Settled | None = None,
        known: Sequence[OcrLine] = (),
    ) -> OcrPage:
        """Recognise with the model, no more threads at once than the backend allows.

        With ``settled`` (lines another engine has read, by box) the backend reads only the
        rest where it can (``Backend.recognize_where``), taking the ``known`` lines as read."""
        slots = self._record.slots
        assert slots is not None
        backend = self.backend
        self._manager._count(self._record, queued=1)
        with slots:
            if cancel is not None and cancel.cancelled:
                # The batch was cancelled while this page waited for the model: a page the
                # user no longer wants is not started.
                self._manager._count(self._record, queued=-1)
                raise Cancelled()
            self._manager._count(self._record, queued=-1, in_flight=1)
            started = time.perf_counter()
            try:
                if settled is None:
                    result = backend.recognize(page, cancel)
                else:
                    result = backend.recognize_where(page, settled, cancel, known)
            except RemoteServerError as exc:
                self._manager._count(self._record, in_flight=-1)
                if exc.server_down:
                    self._manager._mark_down(self._record, exc)
                raise
            except BaseException:
                self._manager._count(self._record, in_flight=-1)
                raise
            self._manager._count(self._record, in_flight=-1, seconds=time.perf_counter() - started)
            return result

    def release(self) -> None:
        if self._backend is not None:
            self._backend = None  # a kept Lease must not keep the model alive
            self._manager._release(self._record)

    def __enter__(self) -> Lease:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
