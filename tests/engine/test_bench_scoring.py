"""The benchmark's scorer, statistics and corpus discovery: fast, no engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablage_desktop.engine.bench.corpus import load_corpus
from ablage_desktop.engine.bench.measure import LatencyStats
from ablage_desktop.engine.errors import UsageError
from ablage_desktop.engine.text.textmetrics import TextScore, score


def test_identical_text_scores_zero_errors_and_full_f1() -> None:
    text = "Rechnung Nr. 4711\nGesamtbetrag 123,45 €"
    result = score(text, text)
    assert (result.cer, result.wer, result.f1) == (0.0, 0.0, 1.0)


def test_only_nfc_and_white_space_are_normalised() -> None:
    decomposed = "Fa\u0308lligkeit  der\n\n Zahlung"
    assert score(decomposed, "Fälligkeit der Zahlung").cer == 0.0
    # Case is not normalised: F->f and Z->z are two errors in 22 characters.
    assert score("fälligkeit der zahlung", "Fälligkeit der Zahlung").cer == pytest.approx(2 / 22)
    assert score("FÄLLIGKEIT", "Fälligkeit", casefold=True).cer == 0.0


def test_a_hand_made_pair_gives_the_known_values() -> None:
    # One character wrong (ä -> a) in one of four words; the words also come out of order.
    result = score("Rechnung ist fallig Die", "Die Rechnung ist fällig")
    assert result.chars == 23
    # Levenshtein: "Die " moves from the front to the back (4 deletions + 4 insertions),
    # plus the one substitution.
    assert result.char_edits == 9
    assert result.cer == pytest.approx(9 / 23)
    assert result.words == 4
    # Insert "Die" at the front, substitute "fallig", delete the trailing "Die".
    assert result.word_edits == 3
    assert result.wer == pytest.approx(3 / 4)
    assert result.precision == pytest.approx(3 / 4)
    assert result.recall == pytest.approx(3 / 4)
    assert result.f1 == pytest.approx(0.75)


def test_documents_add_up_by_their_counts() -> None:
    long = score("a b c d e f g h", "a b c d e f g x")  # 1 of 8 words wrong
    short = score("y", "z")  # 1 of 1 wrong
    total = long + short
    assert total.words == 9
    assert total.wer == pytest.approx(2 / 9)
    assert total == TextScore() + long + short


def test_latency_statistics() -> None:
    stats = LatencyStats.of([1.0, 2.0, 4.0])
    assert stats is not None
    assert (stats.count, stats.minimum, stats.maximum, stats.median) == (3, 1.0, 4.0, 2.0)
    assert stats.mean == pytest.approx(7 / 3)
    assert stats.stdev == pytest.approx(1.5275, abs=1e-4)
    assert LatencyStats.of([]) is None
    assert LatencyStats.of([0.5]).stdev == 0.0  # type: ignore[union-attr]


def test_corpus_finds_ground_truth_and_the_manifest_case(tmp_path: Path) -> None:
    from samples import text_page

    text_page().save(tmp_path / "receipt.png")
    text_page().save(tmp_path / "letter.png")
    text_page().save(tmp_path / "unscored.png")
    (tmp_path / "receipt.gt.txt").write_text("TOTAL 12.00\n", encoding="utf-8")
    (tmp_path / "letter.gt.txt").write_text("Dear Sir\n", encoding="utf-8")
    (tmp_path / "MANIFEST.tsv").write_text(
        "file\tgroup\tgt_case\nreceipt.png\treceipt\tupper\nletter.png\tpdf-en\t\n",
        encoding="utf-8",
    )
    corpus = load_corpus([tmp_path])
    by_name = {document.name: document for document in corpus.documents}
    assert sorted(by_name) == ["letter.png", "receipt.png", "unscored.png"]
    assert by_name["receipt.png"].casefold and by_name["receipt.png"].group == "receipt"
    assert not by_name["letter.png"].casefold
    assert by_name["letter.png"].truth == "Dear Sir\n"
    assert by_name["unscored.png"].truth is None
    assert corpus.scored == 2
    assert corpus.skipped == ()  # ground truth and manifest are not "skipped documents"


def test_an_empty_folder_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="no documents"):
        load_corpus([tmp_path])


def test_peak_sampler_keeps_the_highest_ram_and_device_memory() -> None:
    import time

    from fakes import GIB, FakeProbe

    from ablage_desktop.engine.bench.measure import PeakSampler

    probe = FakeProbe(vram_base=1 * GIB)
    with PeakSampler(probe, interval_s=0.001) as sampler:
        probe.take("gpu", "model", 3 * GIB)
        probe.take("cpu", "model", 2 * GIB)
        seen = probe.snapshots
        deadline = time.monotonic() + 10
        while probe.snapshots < seen + 3 and time.monotonic() < deadline:
            time.sleep(0.001)  # let the sampler read the peak at least once
        probe.give_back("gpu", "model")
        probe.give_back("cpu", "model")
    peak = sampler.result()
    assert peak.peak_vram_device == 4 * GIB  # base + the model, though it is gone at the end
    assert peak.peak_rss - peak.rss_before == 2 * GIB
    assert peak.peak_vram_allocated is None  # torch's own counter: only with CUDA
