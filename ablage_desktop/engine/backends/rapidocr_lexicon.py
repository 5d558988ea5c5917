"""A word misread by one letter, read as the word the recogniser's own next guess makes.

RapidOCR's recogniser reads each position on its own and knows no words: on a coarse or
faint scan it reads "PRODLCT", "Tolal", "withln", "Condltions", and its scores at the slipped
letter know better ("U" at 0.22 of the "L" of "PRODLCT"). Tesseract reads against its word
lists; this gives RapidOCR's reading a word list too, but only through the model's own
guesses: a word of ``MIN_LETTERS`` letters or more that neither the German nor the English
list holds, where exactly one of the model's next guesses at one of its letters (scoring at
least ``NEXT_GUESS`` of its best there, a letter of the word's case, not the same letter with
or without a mark) makes a word the lists hold, is read as that word. Names, codes and
compounds the lists lack stay as read (no guess of the model makes them a listed word), and
so do accents (the lists would take the mark off "Wrocław"; ``rapidocr_alphabet`` says why a
mark is no slip to mend). Shorter words stay: among three and four letters a guess often
makes another word ("CEO" read "LEO"). Where no guess makes a listed word, a letter put in
or taken out may (``rapidocr_edits``: "Emnail", "edeemed"), to a word of ``MIN_LETTERS`` too.

The lists are pyspellchecker's German and English word-frequency lists (MIT), read from the
package's data when the engine loads (0.1 s, hashed from the files' bytes) and kept as a
sorted array of the words' hashes: +4 MiB resident for their 500,000 words, where a set of
the strings held about 40.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import logging
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ablage_desktop.engine.backends.rapidocr_edits import changed_reading
from ablage_desktop.engine.backends.rapidocr_kinds import characters_of, swap_at

log = logging.getLogger(__name__)

LANGUAGES = ("de", "en")
MIN_LETTERS = 5
NEXT_GUESS = 0.05
"""A letter's score as a share of the model's best at that position, from which it is a
guess worth trying (as ``rapidocr_kinds.NEXT_GUESS``). On the data set the slips mended had
their letter at 0.054-0.71 of the best (benchmarks/RESULTS.md)."""
GUESSES = 5
"""The model's next guesses tried at each letter, best first."""
LATIN_END = 0x024F


class WordList:
    """Words, lowercased, as a sorted array of their 64-bit hashes (``word_hash`` of their
    UTF-8 bytes: the lists' are made from their files' bytes, without a string a word)."""

    def __init__(self, hashes: np.ndarray) -> None:
        hashes = np.sort(hashes.astype(np.uint64, copy=False))
        # each once (a word of both lists twice), by the sort: np.unique took 10x as long
        self._hashes = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]

    @classmethod
    def of_words(cls, words: Iterable[str]) -> WordList:
        return cls(np.fromiter((word_hash(word.lower()) for word in words), dtype=np.uint64))

    def __len__(self) -> int:
        return int(self._hashes.size)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = np.uint64(word_hash(word.lower()))
        at = int(np.searchsorted(self._hashes, key))
        return at < self._hashes.size and self._hashes[at] == key

    @classmethod
    def of_languages(cls, languages: Sequence[str] = LANGUAGES) -> WordList | None:
        """pyspellchecker's lists of ``languages``; None, logged, where the package or a list
        is missing (the recogniser then reads as it did without)."""
        hashes: list[np.ndarray] = []
        try:
            resources = importlib.resources.files("spellchecker") / "resources"
            for language in languages:
                with gzip.open(str(resources / f"{language}.json.gz"), "rb") as f:
                    hashes.append(list_hashes(f.read()))
        except (ImportError, OSError, ValueError) as exc:
            log.warning("RapidOCR reads without word lists: %s", exc)
            return None
        return cls(np.concatenate(hashes))


MASK = (1 << 64) - 1
MULTIPLIER = 0x100000001B3
"""Of the polynomial over a word's bytes (odd, as FNV's prime), modulo 2**64."""
MIX = (0xBF58476D1CE4E5B9, 0x94D049BB133111EB)
"""splitmix64's finaliser, which spreads the polynomial's low bits over the whole hash."""


def word_hash(word: str) -> int:
    """A 64-bit hash of ``word``'s UTF-8 bytes, the same in every process (``hash`` of a
    ``str`` is salted per process); ``list_hashes`` makes the same from a list's bytes. The
    polynomial runs over the bytes eight at a time (little-endian), the last ones fewer."""
    value = 0
    data = word.encode()
    for start in range(0, len(data), 8):
        value = (value * MULTIPLIER + int.from_bytes(data[start : start + 8], "little")) & MASK
    value = ((value ^ (value >> 30)) * MIX[0]) & MASK
    value = ((value ^ (value >> 27)) * MIX[1]) & MASK
    return value ^ (value >> 31)


def list_hashes(raw: bytes) -> np.ndarray:
    """The ``word_hash`` of each word of a list (a JSON object of lowercase words and their
    counts, a pair a line), made from its bytes: each word is what stands between the two
    quotes of its line, and the words of one length are hashed together, eight bytes at a
    time. Both lists: 0.05 s (0.1 s with their decompression), where a string a word and
    Python's ``hash`` took 0.25 s in all and 40 MiB. A list with escapes or capitals
    (pyspellchecker's have neither) is read by ``json.loads``."""
    if b"\\" in raw or raw.lower() != raw:
        return np.fromiter((word_hash(w.lower()) for w in json.loads(raw)), dtype=np.uint64)
    data = np.frombuffer(raw, dtype=np.uint8)
    quotes = np.flatnonzero(data == ord('"'))
    if quotes.size % 2:
        raise ValueError("a word list whose quotes do not pair up")
    starts, lengths = quotes[0::2] + 1, quotes[1::2] - quotes[0::2] - 1
    by_length = np.argsort(lengths, kind="stable")
    groups = np.split(by_length, np.flatnonzero(np.diff(lengths[by_length])) + 1)
    hashed = []
    for group in groups:
        if group.size == 0:
            continue
        value = np.zeros(group.size, dtype=np.uint64)
        first = starts[group]
        length = int(lengths[group[0]])
        for chunk in range(0, length, 8):
            eight = np.zeros(group.size, dtype=np.uint64)
            for position in range(chunk, min(chunk + 8, length)):
                byte = data[first + position].astype(np.uint64)
                eight |= byte << np.uint64(8 * (position - chunk))
            value = value * np.uint64(MULTIPLIER) + eight
        hashed.append(value)
    value = np.concatenate(hashed) if hashed else np.zeros(0, dtype=np.uint64)
    value = (value ^ (value >> np.uint64(30))) * np.uint64(MIX[0])
    value = (value ^ (value >> np.uint64(27))) * np.uint64(MIX[1])
    return value ^ (value >> np.uint64(31))


@dataclass(frozen=True, slots=True)
class Letters:
    """Of the model's output columns (blank first): which are letters, capitals, and each
    one's letter without its marks."""

    letter: np.ndarray
    upper: np.ndarray
    plain: tuple[str, ...]
    characters: tuple[str, ...]
    latin: np.ndarray
    """The columns of the Latin script's letters (to U+024F): the only ones that can make a
    word of the German and English lists, some 300 of the model's 18,710."""

    @classmethod
    def of(cls, characters: Sequence[str]) -> Letters:
        def single(c: str) -> bool:
            return len(c) == 1 and c.isalpha()

        return cls(
            np.fromiter((single(c) for c in characters), dtype=bool, count=len(characters)),
            np.fromiter((single(c) and c.isupper() for c in characters), dtype=bool),
            tuple(unicodedata.normalize("NFD", c)[:1].lower() for c in characters),
            tuple(characters),
            np.array(
                [at for at, c in enumerate(characters) if single(c) and ord(c) <= LATIN_END],
                dtype=np.intp,
            ),
        )


def read_as_words(
    scores: np.ndarray, letters: Letters, words: WordList, best: np.ndarray | None = None
) -> np.ndarray:
    """``scores`` (lines x time steps x columns) with each word misread by one letter read as
    the listed word the model's next guess there makes (see the module's docstring)."""
    if best is None:
        best = scores.argmax(axis=-1)
    for line in range(scores.shape[0]):
        for word in _words(characters_of(best[line]), letters):
            if _text_of(word, letters) in words:
                continue
            found = _next_guesses(scores[line], word, letters, words)
            if len(found) == 1:
                _, steps, column = next(iter(found.values()))
                scores = swap_at(scores, line, steps, column, best[line])
            elif not found:
                scores = _put_in_or_take_out(scores, line, best[line], word, letters, words)
    return scores


def _put_in_or_take_out(
    scores: np.ndarray,
    line: int,
    best: np.ndarray,
    word: list[tuple[int, np.ndarray]],
    letters: Letters,
    words: WordList,
) -> np.ndarray:
    """``scores`` with ``word`` read with a letter put in or taken out where that makes the
    one listed word the model's scores allow (``rapidocr_edits``)."""
    capitals = letters.upper[[column for column, _ in word]]
    in_capitals = bool(capitals.all())

    def allowed(index: int, column: int) -> bool:
        if not letters.letter[column]:
            return False
        upper = bool(letters.upper[column])
        if in_capitals:
            return upper
        if index:
            return not upper
        return not capitals[0]  # before a small first letter, a capital or a small one

    def listed(text: str) -> bool:
        return len(text) >= MIN_LETTERS and text in words

    edit = changed_reading(scores[line], best, word, letters, allowed, listed)
    if edit is None:
        return scores
    log.debug(
        "Read %r as %r (its path %.2f as likely)",
        _text_of(word, letters),
        edit.text,
        edit.likelihood,
    )
    if not scores.flags.writeable:  # an inference engine's own buffer
        scores = scores.copy()
    for step, column in zip(edit.steps, edit.columns, strict=True):
        row = scores[line, step]
        chosen = int(best[step])
        row[chosen], row[column] = row[column], row[chosen]
    return scores


def _words(
    runs: list[tuple[int, np.ndarray]], letters: Letters
) -> list[list[tuple[int, np.ndarray]]]:
    """The line's words: runs of letters, each letter's column and time steps."""
    found: list[list[tuple[int, np.ndarray]]] = []
    word: list[tuple[int, np.ndarray]] = []
    for column, steps in runs:
        if letters.letter[column]:
            word.append((column, steps))
            continue
        if word:
            found.append(word)
        word = []
    if word:
        found.append(word)
    return [word for word in found if len(word) >= MIN_LETTERS]


def _next_guesses(
    scores: np.ndarray, word: list[tuple[int, np.ndarray]], letters: Letters, words: WordList
) -> dict[str, tuple[float, np.ndarray, int]]:
    """The listed words one guess at one letter makes (lowercased), each with the guess's
    share, its steps and column (the best-scoring one where one word comes from several)."""
    text = _text_of(word, letters)
    capitals = letters.upper[[column for column, _ in word]]
    found: dict[str, tuple[float, np.ndarray, int]] = {}
    for index, (column, steps) in enumerate(word):
        rows = scores[steps]
        peak = rows[int(rows[:, column].argmax())]
        in_capitals = bool(np.delete(capitals, index).all())
        top = np.argpartition(peak, -GUESSES - 1)[-GUESSES - 1 :]  # not a sort of 18,710
        for guess in top[np.argsort(peak[top])[::-1]]:
            guess = int(guess)
            share = float(peak[guess] / peak[column])
            if guess == column or share < NEXT_GUESS or not letters.letter[guess]:
                continue
            if letters.plain[guess] == letters.plain[column]:
                continue  # a mark taken off or put on: no slip this mends
            upper = bool(letters.upper[guess])
            if (in_capitals and not upper) or (index and upper and not in_capitals):
                continue  # a small letter among capitals, a capital inside a small word
            made = text[:index] + letters.characters[guess] + text[index + 1 :]
            if made in words:
                known = found.get(made.lower())
                if known is None or share > known[0]:
                    found[made.lower()] = (share, steps, guess)
    return found


def _text_of(word: list[tuple[int, np.ndarray]], letters: Letters) -> str:
    return "".join(letters.characters[column] for column, _ in word)
