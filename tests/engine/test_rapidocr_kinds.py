"""A character RapidOCR reads out of kind with its neighbours ("Fu1ler", "VinyI", "4O11")
takes the model's own next guess of the right kind where that scored well; words meant that
way ("GmbH", "V2A", "LinkedIn", "KfW") and characters whose right reading the model barely
considered stay."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from ctc_scores import read as read_ctc
from ctc_scores import scripted

from ablage_desktop.engine.backends.rapidocr_alphabet import AlphabetSession, alphabet_mask
from ablage_desktop.engine.backends.rapidocr_kinds import CharacterKinds, read_in_kind

CHARACTERS = ["blank", "F", "u", "1", "l", "e", "r", "I", "y", "4", "O", "o", "0", "G", "m", "b"]
CHARACTERS += ["H", "h", "V", "2", "A", " ", "号", "%", "n", "d", "k", "f", "W", "w"]
KINDS = CharacterKinds.of(CHARACTERS)


def scores(*positions: str | dict[str, float]) -> np.ndarray:
    return scripted(CHARACTERS, *positions)


def decode(table: np.ndarray, line: int = 0) -> str:
    return read_ctc(CHARACTERS, table, line)


def test_the_kinds_of_the_models_characters() -> None:
    assert [CHARACTERS[i] for i in np.flatnonzero(KINDS.digit)] == ["1", "4", "0", "2"]
    assert "blank" not in [CHARACTERS[i] for i in np.flatnonzero(KINDS.letter)]
    assert KINDS.lower[CHARACTERS.index("l")] and not KINDS.lower[CHARACTERS.index("I")]


def test_a_digit_between_small_letters_takes_the_letter_the_model_nearly_read() -> None:
    # the form's "Fu1ler": "1" 0.501, "l" 0.497
    table = scores("F", "u", {"1": 0.501, "l": 0.497}, "l", "e", "r")
    assert decode(table) == "Fu1ler"
    assert decode(read_in_kind(table, KINDS)) == "Fuller"


def test_a_capital_ending_small_letters_takes_the_small_one() -> None:
    # "VinyI": "I" 0.713, "1" 0.174, "l" 0.109; the digit is not of the kind asked for
    table = scores("V", "u", "y", {"I": 0.713, "1": 0.174, "l": 0.109})
    assert decode(read_in_kind(table, KINDS)) == "Vuyl"


def test_a_letter_between_digits_takes_the_digit() -> None:
    table = scores("4", {"O": 0.6, "0": 0.35, "o": 0.05}, "1", "1")
    assert decode(read_in_kind(table, KINDS)) == "4011"


def test_words_meant_that_way_stay() -> None:
    # "GmbH": the model gave "h" 0.001 of "H"; "V2A": no letter near the digit
    table = scores("G", "m", "b", {"H": 0.999, "h": 0.001})
    assert decode(read_in_kind(table, KINDS)) == "GmbH"
    table = scores("V", {"2": 0.99, "l": 0.003}, "A")
    assert decode(read_in_kind(table, KINDS)) == "V2A"
    # the right kind scored below a twentieth of the best: the model did not consider it
    table = scores("u", {"1": 0.9, "l": 0.04}, "e")
    assert decode(read_in_kind(table, KINDS)) == "u1e"


def test_a_capital_inside_a_word_or_drawn_like_its_small_letter_stays() -> None:
    """Generated lines at 10 px: "LinkedIn" would read "Linkedln", "NetzWerk" "Netzwerk"
    with the capital taken as out of kind there; only size tells "KfW" from "Kfw"."""
    table = scores("k", "e", "d", {"I": 0.6, "l": 0.4}, "n")
    assert decode(read_in_kind(table, KINDS)) == "kedIn"
    table = scores("k", "f", {"W": 0.6, "w": 0.4})
    assert decode(read_in_kind(table, KINDS)) == "kfW"


def test_characters_in_kind_are_untouched() -> None:
    table = scores("F", "u", "l", "l", "e", "r", " ", "4", "0", "1", "1")
    read = read_in_kind(table.copy(), KINDS)
    assert read.tolist() == table.tolist()


def test_a_swap_that_would_run_into_its_neighbour_is_left() -> None:
    """CTC reads two neighbouring positions of one character as one: "1" right after "l"
    with no blank between would make "Fu1ler" "Fuler"."""
    table = np.full((1, 5, len(CHARACTERS)), 0.0001, dtype=np.float32)
    for step, (character, score) in enumerate(
        [("u", 0.99), ("1", 0.5), ("l", 0.99), ("blank", 0.99), ("e", 0.99)]
    ):
        table[0, step, CHARACTERS.index(character)] = score
    table[0, 1, CHARACTERS.index("l")] = 0.45
    assert decode(read_in_kind(table, KINDS)) == "u1le"


def test_a_character_spanning_several_steps_is_swapped_at_each() -> None:
    table = scores("u", {"1": 0.6, "l": 0.4}, "e")
    table = np.concatenate([table[:, :2], table[:, 2:3], table[:, 2:]], axis=1)  # "1" twice
    read = read_in_kind(table, KINDS)
    assert decode(read) == "ule"
    assert read[0, 2].max() == pytest.approx(0.6)  # the line's score counts what was read


def test_every_line_of_a_batch_is_read_on_its_own() -> None:
    first = scores("F", "u", {"1": 0.501, "l": 0.497}, "l", "e", "r")
    second = scores("G", "m", "b", "H", " ", " ")
    read = read_in_kind(np.concatenate([first, second]), KINDS)
    assert [decode(read, 0), decode(read, 1)] == ["Fuller", "GmbH  "]


def test_the_recognition_session_reads_in_kind_after_the_alphabet() -> None:
    class Scripted:
        def __init__(self, table: np.ndarray) -> None:
            self.table = table

        def __call__(self, batch: np.ndarray) -> np.ndarray:
            self.table.flags.writeable = False  # as an inference engine's own buffer
            return self.table

    # "7号" with "%" next: the alphabet first; "u1e": then the kind
    table = scores("u", {"1": 0.5, "l": 0.45, "号": 0.6}, "e")
    session = AlphabetSession(Scripted(table), alphabet_mask(CHARACTERS), KINDS)
    assert decode(session(np.zeros(1))) == "ule"
    assert decode(table) == "u号e"
    plain = AlphabetSession(Scripted(table), alphabet_mask(CHARACTERS))
    assert decode(plain(np.zeros(1))) == "u1e"


@pytest.mark.slow
def test_a_small_print_form_reads_its_words(data_dir: Path) -> None:
    """The 100 dpi chemical form: RapidOCR's own argmax reads "Fu1ler" and "VinyI"."""
    from PIL import Image

    from ablage_desktop.engine.backends.rapidocr import RapidOcrBackend, RapidOcrOptions
    from ablage_desktop.engine.intake.documents import PageImage

    path = data_dir / "funsd_0060024314.png"
    with Image.open(path) as image:
        page = PageImage(path, 0, image.convert("RGB"), 100.0)
    backend = RapidOcrBackend("rapidocr", RapidOcrOptions(engine="rapidocr", instances=1))
    try:
        words = backend.recognize(page).text.split()
    finally:
        backend.close()
    assert "Fuller" in words and "Vinyl" in words
    assert "Fu1ler" not in words and "VinyI" not in words
