"""A word RapidOCR misreads by one letter ("Tolal", "PRODLCT") is read as the listed word the
model's own next guess at that letter makes; known words, names the lists lack, marks, short
words and guesses the model barely considered stay as read."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from ctc_scores import read as read_ctc
from ctc_scores import scripted

from ablage_desktop.engine.backends.rapidocr_lexicon import (
    Letters,
    WordList,
    list_hashes,
    read_as_words,
    word_hash,
)

CHARACTERS = ["blank", *"TotalPRODUCTLpdrucktheMmüllerMü", " ", "1", "á", "c", "b", "s", *"FEinjR"]
CHARACTERS = list(dict.fromkeys(CHARACTERS))  # each column once, the blank first
LETTERS = Letters.of(CHARACTERS)
WORDS = WordList.of_words(
    [
        "total",
        "product",
        "tobacco",
        "three",
        "throe",
        "müller",
        "miller",
        "floor",
        "floors",
        "floods",
        "redeemed",
        "uncommon",
        "subject",
        "email",
        "there",
    ]
)


def scores(*positions: str | dict[str, float]) -> np.ndarray:
    return scripted(CHARACTERS, *positions)


def decode(table: np.ndarray, line: int = 0) -> str:
    return read_ctc(CHARACTERS, table, line)


def read(*positions: str | dict[str, float]) -> str:
    return decode(read_as_words(scores(*positions), LETTERS, WORDS))


def test_a_word_misread_by_one_letter_takes_the_models_guess_that_makes_it_a_word() -> None:
    assert read("T", "o", {"l": 0.6, "t": 0.2}, "a", "l") == "Total"
    # a word of capitals takes a capital: a small "u" scored higher is no guess for it
    product = ("P", "R", "O", "D", {"L": 0.6, "u": 0.3, "U": 0.1}, "C", "T")
    assert read(*product) == "PRODUCT"
    assert read(*product, " ", "1", "1") == "PRODUCT 11"  # the line's other words as they are


def test_known_words_names_and_guesses_the_model_barely_made_stay() -> None:
    assert read("T", "o", "t", "a", "l") == "Total"
    assert read("T", "o", {"l": 0.9, "t": 0.02}, "a", "l") == "Tolal"  # under NEXT_GUESS
    assert read("M", "u", "l", {"d": 0.9, "e": 0.3}, "r") == "Muldr"  # no guess makes a word
    assert read("T", "o", "l", "a") == "Tola"  # four letters: too short to judge


def test_two_words_to_choose_from_leave_it_as_read() -> None:
    # "Thrxe": "three" and "throe" both one guess away
    assert read("T", "h", "r", {"s": 0.6, "e": 0.3, "o": 0.3}, "e") == "Thrse"


def test_a_mark_is_neither_taken_off_nor_put_on() -> None:
    assert read("T", "o", "b", "á", "c", "c", "o") == "Tobácco"  # "tobacco" is listed
    assert read("M", {"u": 0.6, "ü": 0.3}, "l", "l", "e", "r") == "Muller"


def test_the_same_word_in_either_case_is_one_word() -> None:
    # the first letter of a word may be a capital or not: "Total" and "total" are one word
    assert read({"L": 0.6, "T": 0.3, "t": 0.2}, "o", "t", "a", "l") == "Total"


def test_a_dropped_letter_the_blank_outscored_is_put_back() -> None:
    """The model read the blank where its scores held the letter too: at the word's end, at
    its start, between two letters, and a letter the same as its neighbour where a blank
    parts the two."""
    assert read("s", "u", "b", "j", "e", "c", {"blank": 0.6, "t": 0.3}) == "subject"
    assert read({"blank": 0.7, "r": 0.2}, "e", "d", "e", "e", "m", "e", "d") == "redeemed"
    assert read("s", "u", "b", {"blank": 0.7, "j": 0.2}, "e", "c", "t") == "subject"
    assert read("F", "l", "o", {"blank": 0.6, "o": 0.3}, "r", "s") == "Floors"
    # among capitals a capital: the small "t" scored higher is no guess for it
    assert read("P", "R", "O", "D", "U", "C", {"blank": 0.5, "t": 0.3, "T": 0.2}) == "PRODUCT"


def test_a_letter_too_many_is_taken_out_where_the_blank_came_close() -> None:
    assert read("E", "m", {"n": 0.5, "blank": 0.45}, "a", "i", "l") == "Email"
    assert read("E", "m", {"n": 0.9, "blank": 0.02}, "a", "i", "l") == "Emnail"  # sure of it
    # one of a tripled letter, but not one of a doubled one: names double letters ("Hamann")
    assert read("u", "n", "c", "o", "m", "m", {"m": 0.5, "blank": 0.45}, "o", "n") == "uncommon"
    assert read("E", "m", {"m": 0.5, "blank": 0.45}, "a", "i", "l") == "Emmail"


def test_a_letter_put_in_or_taken_out_only_where_it_reads_one_listed_word() -> None:
    # the model barely considered the letter: under NEXT_GUESS of the blank
    assert read("s", "u", "b", "j", "e", "c", {"blank": 0.97, "t": 0.02}) == "subjec"
    # an "r" or a "d" before the "s": "floors" and "floods" both listed
    assert read("F", "l", "o", "o", {"blank": 0.6, "r": 0.3, "d": 0.3}, "s") == "Floos"
    # four letters are too short to judge, as for a guess ("Floo": "Floor")
    assert read("F", "l", "o", "o", {"blank": 0.6, "r": 0.3}) == "Floo"
    # the one step that holds the "o" touches the "o" read: CTC would read the two as one
    table = scores("F", "l", "o", "r", "s")
    table[0, 5, CHARACTERS.index("blank")] = 0.5
    table[0, 5, CHARACTERS.index("o")] = 0.4
    assert decode(read_as_words(table, LETTERS, WORDS)) == "Flors"


def test_the_word_lists_hold_german_and_english_words() -> None:
    words = WordList.of_languages()
    assert words is not None and len(words) > 400_000
    for word in ("Rechnung", "Fälligkeit", "Müller", "product", "WITHIN", "Signature"):
        assert word in words, word
    for word in ("Fälliakeit", "PRODLCT", "withln", "Tolal"):
        assert word not in words, word


def test_a_list_is_hashed_from_its_bytes_as_each_word_is_alone() -> None:
    """Words of every length (one byte, eight, nine, seventeen: the hash takes eight bytes
    at a time), with letters of two bytes; the list's order is not kept."""
    words = ["a", "ß", "rechnung", "rechnungs", "straße", "rechnungsnummer42", "über"]
    raw = ("{\n" + ",\n".join(f'"{word}": {n}' for n, word in enumerate(words)) + "\n}").encode()

    assert sorted(list_hashes(raw).tolist()) == sorted(word_hash(word) for word in words)
    assert len({word_hash(word) for word in words}) == len(words)


def test_a_list_with_escapes_or_capitals_is_read_as_json() -> None:
    raw = b'{\n"Stra\\u00dfe": 1,\n"say \\"hi\\"": 2,\n"Total": 3\n}'

    assert sorted(list_hashes(raw).tolist()) == sorted(
        word_hash(word) for word in ("straße", 'say "hi"', "total")
    )


def test_a_list_whose_quotes_do_not_pair_up_is_refused() -> None:
    with pytest.raises(ValueError, match="quotes"):
        list_hashes(b'{\n"total": 1,\n"produ: 2\n}')


@pytest.mark.slow
def test_a_coarse_receipt_reads_its_words(data_dir: Path) -> None:
    """The data set's faintest receipt through RapidOCR alone: "PRODLCT", "WITHLN" and
    "CONDLTIONS" were read without the lists, "Emnail", "subect" and "edeemed" without their
    letters taken out and put in."""
    from ablage_desktop.engine.config import load_config
    from ablage_desktop.engine.core import EngineCore
    from ablage_desktop.engine.run.jobs import OcrRequest

    engine = EngineCore(load_config())
    try:
        (document,) = engine.ocr(
            OcrRequest([data_dir / "sroie_381.jpg"], backend="rapidocr", archive=False)
        )
    finally:
        engine.close()
    text = document.text.upper()
    for word in ("PRODUCT", "WITHIN", "CONDITIONS", "EMAIL", "SUBJECT", "REDEEMED"):
        assert word in text, word
    for slip in ("PRODLCT", "WITHLN", "CONDLTIONS", "EMNAIL", "SUBECT", "EDEEMED"):
        assert not re.search(rf"\b{slip}\b", text), slip
