"""What one benchmark run measured: a row per engine setting, and the run around them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ablage_desktop.engine.bench.measure import LatencyStats, PeakMemory
from ablage_desktop.engine.text.textmetrics import TextScore

SCHEMA = "ablage-desktop-bench/1"

RowKind = Literal["app", "peer"]
RowStatus = Literal["ok", "skipped", "failed", "cancelled"]


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """One document's outcome in the first timed run (the text is the same in every run)."""

    name: str
    pages: int
    seconds: float
    score: TextScore | None
    casefold: bool = False
    error: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "document": self.name,
            "pages": self.pages,
            "seconds": self.seconds,
            "casefold": self.casefold,
            "error": self.error or None,
            **(self.score.to_json() if self.score is not None else {"cer": None}),
        }


@dataclass(frozen=True, slots=True)
class BenchRow:
    """One engine at one quantization and batch size, or one peer."""

    kind: RowKind
    backend: str
    engine: str
    status: RowStatus
    reason: str = ""
    quantization: str | None = None
    batch_size: int | None = None
    device: str = ""
    import_s: float | None = None
    load_s: float | None = None
    """Cold load: from not resident to ready, the libraries already imported."""
    warmup_s: float | None = None
    warmup_pages: int = 0
    runs: int = 0
    pages: int = 0
    """Pages recognised in the timed runs (every run counted)."""
    wall_s: float | None = None
    latency: LatencyStats | None = None
    memory: PeakMemory | None = None
    accuracy: TextScore | None = None
    documents: tuple[DocumentScore, ...] = field(default_factory=tuple)
    version: str = ""

    @property
    def label(self) -> str:
        parts = [self.backend]
        if self.quantization:
            parts.append(self.quantization)
        if self.batch_size is not None and self.batch_size > 1:
            parts.append(f"b{self.batch_size}")
        return " ".join(parts)

    @property
    def pages_per_s(self) -> float | None:
        if not self.pages or not self.wall_s:
            return None
        return self.pages / self.wall_s

    @property
    def failed_documents(self) -> int:
        return sum(1 for document in self.documents if document.error)

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "backend": self.backend,
            "engine": self.engine,
            "version": self.version or None,
            "label": self.label,
            "status": self.status,
            "reason": self.reason or None,
            "quantization": self.quantization,
            "batch_size": self.batch_size,
            "device": self.device or None,
            "import_s": self.import_s,
            "load_s": self.load_s,
            "warmup_s": self.warmup_s,
            "warmup_pages": self.warmup_pages,
            "runs": self.runs,
            "pages": self.pages,
            "wall_s": self.wall_s,
            "pages_per_s": self.pages_per_s,
            "latency_s": self.latency.to_json() if self.latency else None,
            "memory": self.memory.to_json() if self.memory else None,
            "accuracy": self.accuracy.to_json() if self.accuracy else None,
            "failed_documents": self.failed_documents,
            "documents": [document.to_json() for document in self.documents],
        }


@dataclass(frozen=True, slots=True)
class PeerRatio:
    """The app's figures over a peer's, for the same engine on the same pages."""

    app: str
    peer: str
    throughput: float | None
    """App pages per second over the peer's: above 1 the app is faster."""
    latency: float | None
    """App median seconds per page over the peer's: below 1 the app is faster."""
    cer_difference: float | None
    """App CER minus the peer's: below 0 the app reads better."""

    def to_json(self) -> dict[str, Any]:
        return {
            "app": self.app,
            "peer": self.peer,
            "throughput_ratio": self.throughput,
            "median_latency_ratio": self.latency,
            "cer_difference": self.cer_difference,
        }


@dataclass(frozen=True, slots=True)
class BenchReport:
    created: str
    machine: dict[str, Any]
    plan: dict[str, Any]
    corpus: dict[str, Any]
    rows: tuple[BenchRow, ...]
    ratios: tuple[PeerRatio, ...]
    seconds: float
    cancelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "created": self.created,
            "seconds": self.seconds,
            "cancelled": self.cancelled,
            "machine": self.machine,
            "plan": self.plan,
            "corpus": self.corpus,
            "rows": [row.to_json() for row in self.rows],
            "ratios": [ratio.to_json() for ratio in self.ratios],
        }


def ratios(rows: tuple[BenchRow, ...]) -> tuple[PeerRatio, ...]:
    """Every measured app row against every measured peer of its engine."""
    found = []
    peers = [row for row in rows if row.kind == "peer" and row.status == "ok"]
    for app in rows:
        if app.kind != "app" or app.status != "ok":
            continue
        for peer in peers:
            if peer.engine != app.engine:
                continue
            found.append(
                PeerRatio(
                    app=app.label,
                    peer=peer.backend,
                    throughput=_ratio(app.pages_per_s, peer.pages_per_s),
                    latency=_ratio(
                        app.latency.median if app.latency else None,
                        peer.latency.median if peer.latency else None,
                    ),
                    cer_difference=(
                        app.accuracy.cer - peer.accuracy.cer
                        if app.accuracy and peer.accuracy and peer.accuracy.chars
                        else None
                    ),
                )
            )
    return tuple(found)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or not b:
        return None
    return a / b
