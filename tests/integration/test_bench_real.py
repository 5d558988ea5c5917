"""``ablage-desktop bench`` on real documents with real engines, and on a tiny VLM.

Figures are checked for sane ranges only: these machines are shared and noisy.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from samples import text_page

from ablage_desktop import app
from ablage_desktop.engine import load_config
from ablage_desktop.engine.bench import BenchPlan, BenchProgress, run_bench
from ablage_desktop.engine.bench.chart import render_png
from ablage_desktop.engine.bench.report import markdown
from ablage_desktop.engine.core import EngineCore
from ablage_desktop.engine.run.cancel import CancelToken

DOCUMENTS = ("print_darpa_cover.png", "de_intarsys_taxifahrt.pdf")
"""Two real documents with ground truth: an English title page and a two-page German invoice."""

ROW_KEYS = {
    "kind", "backend", "engine", "version", "label", "status", "reason", "quantization",
    "batch_size", "device", "import_s", "load_s", "warmup_s", "warmup_pages", "runs", "pages",
    "wall_s", "pages_per_s", "latency_s", "memory", "accuracy", "failed_documents", "documents",
}  # fmt: skip


def corpus(data_dir: Path, tmp_path: Path) -> Path:
    """The two documents and their ground truth, linked into a folder of their own."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in DOCUMENTS:
        for path in (data_dir / name, (data_dir / name).with_suffix(".gt.txt")):
            (folder / path.name).symlink_to(path)
    return folder


@pytest.mark.slow  # every engine and peer on real pages
def test_bench_cli_measures_tesseract_and_its_peers(data_dir: Path, tmp_path: Path, capsys) -> None:
    record, chart = tmp_path / "out" / "bench.json", tmp_path / "out" / "bench.png"
    argv = ["bench", "--data", str(corpus(data_dir, tmp_path)), "--backend", "tesseract"]
    argv += ["--peers", "--runs", "1", "--warmup", "1", "--json", str(record), "--plot", str(chart)]

    assert app.main(argv) == 0

    table = capsys.readouterr().out
    # Each row names the library version behind it: the program may be another Tesseract.
    assert re.search(r"^\| tesseract \d+\.\d+\.\d+ \|", table, re.MULTILINE)
    assert re.search(r"^\| tesseract-cli \d+\.\d+\.\d+ \(peer\) \|", table, re.MULTILINE)
    assert "| tesseract | tesseract-cli |" in table  # the ratio line

    report = json.loads(record.read_text(encoding="utf-8"))
    assert report["schema"] == "ablage-desktop-bench/1"
    assert report["machine"]["cpu_count_logical"] >= 1
    assert report["corpus"]["scored"] == 2
    rows = {row["backend"]: row for row in report["rows"]}
    assert set(rows) == {"tesseract", "tesseract-cli", "rapidocr-direct"}
    for row in rows.values():
        assert set(row) == ROW_KEYS
        assert row["status"] == "ok", row["reason"]
        assert row["pages"] == 3
        latency = row["latency_s"]
        assert latency["count"] == 3
        assert 0 < latency["min"] <= latency["median"] <= latency["max"] < 120
        assert latency["min"] <= latency["mean"] <= latency["max"]
        assert latency["stdev"] >= 0
        assert 0 < row["pages_per_s"] < 100
        assert row["warmup_pages"] == 1 and row["warmup_s"] > 0
        memory = row["memory"]
        assert 10 << 20 < memory["peak_rss_bytes"] < 16 << 30
        assert memory["peak_vram_allocated_bytes"] is None  # no GPU here
        accuracy = row["accuracy"]
        # ACCURACY.md: Tesseract reads these two at a CER of a few per cent.
        assert 0 <= accuracy["cer"] < 0.25 and 0 <= accuracy["wer"] < 0.4
        assert 0.75 < accuracy["bow_f1"] <= 1
        assert [doc["document"] for doc in row["documents"]] == sorted(DOCUMENTS)
    assert report["plan"]["isolate"] is True  # the default: each row in a fresh process
    app_row = rows["tesseract"]
    assert app_row["device"] == "cpu" and 0 < app_row["load_s"] < 60
    assert app_row["import_s"] is not None  # a fresh process imports the engine again
    # The program is a process of its own: its peak is its own, not this process's size.
    assert 20 << 20 < rows["tesseract-cli"]["memory"]["peak_rss_bytes"] < 1 << 30
    assert rows["tesseract-cli"]["version"]
    # Same engine and settings on the same images: the app reads the same words as the
    # program (F1). Not the same CER: the app puts lines in reading order (the rows of a form
    # across the page), the program in its block order.
    cli = rows["tesseract-cli"]["accuracy"]
    assert abs(app_row["accuracy"]["bow_f1"] - cli["bow_f1"]) < 0.03
    assert app_row["accuracy"]["cer"] <= cli["cer"] + 0.01
    (ratio,) = [r for r in report["ratios"] if r["peer"] == "tesseract-cli"]
    assert ratio["throughput_ratio"] > 0

    with Image.open(chart) as image:
        image.verify()
        assert image.format == "PNG"
    with Image.open(chart) as image:
        assert image.width > 800 and image.height > 400


def test_bench_cli_usage_errors(tmp_path: Path, capsys) -> None:
    text_page().save(tmp_path / "page.png")
    assert app.main(["bench"]) == 2
    assert "needs documents" in capsys.readouterr().err
    assert app.main(["bench", str(tmp_path), "--backend", "nonesuch"]) == 2
    assert "nonesuch" in capsys.readouterr().err
    assert app.main(["bench", str(tmp_path), "--backend", "auto"]) == 2
    assert "name models" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        app.main(["bench", str(tmp_path), "--batch-sizes", "0"])


def test_an_unavailable_engine_is_listed_with_its_reason(tmp_path: Path) -> None:
    text_page().save(tmp_path / "page.png")
    engine = EngineCore(load_config([]))
    try:
        engine.manager.acquire("tesseract").release()  # loaded by hand before the run
        plan = BenchPlan(paths=(tmp_path,), backends=("got_ocr2",), warmup=0)
        report = run_bench(engine, plan)
        # Every row starts from an empty engine; afterwards it is as the user left it.
        assert engine.manager.info("tesseract").state.value == "ready"
    finally:
        engine.close()
    (row,) = report.rows
    assert row.status == "skipped" and "not downloaded" in row.reason
    assert "got_ocr2 fp16: skipped: " in markdown(report)
    assert render_png(report).startswith(b"\x89PNG\r\n\x1a\n")


# --- a tiny vision-language model: quantizations and batch sizes --------------------------------


@pytest.fixture(scope="module")
def tiny_qwen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("torch")
    from tiny_models import build_qwen2_vl

    return build_qwen2_vl(tmp_path_factory.mktemp("tiny") / "qwen2_vl")


def tiny_engine(folder: Path, tmp_path: Path) -> EngineCore:
    """The tiny model read in this process (``isolated: false``, a user's setting): each of
    the four rows loads it again, and a worker process would import torch and transformers
    anew for each (two thirds of the test's CPU time); the worker is tested in
    ``test_vlm_worker.py``, the rows and settings here do not depend on where it reads.
    Nor on the orientation step, which asks about each of the 36 two-line pages read (one
    second each here; ``benchmarks/orientation.py`` measures it): it is off."""
    config = tmp_path / "tiny.yaml"
    config.write_text(
        f"models:\n  qwen2_vl: {{source: {folder}, max_new_tokens: 4, quantization: fp32,"
        " isolated: false}\npreprocessing: {orientation: {enabled: false}}\n",
        encoding="utf-8",
    )
    return EngineCore(load_config([config]))


def pages(tmp_path: Path, count: int) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    for n in range(count):
        text_page((f"Seite {n + 1}", "Betrag 12,50 EUR")).save(folder / f"p{n}.png")
        (folder / f"p{n}.gt.txt").write_text(f"Seite {n + 1}\nBetrag 12,50 EUR\n", "utf-8")
    return folder


@pytest.mark.filterwarnings("ignore:`torch.jit.script_method` is deprecated")
def test_every_quantization_and_batch_size_is_a_row(tiny_qwen: Path, tmp_path: Path) -> None:
    engine = tiny_engine(tiny_qwen, tmp_path)
    try:
        plan = BenchPlan(
            paths=(pages(tmp_path, 3),),
            backends=("qwen2_vl",),
            quantizations=("fp32", "bf16"),
            batch_sizes=(1, 2),
            runs=2,
            warmup=1,
        )
        report = run_bench(engine, plan)
        assert engine.options("qwen2_vl").quantization == "fp32"  # restored afterwards
        assert engine.options("qwen2_vl").max_batch_size == 1
        assert engine.manager.info("qwen2_vl").state.value == "unloaded"
    finally:
        engine.close()
    settings = [(row.quantization, row.batch_size) for row in report.rows]
    assert settings == [("fp32", 1), ("fp32", 2), ("bf16", 1), ("bf16", 2)]
    for row in report.rows:
        assert row.status == "ok", row.reason
        assert row.pages == 2 * 3 and row.runs == 2 and row.device == "cpu"
        assert row.latency is not None and row.latency.count == 6
        assert row.load_s is not None and row.load_s > 0
        assert row.accuracy is not None  # random weights: a score, not a good one
        assert 0 <= row.accuracy.f1 <= 1
    assert report.rows[1].label == "qwen2_vl fp32 b2"
    assert render_png(report).startswith(b"\x89PNG")


def test_cancel_stops_the_run_and_restores_the_model(tmp_path: Path) -> None:
    folder = pages(tmp_path, 4)
    engine = EngineCore(load_config([]))
    cancel = CancelToken()
    seen: list[BenchProgress] = []

    def on_progress(progress: BenchProgress) -> None:
        seen.append(progress)
        if progress.pages_done >= 1:
            cancel.cancel()

    try:
        plan = BenchPlan(paths=(folder,), backends=("tesseract", "rapidocr"), warmup=0)
        report = run_bench(engine, plan, on_progress, cancel)
        assert all(info.state.value == "unloaded" for info in engine.manager.infos())
    finally:
        engine.close()
    assert report.cancelled
    assert [row.status for row in report.rows] == ["cancelled"]  # rapidocr never started
    assert all(progress.label == "tesseract" for progress in seen)
    assert io.BytesIO(render_png(report)).getvalue()[:4] == b"\x89PNG"


def test_an_isolated_row_is_cancelled_by_ending_its_process(tmp_path: Path) -> None:
    folder = pages(tmp_path, 4)
    engine = EngineCore(load_config([]))
    cancel = CancelToken()
    seen: list[BenchProgress] = []

    def on_progress(progress: BenchProgress) -> None:
        seen.append(progress)  # sent by the child process
        cancel.cancel()

    try:
        plan = BenchPlan(paths=(folder,), backends=("rapidocr",), warmup=0, isolate=True)
        report = run_bench(engine, plan, on_progress, cancel)
    finally:
        engine.close()
    assert seen and seen[0].label == "rapidocr"
    assert report.cancelled
    assert [(row.backend, row.engine, row.status) for row in report.rows] == [
        ("rapidocr", "rapidocr", "cancelled")
    ]


def test_an_isolated_row_that_raises_fails_with_the_reason(tmp_path: Path) -> None:
    from ablage_desktop.engine.bench.corpus import load_corpus
    from ablage_desktop.engine.bench.isolated import run_isolated

    folder = pages(tmp_path, 1)
    plan = BenchPlan(paths=(folder,), isolate=True)
    config = load_config([])
    row = run_isolated(
        config, plan, load_corpus([folder]), "nonesuch-peer", (0, 1), lambda _p: None, CancelToken()
    )
    assert row.status == "failed" and row.kind == "peer"
    assert "ValueError" in row.reason
