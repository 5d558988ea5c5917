"""Does ``auto`` read better than each single engine? Accuracy per document group, side by side.

Every document under FOLDER that has a ``<stem>.gt.txt`` transcription beside it is read by
each of ``--backends`` in turn (default: ``auto``, ``rapidocr``, ``tesseract``) through
``EngineCore.ocr`` with ``archive=False``: the app's real pipeline and, for ``auto``, its real
per-page routing, but nothing is written to the user's archive. The engine is built from the
shipped configuration with ``--config FILE`` merged over it (the user's own configuration file
is not read, so that figures do not depend on who runs the script).

For each engine, per document group and over all documents, it prints

CER, WER
    character and word edit distance over the ground truth's length, after NFC and collapsing
    white space (``engine.textmetrics``); documents with ``gt_case=upper`` in the folder's
    ``MANIFEST.tsv`` are compared case-insensitively.
F1
    bag-of-words F1: the multiset of words, ignoring their order (reading order of columns and
    tables is partly a matter of choice, see ``shared/data/README.md``).
s/page
    the sum of the pages' recognition seconds (``OcrPage.seconds``) over the pages. Tesseract
    reads two pages at once, so this is latency, not throughput: the engine table below gives
    the wall time of each engine over the whole folder, which includes loading its model(s)
    from cold (every engine starts with no model resident; library imports are done before
    the clock starts).

Group and overall figures are micro averages: the edit and word counts of the documents are
summed, so a long document weighs more than a two-line one. The group comes from the
manifest's ``group`` column; documents without one are in ``other``. A document that fails is
scored on the text read before the failure (usually none), so a failure costs its full CER.

Where the time goes
    per engine, the seconds its pages spent in each stage (``OcrPage.stages``: preprocessing,
    each engine by name, combining), summed over the pages, beside its wall time; and the
    intake (opening and rendering every page in the app's decoder process, with no
    recognition) measured once in a separate pass before the engines run.

Docling (``--backends auto,docling,rapidocr,tesseract``) is measured like any engine: named,
it reads a born-digital PDF page's own text with docling-parse and the rest with its OCR
(RapidOCR or Tesseract) after its layout analysis where the layout weights are installed; an
engine that cannot run here is listed as skipped, with the reason. It is not in the default
list: without its layout weights it adds nothing ``auto`` does not already do, and with them
it costs minutes per run on a small CPU machine; name it to compare it.

Surya (``--backends auto,surya,rapidocr,tesseract``) is measured the same way where it can
run: its own environment, its text detector and its recognition model in place (``make run``
or ``ablage-desktop models download surya``) and ``transformers serve`` installed
(``transformers[serving]``), or a running server named by its ``server_url``; its wall time
includes starting its worker and model server cold. Where it cannot run, its row says
``skipped: <reason>`` (what is missing and the command that fetches it) and the other engines
are measured as usual; the exit status is 1 only when no engine could read the documents. It
is not in the default list: a vision-language model of about 650M parameters reads each full
page, slow on a CPU. Where it can run, ``auto`` may hand it the pages RapidOCR could not read
(``routing``), so ``auto``'s figures include it.

For ``auto`` the table also says which engine read the pages of each group, and how ``auto``
compares with the best single engine of that group (by F1 and by CER separately). The target
(issue 9) is that ``auto`` is at least as good as the best single engine in every group and
better overall by both F1 and CER; ``*`` marks where it is not. Issue 20 adds F1 >= 0.92, CER
<= 0.045 and at most RapidOCR's wall time alone; the verdict at the end says each part, and by
how much a missed one is missed.

    .venv/bin/python benchmarks/quality.py ../shared/data --json /tmp/quality.json
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import shlex
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(REPO))

from ablage_desktop.engine.bench.corpus import BenchDocument, load_corpus  # noqa: E402
from ablage_desktop.engine.bench.machine import describe_machine  # noqa: E402
from ablage_desktop.engine.config import load_config  # noqa: E402
from ablage_desktop.engine.core import EngineCore, OcrRequest  # noqa: E402
from ablage_desktop.engine.errors import AblageError  # noqa: E402
from ablage_desktop.engine.intake.decoding import IsolatedDecoder  # noqa: E402
from ablage_desktop.engine.intake.documents import IntakeLimits  # noqa: E402
from ablage_desktop.engine.models.router import AUTO  # noqa: E402
from ablage_desktop.engine.results.document import OcrDocument  # noqa: E402
from ablage_desktop.engine.text.textmetrics import TextScore, score  # noqa: E402

DEFAULT_BACKENDS = (AUTO, "rapidocr", "tesseract")
OTHER = "other"
OVERALL = "overall"
UNLOAD_WAIT_S = 30.0
SCHEMA = "ablage-desktop-quality/1"


@dataclass(slots=True)
class DocumentResult:
    """One document as one engine read it."""

    key: str
    group: str
    casefold: bool
    pages: int = 0
    seconds: float = 0.0
    score: TextScore = field(default_factory=TextScore)
    picks: Counter[str] = field(default_factory=Counter)
    """Pages per engine that read them (``OcrPage.backend``)."""
    stages: Counter[str] = field(default_factory=Counter)
    """Seconds per stage, summed over the pages (``OcrPage.stages``)."""
    error: str = ""


@dataclass(slots=True)
class Tally:
    """The summed figures of some documents for one engine."""

    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    score: TextScore = field(default_factory=TextScore)
    picks: Counter[str] = field(default_factory=Counter)
    failed: int = 0

    def add(self, document: DocumentResult) -> None:
        self.documents += 1
        self.pages += document.pages
        self.seconds += document.seconds
        self.score = self.score + document.score
        self.picks.update(document.picks)
        self.failed += bool(document.error)

    @property
    def seconds_per_page(self) -> float | None:
        return self.seconds / self.pages if self.pages else None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.score.to_json(),
            "documents": self.documents,
            "pages": self.pages,
            "failed_documents": self.failed,
            "page_seconds": self.seconds,
            "seconds_per_page": self.seconds_per_page,
            "picked": dict(sorted(self.picks.items())),
        }


@dataclass(slots=True)
class EngineRun:
    """One engine over the whole folder."""

    backend: str
    status: str = "ok"
    reason: str = ""
    wall_s: float = 0.0
    cpu_s: float = 0.0
    """CPU seconds of this process (every thread; not the decoder process) over the run:
    steadier than the wall time on a machine others are using."""
    documents: dict[str, DocumentResult] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def tally(self, keys: Iterable[str]) -> Tally:
        tally = Tally()
        for key in keys:
            tally.add(self.documents[key])
        return tally

    @property
    def pages(self) -> int:
        return sum(document.pages for document in self.documents.values())

    @property
    def stages(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for document in self.documents.values():
            total.update(document.stages)
        return total


@dataclass(frozen=True, slots=True)
class Comparison:
    """``auto`` against the best single engine of some documents, by F1 and by CER."""

    best_f1: str
    delta_f1: float
    """auto - best (positive: auto is better)."""
    best_cer: str
    delta_cer: float
    """auto - best (negative: auto is better)."""

    @property
    def behind(self) -> bool:
        return self.delta_f1 < 0 or self.delta_cer > 0

    @property
    def ahead(self) -> bool:
        return self.delta_f1 > 0 and self.delta_cer < 0

    def to_json(self) -> dict[str, Any]:
        return {
            "best_f1_engine": self.best_f1,
            "delta_f1": self.delta_f1,
            "best_cer_engine": self.best_cer,
            "delta_cer": self.delta_cer,
            "behind": self.behind,
            "ahead": self.ahead,
        }


def compare(tallies: dict[str, Tally]) -> Comparison | None:
    auto = tallies.get(AUTO)
    singles = {name: tally for name, tally in tallies.items() if name != AUTO}
    if auto is None or not singles:
        return None
    best_f1 = max(singles, key=lambda name: singles[name].score.f1)
    best_cer = min(singles, key=lambda name: singles[name].score.cer)
    return Comparison(
        best_f1,
        auto.score.f1 - singles[best_f1].score.f1,
        best_cer,
        auto.score.cer - singles[best_cer].score.cer,
    )


# --- running -------------------------------------------------------------------------------


def document_key(document: BenchDocument, folder: Path) -> str:
    try:
        return str(document.path.relative_to(folder))
    except ValueError:
        return str(document.path)


def unload_all(engine: EngineCore) -> None:
    """No model resident: every engine's wall time includes its own cold load."""
    for info in engine.manager.infos():
        if info.state.value in ("ready", "busy", "failed"):
            engine.manager.unload(info.name, wait_s=UNLOAD_WAIT_S)


def run_engine(
    engine: EngineCore, backend: str, documents: Sequence[BenchDocument], keys: Sequence[str]
) -> EngineRun:
    run = EngineRun(backend)
    unload_all(engine)
    print(f"{backend}: reading {len(documents)} document(s) ...", file=sys.stderr, flush=True)
    started, cpu_started = time.perf_counter(), time.process_time()
    try:
        request = OcrRequest([document.path for document in documents], backend, archive=False)
        results = list(engine.ocr(request))
    except AblageError as exc:
        run.status, run.reason = "skipped", exc.message
        return run
    finally:
        run.wall_s = time.perf_counter() - started
        run.cpu_s = time.process_time() - cpu_started
    for document, key, result in zip(documents, keys, results, strict=True):
        run.documents[key] = document_result(document, key, result)
    return run


def measure_intake(documents: Sequence[BenchDocument], limits: IntakeLimits) -> tuple[float, int]:
    """Seconds to open and render every page in a decoder process like the app's, and pages."""
    decoder = IsolatedDecoder(name="quality-intake")
    pages = 0
    try:
        started = time.perf_counter()
        for document in documents:
            with decoder.open(document.path, limits) as opened:
                for index in range(opened.page_count):
                    opened.page(index)
                    pages += 1
        return time.perf_counter() - started, pages
    finally:
        decoder.close()


def document_result(document: BenchDocument, key: str, result: OcrDocument) -> DocumentResult:
    assert document.truth is not None
    stages: Counter[str] = Counter()
    for page in result.pages:
        for stage, seconds in page.stages:
            stages[stage] += seconds
    return DocumentResult(
        key=key,
        group=document.group or OTHER,
        casefold=document.casefold,
        pages=len(result.pages),
        seconds=sum(page.seconds for page in result.pages),
        score=score(result.text, document.truth, casefold=document.casefold),
        picks=Counter(page.backend for page in result.pages),
        stages=stages,
        error=result.error.message if result.error else "",
    )


# --- the tables ----------------------------------------------------------------------------


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _picks(picks: Counter[str]) -> str:
    return ", ".join(f"{name} {count}" for name, count in sorted(picks.items())) or "—"


def _engine_cells(tally: Tally | None) -> list[str]:
    if tally is None:
        return ["—"] * 4
    return [
        _num(tally.score.cer),
        _num(tally.score.wer),
        _num(tally.score.f1),
        _num(tally.seconds_per_page, 2),
    ]


def _comparison_cells(comparison: Comparison | None, overall: bool) -> list[str]:
    if comparison is None:
        return ["—", "—"]
    # In a group auto must not be behind; overall it must be ahead on both.
    missed_f1 = comparison.delta_f1 <= 0 if overall else comparison.delta_f1 < 0
    missed_cer = comparison.delta_cer >= 0 if overall else comparison.delta_cer > 0
    return [
        f"{comparison.delta_f1:+.3f} vs {comparison.best_f1}{' *' if missed_f1 else ''}",
        f"{comparison.delta_cer:+.3f} vs {comparison.best_cer}{' *' if missed_cer else ''}",
    ]


def _header(first: Sequence[str], engines: Sequence[str], last: Sequence[str]) -> list[str]:
    columns = [*first]
    for name in engines:
        columns += [f"{name} CER", f"{name} WER", f"{name} F1", f"{name} s/page"]
    columns += last
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def group_table(ok: Sequence[EngineRun], groups: dict[str, list[str]]) -> list[str]:
    engines = [run.backend for run in ok]
    has_auto = AUTO in engines
    last = ["auto ΔF1 vs best", "auto ΔCER vs best", "auto picked"] if has_auto else []
    lines = _header(["group", "docs", "pages"], engines, last)
    for name, members in groups.items():
        tallies = {run.backend: run.tally(members) for run in ok}
        pages = max(tally.pages for tally in tallies.values())
        cells = [f"**{name}**" if name == OVERALL else name, str(len(members)), str(pages)]
        for engine in engines:
            cells += _engine_cells(tallies[engine])
        if has_auto:
            comparison = compare(tallies)
            cells += _comparison_cells(comparison, overall=name == OVERALL)
            cells.append(_picks(tallies[AUTO].picks))
        lines.append(_row(cells))
    return lines


def document_table(ok: Sequence[EngineRun], keys: Sequence[str]) -> list[str]:
    engines = [run.backend for run in ok]
    has_auto = AUTO in engines
    lines = _header(["document", "group", "pages"], engines, ["auto picked"] if has_auto else [])
    for key in keys:
        documents = [run.documents[key] for run in ok]
        first = documents[0]
        name = key + (" ^" if first.casefold else "")
        cells = [name, first.group, str(max(document.pages for document in documents))]
        for document in documents:
            tally = Tally()
            tally.add(document)
            cells += _engine_cells(tally)
            if document.error:
                cells[-1] += " !"
        if has_auto:
            cells.append(_picks(ok[engines.index(AUTO)].documents[key].picks))
        lines.append(_row(cells))
    return lines


def engine_table(runs: Sequence[EngineRun]) -> list[str]:
    lines = [
        "| engine | status | pages | wall s | wall s/page | Σ page s / page | failed documents |",
        "|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        if not run.ok:
            lines.append(f"| {run.backend} | {run.status}: {run.reason} | — | — | — | — | — |")
            continue
        pages = run.pages
        tally = run.tally(run.documents)
        failed = [key for key, document in run.documents.items() if document.error]
        lines.append(
            f"| {run.backend} | ok | {pages} | {run.wall_s:.1f} | "
            f"{_num(run.wall_s / pages if pages else None, 2)} | "
            f"{_num(tally.seconds_per_page, 2)} | {', '.join(failed) or '—'} |"
        )
    return lines


def stage_names(runs: Sequence[EngineRun]) -> list[str]:
    """Preprocessing first, combining last, the engines between them."""
    seen = dict.fromkeys(stage for run in runs for stage in run.stages)
    middle = [stage for stage in seen if stage not in ("preprocessing", "combining")]
    return ["preprocessing", *sorted(middle), "combining"]


def time_table(runs: Sequence[EngineRun], intake: tuple[float, int] | None) -> list[str]:
    ok = [run for run in runs if run.ok]
    stages = stage_names(ok)
    lines = [
        "| engine | wall s | CPU s | " + " | ".join(f"{stage} s" for stage in stages) + " |",
        "|---|---|---|" + "---|" * len(stages),
    ]
    for run in ok:
        totals = run.stages
        cells = [f"{totals[stage]:.1f}" if stage in totals else "—" for stage in stages]
        lines.append(
            f"| {run.backend} | {run.wall_s:.1f} | {run.cpu_s:.1f} | " + " | ".join(cells) + " |"
        )
    if intake is not None:
        seconds, pages = intake
        lines += [
            "",
            f"Intake (opening and rendering the {pages} pages in a decoder process, no "
            f"recognition, a separate pass): {seconds:.1f} s.",
        ]
    return lines


F1_TARGET = 0.92
"""Issue 20: ``auto``'s BoW-F1 over the whole folder, at least."""
CER_TARGET = 0.045
"""Issue 20: ``auto``'s CER over the whole folder, at most."""
TIME_TARGET = 1.0
"""Issue 20: ``auto``'s wall time over RapidOCR's alone (same run), at most."""


def verdict(ok: Sequence[EngineRun], groups: dict[str, list[str]]) -> dict[str, Any] | None:
    """Every part of the issues' target for ``auto``: not behind the best single engine in
    any group and ahead of it overall (issue 9); F1, CER and time against RapidOCR alone
    (issue 20). ``met`` only where every part is; a part not measured is not met."""
    if AUTO not in [run.backend for run in ok] or len(ok) < 2:
        return None
    behind = []
    for name, keys in groups.items():
        if name == OVERALL:
            continue
        comparison = compare({run.backend: run.tally(keys) for run in ok})
        if comparison is not None and comparison.behind:
            behind.append(name)
    overall = compare({run.backend: run.tally(groups[OVERALL]) for run in ok})
    ahead = overall is not None and overall.ahead
    runs = {run.backend: run for run in ok}
    score = runs[AUTO].tally(groups[OVERALL]).score
    alone = runs.get("rapidocr")
    ratio = runs[AUTO].wall_s / alone.wall_s if alone is not None and alone.wall_s else None
    parts = {
        "groups": not behind,
        "overall_ahead": ahead,
        "f1": score.f1 >= F1_TARGET,
        "cer": score.cer <= CER_TARGET,
        "time": ratio is not None and ratio <= TIME_TARGET,
    }
    return {
        "groups_behind": behind,
        "overall_ahead": ahead,
        "f1": score.f1,
        "cer": score.cer,
        "time_vs_rapidocr": ratio,
        "parts_met": parts,
        "met": all(parts.values()),
    }


def verdict_lines(target: dict[str, Any]) -> list[str]:
    """The verdict, part by part, with how far each missed part is from its target."""
    parts = target["parts_met"]

    def said(part: str, miss: str) -> str:
        return "met" if parts[part] else f"**not met** ({miss})"

    f1, cer, ratio = target["f1"], target["cer"], target["time_vs_rapidocr"]
    time = f"{ratio:.2f}x" if ratio is not None else "not measured (name rapidocr too)"
    behind = ", ".join(target["groups_behind"]) or "none"
    return [
        f"Target {'met' if target['met'] else 'not met'} (every part below):",
        f"* F1 {f1:.4f} >= {F1_TARGET}: {said('f1', f'by {F1_TARGET - f1:.4f}')}",
        f"* CER {cer:.4f} <= {CER_TARGET}: {said('cer', f'by {cer - CER_TARGET:.4f}')}",
        f"* wall time against RapidOCR alone {time} <= {TIME_TARGET:.1f}x: "
        + said("time", f"by {ratio - TIME_TARGET:.2f}x" if ratio else "no ratio"),
        f"* behind the best single engine in groups: {behind}: "
        + said("groups", f"behind in {behind}"),
        "* ahead of the best single engine overall by F1 and CER: "
        + said("overall_ahead", "not ahead"),
    ]


# --- the record ----------------------------------------------------------------------------


def build_record(
    command: str,
    created: str,
    folder: Path,
    config_files: Sequence[Path],
    runs: Sequence[EngineRun],
    groups: dict[str, list[str]],
    keys: Sequence[str],
    not_scored: Sequence[str],
    intake: tuple[float, int] | None = None,
) -> dict[str, Any]:
    ok = [run for run in runs if run.ok]
    group_records: dict[str, Any] = {}
    for name, members in groups.items():
        tallies = {run.backend: run.tally(members) for run in ok}
        comparison = compare(tallies)
        group_records[name] = {
            "documents": list(members),
            "engines": {engine: tally.to_json() for engine, tally in tallies.items()},
            "auto_vs_best": comparison.to_json() if comparison else None,
        }
    documents = {}
    for key in keys:
        per_engine = {}
        for run in ok:
            document = run.documents[key]
            tally = Tally()
            tally.add(document)
            per_engine[run.backend] = {**tally.to_json(), "error": document.error or None}
        first = ok[0].documents[key] if ok else None
        documents[key] = {
            "group": first.group if first else None,
            "casefold": first.casefold if first else None,
            "engines": per_engine,
        }
    return {
        "schema": SCHEMA,
        "created": created,
        "command": command,
        "machine": describe_machine(),
        "folder": str(folder),
        "config_files": [str(path) for path in config_files],
        "not_scored": list(not_scored),
        "engines": [
            {
                "backend": run.backend,
                "status": run.status,
                "reason": run.reason or None,
                "pages": run.pages if run.ok else None,
                "wall_s": run.wall_s if run.ok else None,
                "cpu_s": run.cpu_s if run.ok else None,
                "wall_s_per_page": run.wall_s / run.pages if run.ok and run.pages else None,
                "stage_seconds": dict(run.stages) if run.ok else None,
            }
            for run in runs
        ],
        "intake": {"seconds": intake[0], "pages": intake[1]} if intake else None,
        "groups": group_records,
        "documents": documents,
        "target": verdict(ok, groups),
    }


# --- the command ---------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="CER, WER and bag-of-words F1 of auto and each single engine, per group."
    )
    parser.add_argument("folder", type=Path, help="documents with <stem>.gt.txt beside them")
    parser.add_argument(
        "--backends",
        default=",".join(DEFAULT_BACKENDS),
        help="comma-separated engines to compare, e.g. auto,surya,rapidocr,tesseract; one "
        "that cannot run here is listed as 'skipped: <reason>' (default: %(default)s)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    parser.add_argument("--config", type=Path, help="configuration merged over the shipped one")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    backends = list(dict.fromkeys(name.strip() for name in args.backends.split(",")))
    backends = [name for name in backends if name]
    if not backends:
        print("--backends names no engine", file=sys.stderr)
        return 2
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    try:
        script = Path(__file__).resolve().relative_to(Path.cwd())
    except ValueError:
        script = Path(__file__)
    command = shlex.join(["python", str(script), *argv])
    config_files = [args.config] if args.config else []
    try:
        corpus = load_corpus([args.folder])
        engine = EngineCore(load_config(config_files))
    except AblageError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    folder = args.folder
    scored = [document for document in corpus.documents if document.truth is not None]
    not_scored = [
        document_key(document, folder) for document in corpus.documents if document.truth is None
    ]
    if not scored:
        print(f"error: no document in {folder} has a <stem>.gt.txt", file=sys.stderr)
        return 2
    keys = [document_key(document, folder) for document in scored]
    order = sorted(range(len(scored)), key=lambda i: (scored[i].group or OTHER, keys[i]))
    scored, keys = [scored[i] for i in order], [keys[i] for i in order]
    groups: dict[str, list[str]] = {}
    for document, key in zip(scored, keys, strict=True):
        groups.setdefault(document.group or OTHER, []).append(key)
    if OTHER in groups:  # the documents without a group come last
        groups[OTHER] = groups.pop(OTHER)
    groups[OVERALL] = list(keys)

    try:
        engine.prepare()  # library imports are not timed
        intake = measure_intake(scored, engine.config.intake.limits())
        runs = [run_engine(engine, backend, scored, keys) for backend in backends]
    finally:
        engine.close()
    ok = [run for run in runs if run.ok]

    machine = describe_machine()
    lines = [
        "# OCR quality: auto against each single engine",
        "",
        f"- machine: {machine['cpu_count_logical']} CPUs ({machine['cpu']}), "
        f"{machine['ram_total_bytes'] / (1 << 30):.1f} GiB RAM, Python {machine['python']}",
        f"- command: `{command}`",
        f"- date: {created}",
        f"- documents: {len(scored)} with ground truth in {folder}"
        + (f"; not scored (no .gt.txt): {', '.join(not_scored)}" if not_scored else ""),
        "",
        "## Per group (micro-averaged)",
        "",
    ]
    if ok:
        lines += group_table(ok, groups)
        if AUTO in [run.backend for run in ok]:
            lines += [
                "",
                "Δ = auto − best single engine of the row (by F1 and by CER separately). "
                "`*`: target missed (a group behind the best, or overall not ahead of it).",
            ]
        lines += ["", "## Per document", "", *document_table(ok, keys), ""]
        lines.append("`^`: compared case-insensitively (gt_case=upper); `!`: the document failed.")
    else:
        lines.append("No engine could read the documents.")
    lines += ["", "## Engines (wall time includes cold model loads)", "", *engine_table(runs)]
    if ok:
        lines += [
            "",
            "## Where the time goes (seconds summed over the pages; pages run two at a time)",
            "",
            *time_table(runs, intake),
        ]
    target = verdict(ok, groups)
    if target is not None:
        lines += ["", *verdict_lines(target)]
    print("\n".join(lines))

    if args.json:
        record = build_record(
            command, created, folder, config_files, runs, groups, keys, not_scored, intake
        )
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {args.json}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
