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
makes another word ("CEO" read "LEO").

The lists are pyspellchecker's German and English word-frequency lists (MIT), read from the
package's data when the engine loads (0.25 s) and kept as a sorted array of the words'
hashes: +8 MiB resident for their 500,000 words, where a set of the strings held about 40.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ablage_desktop.engine.backends.rapidocr_kinds import characters_of, swap_at
from ablage_desktop.engine.memory.probe import glibc

log = logging.getLogger(__name__)

LANGUAGES = ("de", "en")
MIN_LETTERS = 5
NEXT_GUESS = 0.05
"""A letter's score as a share of the model's best at that position, from which it is a
guess worth trying (as ``rapidocr_kinds.NEXT_GUESS``). On the data set the slips mended had
their letter at 0.054-0.71 of the best (benchmarks/RESULTS.md)."""
GUESSES = 5
"""The model's next guesses tried at each letter, best first."""


class WordList:
    """Words, lowercased, as a sorted array of their hashes (``hash`` of ``str``: salted per
    process, and the list is made in the process that asks it)."""

    def __init__(self, words: Iterable[str]) -> None:
        hashes = np.sort(np.fromiter(map(hash, map(str.lower, words)), dtype=np.int64))
        # each once (a word of both lists twice), by the sort: np.unique took 10x as long
        self._hashes = hashes[np.concatenate(([True], hashes[1:] != hashes[:-1]))]

    def __len__(self) -> int:
        return int(self._hashes.size)

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        key = hash(word.lower())
        at = int(np.searchsorted(self._hashes, key))
        return at < self._hashes.size and int(self._hashes[at]) == key

    @classmethod
    def of_languages(cls, languages: Sequence[str] = LANGUAGES) -> WordList | None:
        """pyspellchecker's lists of ``languages``; None, logged, where the package or a list
        is missing (the recogniser then reads as it did without)."""
        words: list[str] = []
        try:
            resources = importlib.resources.files("spellchecker") / "resources"
            for language in languages:
                with gzip.open(str(resources / f"{language}.json.gz"), "rt", encoding="utf-8") as f:
                    words.extend(_keys(f.read()))
        except (ImportError, OSError, ValueError) as exc:
            log.warning("RapidOCR reads without word lists: %s", exc)
            return None
        made = cls(words)
        del words
        libc = glibc()
        if libc is not None:  # the lists' strings, freed, would stay in the heap: +39 MiB
            libc.malloc_trim(0)
        return made


def _keys(text: str) -> list[str]:
    """The words of a list (a JSON object of word and count, a pair a line): by a pattern,
    a third of ``json.loads``' time, and by ``json.loads`` where the pattern finds none."""
    found = _KEY.findall(text)
    return found if found else list(json.loads(text))


_KEY = re.compile(r'^"([^"\\]+)": \d+,?$', re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Letters:
    """Of the model's output columns (blank first): which are letters, capitals, and each
    one's letter without its marks."""

    letter: np.ndarray
    upper: np.ndarray
    plain: tuple[str, ...]
    characters: tuple[str, ...]

    @classmethod
    def of(cls, characters: Sequence[str]) -> Letters:
        def single(c: str) -> bool:
            return len(c) == 1 and c.isalpha()

        return cls(
            np.fromiter((single(c) for c in characters), dtype=bool, count=len(characters)),
            np.fromiter((single(c) and c.isupper() for c in characters), dtype=bool),
            tuple(unicodedata.normalize("NFD", c)[:1].lower() for c in characters),
            tuple(characters),
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
            mend = _mend(scores[line], word, letters, words)
            if mend is not None:
                steps, column = mend
                scores = swap_at(scores, line, steps, column, best[line])
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


def _mend(
    scores: np.ndarray, word: list[tuple[int, np.ndarray]], letters: Letters, words: WordList
) -> tuple[np.ndarray, int] | None:
    """Where and to which column the word is mended: the one guess that makes a listed word
    (one word, whichever its case, from the best-scoring letter); None for none or several."""
    text = "".join(letters.characters[column] for column, _ in word)
    if text in words:
        return None
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
    if len(found) != 1:
        return None
    _, steps, guess = next(iter(found.values()))
    return steps, guess
