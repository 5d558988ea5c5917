"""RapidOCR's recogniser kept to the characters German and English paper holds: where its best
guess is Chinese (or kana, Cyrillic, a full-width form), the best character that can stand
there is read instead, and nothing else about a line changes."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
from ablage_desktop.engine.backends.rapidocr_alphabet import (
    AlphabetSession,
    allowed,
    alphabet_mask,
    restrict,
)
from ablage_desktop.engine.intake.documents import PageImage

CHARACTERS = ["blank", "7", "%", "号", "ο", "o", "€", " "]
"""A model's output columns in miniature: the CTC blank first, then its characters."""


def test_the_alphabet_holds_the_print_of_german_and_english_paper() -> None:
    for character in "aZ09äöüßÄÖÜẞéèçñø%§€£$°±×÷≥≤µΩαΔ–—„“”‚‘’•…†‰→✓☐■":
        assert allowed(character), character
    for character in "号口中あア한иоＡ１①😀":
        assert not allowed(character), character
    assert not allowed("ο")  # Greek omicron, drawn as an o
    assert not allowed("√")  # a reader's tick beside a line
    assert allowed("blank")  # RapidOCR's placeholder for the CTC blank


class Scripted:
    """A recognition session answering scripted per-position scores."""

    def __init__(self, scores: np.ndarray) -> None:
        self.scores = scores
        self.model_name = "scripted"

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        return self.scores.copy()


def scores(*rows: dict[str, float]) -> np.ndarray:
    table = np.zeros((1, len(rows), len(CHARACTERS)), dtype=np.float32)
    for position, row in enumerate(rows):
        for character, score in row.items():
            table[0, position, CHARACTERS.index(character)] = score
    return table


def decode(table: np.ndarray) -> str:
    return "".join(CHARACTERS[i] for i in table[0].argmax(axis=-1) if i != 0)


def test_a_foreign_best_guess_gives_way_to_the_best_allowed_character() -> None:
    model = scores(
        {"7": 0.9, "blank": 0.1},
        {"号": 0.6, "%": 0.3, "blank": 0.1},
        {"blank": 0.8, "号": 0.2},  # a foreign runner-up changes nothing
        {"ο": 0.5, "o": 0.4, "blank": 0.1},
        {"号": 0.7, "blank": 0.3},  # nothing allowed but the blank: the position is dropped
    )
    session = AlphabetSession(Scripted(model), alphabet_mask(CHARACTERS))

    read = session(np.zeros((1, 3, 48, 320), dtype=np.float32))

    assert decode(model) == "7号ο号"
    assert decode(read) == "7%o"
    assert read[0, 0].tolist() == model[0, 0].tolist()  # positions in the alphabet untouched
    assert read[0, 2].tolist() == model[0, 2].tolist()
    assert read[0, 1].max() == pytest.approx(0.3)  # the line's score counts what was read
    assert session.model_name == "scripted"  # the rest of the session is the session's


def test_read_only_scores_are_copied_not_written() -> None:
    model = scores({"号": 0.6, "%": 0.3})
    model.flags.writeable = False

    class ReadOnly(Scripted):
        def __call__(self, batch: np.ndarray) -> np.ndarray:
            return self.scores

    read = AlphabetSession(ReadOnly(model), alphabet_mask(CHARACTERS))(np.zeros(1))

    assert decode(read) == "%"
    assert decode(model) == "号"


def test_scores_of_another_shape_are_left_as_they_are() -> None:
    other = np.full((1, 4, 3), 0.5, dtype=np.float32)
    session = AlphabetSession(Scripted(other), alphabet_mask(CHARACTERS))

    assert session(np.zeros(1)).tolist() == other.tolist()


def test_the_engine_reads_with_the_configured_alphabet() -> None:
    latin = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    full = RapidOcrBackend(
        "rapidocr", RapidOcrOptions(engine="rapidocr", instances=1, alphabet="full")
    )
    try:
        (session,) = latin._sessions
        recogniser = session._load_rec_model()
        assert isinstance(recogniser.session, AlphabetSession)
        restrict(session, "latin")  # once is enough
        assert not isinstance(recogniser.session._session, AlphabetSession)
        (session,) = full._sessions
        assert not isinstance(session._load_rec_model().session, AlphabetSession)
    finally:
        latin.close()
        full.close()


def test_the_sessions_of_one_load_share_their_characters_tables() -> None:
    """Two sessions side by side and the one for a page alone: one model, so one set of
    tables (each made its own before)."""
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=2))
    try:
        sessions = [*backend._sessions, backend._alone]
        wrapped = [session._load_rec_model().session for session in sessions]
    finally:
        backend.close()

    assert len(wrapped) == 3 and all(isinstance(s, AlphabetSession) for s in wrapped)
    assert len({id(s._kinds) for s in wrapped}) == 1
    assert len({id(s._words[0]) for s in wrapped}) == 1  # the letters' table
    assert len({id(s) for s in wrapped}) == 3  # each session its own wrapper


def foreign(text: str) -> list[str]:
    return [c for c in text if not allowed(c) and not unicodedata.category(c).startswith("Z")]


@pytest.mark.slow
def test_a_scanned_german_invoice_reads_its_percent_signs(data_dir: Path) -> None:
    """The taxi invoice's fax-quality scan: the model's own alphabet reads its tax rate "7 %"
    as "7号" (PP-OCRv6, detector at 1280 px); kept to the Latin one, "7%"."""
    path = data_dir / "de_intarsys_taxifahrt_g4.tif"
    with Image.open(path) as image:
        page = PageImage(path, 0, image.convert("L"), 300.0)
    texts = {}
    for alphabet in ("full", "latin"):
        options = RapidOcrOptions(
            engine="rapidocr", instances=1, detection_side=1280, alphabet=alphabet
        )
        backend = RapidOcrBackend("rapidocr", options)
        try:
            texts[alphabet] = backend.recognize(page).text
        finally:
            backend.close()

    if not foreign(texts["full"]):
        pytest.skip("this RapidOCR model reads the page without foreign characters")
    assert foreign(texts["latin"]) == []
    assert texts["latin"].count("7%") >= texts["full"].count("7号") == 2
    # every line without a foreign character reads as before
    clean = [line for line in texts["full"].splitlines() if not foreign(line)]
    assert set(clean) <= set(texts["latin"].splitlines())


def test_a_reader_s_tick_beside_a_line_is_not_read_as_a_radical_sign(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data set's invoice with a ballpoint tick left of a line (``copies.py --modes
    marked``): the model read it as "√" glued to the line's first word ("√Hausbesuch")."""
    from benchmark_scripts import BENCHMARKS, load_script

    from ablage_desktop.engine.intake.documents import IntakeLimits, open_document

    monkeypatch.syspath_prepend(str(BENCHMARKS))
    copies = load_script("copies.py", "copies_for_ticks")
    with open_document(data_dir / "de_ferd_physiotherapeut.pdf", IntakeLimits()) as document:
        marked = copies.marked(document.page(0).image)
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        text = backend.recognize(PageImage(Path("invoice.png"), 0, marked, 300.0)).text
    finally:
        backend.close()
    assert "Hausbesuch" in text and "√" not in text
