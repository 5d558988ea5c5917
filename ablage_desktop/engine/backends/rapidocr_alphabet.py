"""The characters RapidOCR's recogniser may answer with on German and English paper.

Its PP-OCR model knows 18,710 characters, 15,908 of them Chinese and others kana, Hangul,
full-width forms and emoji: on a German invoice it read "7 %" as "7号". A character a page in
these languages cannot hold is never the right answer, so where the model's best guess for a
position is one, the best of the characters that can stand there is taken instead (or none,
where that is the CTC blank). Only those positions are changed: a line that reads in the
alphabet reads exactly as before, but for a character out of kind with its neighbours
("Fu1ler"), which takes the model's own next guess of the right kind where it scored well
(``rapidocr_kinds``), and a word misread by one letter, which takes the model's next guess
that makes it a word of the German or English lists (``rapidocr_lexicon``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ablage_desktop.engine.backends.rapidocr_kinds import CharacterKinds, read_in_kind
from ablage_desktop.engine.backends.rapidocr_lexicon import Letters, WordList, read_as_words

log = logging.getLogger(__name__)

Alphabet = Literal["latin", "full"]

FOREIGN_RANGES: tuple[tuple[int, int], ...] = (
    (0x0400, 0x052F),  # Cyrillic: а е о р с х look like Latin letters
    (0x0530, 0x1DFF),  # Armenian, Hebrew, Arabic, the Indic scripts, Thai, Georgian, Hangul Jamo...
    (0x2460, 0x24FF),  # circled digits and letters (①, Ⓐ), confused with plain ones
    (0x2E80, 0xA4CF),  # CJK radicals and symbols, kana, Bopomofo, Hangul, CJK ideographs, Yi
    (0xAC00, 0xD7FF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # full-width and half-width forms (full-width digits and Latin letters)
    (0x1F000, 0x10FFFF),  # emoji, mahjong and playing cards, the CJK extensions
)
"""Unicode blocks of scripts and forms that German and English office paper does not hold."""

PEN_MARKS = frozenset("√")
"""The sign the model reads a reader's handwritten tick as ("√Zu- und Abschläge:", "√ Seite 2
von 2" on the data set with a tick beside a line, ``copies.py --modes marked``): a radical
sign has no place on this paper, a tick in the margin is not text. Without it the model's next
guess at the tick's positions is the blank: the tick is not read at all. (A printed check
mark, ✓, stays: forms print them.)"""
GREEK_LOOKALIKES = frozenset("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρυϲϳ")
"""Greek letters drawn like Latin ones: the Greek the paper holds (µ, Ω, α, Δ in units and
formulas) stays, these would only stand in for a Latin letter."""


def allowed(character: str) -> bool:
    """Whether a Latin-script page can hold ``character`` (a symbol of the model's list)."""
    if len(character) != 1:  # the CTC blank's placeholder and other multi-character entries
        return True
    if character in GREEK_LOOKALIKES or character in PEN_MARKS:
        return False
    code = ord(character)
    return not any(low <= code <= high for low, high in FOREIGN_RANGES)


def alphabet_mask(characters: Sequence[str]) -> np.ndarray:
    """Which of the model's output columns (blank first, in its order) may be answered."""
    return np.fromiter((allowed(c) for c in characters), dtype=bool, count=len(characters))


class AlphabetSession:
    """An onnxruntime recognition session whose per-position scores never pick a character
    outside the alphabet: at positions where the model's best is one, its columns are zeroed
    so that the decoder's argmax falls on the best allowed one. With ``kinds``, a character
    out of kind with its neighbours then takes the model's next guess of the right kind
    (``rapidocr_kinds``)."""

    def __init__(
        self,
        session: Any,
        mask: np.ndarray,
        kinds: CharacterKinds | None = None,
        words: tuple[Letters, WordList] | None = None,
    ) -> None:
        self._session = session
        self._foreign = ~mask
        self._kinds = kinds
        self._words = words

    def __call__(self, batch: np.ndarray) -> np.ndarray:
        scores = self._session(batch)
        if scores.ndim != 3 or scores.shape[-1] != self._foreign.shape[0]:
            return scores  # not the per-position scores this was made for: leave them
        best = scores.argmax(axis=-1)
        outside = self._foreign[best]
        if outside.any():
            if not scores.flags.writeable:  # an inference engine's own buffer
                scores = scores.copy()
            rows = scores[outside]
            rows[:, self._foreign] = 0.0
            scores[outside] = rows
            best[outside] = rows.argmax(axis=-1)
        if self._kinds is not None:
            scores = read_in_kind(scores, self._kinds, best)
        if self._words is not None:  # after the kinds' swaps: the argmax again
            scores = read_as_words(scores, *self._words)
        return scores

    def __getattr__(self, name: str) -> Any:
        return getattr(self._session, name)


@dataclass(frozen=True, slots=True)
class CharacterTables:
    """What the alphabet, the kinds and the lexicon know of a recogniser's characters: the
    same for every session of one model, so made once for a load's sessions (each of the
    three made them for itself: RapidOCR's load took 0.86-1.0 s, now 0.77-0.86 s)."""

    characters: tuple[str, ...]
    mask: np.ndarray
    kinds: CharacterKinds
    letters: Letters

    @classmethod
    def of(cls, characters: Sequence[str]) -> CharacterTables:
        return cls(
            tuple(characters),
            alphabet_mask(characters),
            CharacterKinds.of(characters),
            Letters.of(characters),
        )


def restrict(
    engine: Any,
    alphabet: Alphabet,
    words: WordList | None = None,
    tables: CharacterTables | None = None,
) -> CharacterTables | None:
    """Keep a ``RapidOCR`` instance's recogniser to ``alphabet`` ("full": the model's own),
    and with ``words`` a word misread by one letter to the listed word the model's next
    guess makes (``rapidocr_lexicon``). Returns the tables of its characters, which the next
    session of the same model takes as ``tables`` (made again where its characters differ).

    Loads the recogniser (RapidOCR otherwise loads it on the first page). A RapidOCR whose
    insides differ from those this was written against reads with the model's own alphabet,
    and says so."""
    if alphabet == "full":
        return tables
    try:
        recogniser = engine._load_rec_model()
        characters = recogniser.postprocess_op.character
        session = recogniser.session
    except AttributeError as exc:
        log.warning("RapidOCR reads with its whole alphabet: %s", exc)
        return tables
    if isinstance(session, AlphabetSession):
        return tables
    if tables is None or tables.characters != tuple(characters):
        tables = CharacterTables.of(characters)
    lexicon = None if words is None else (tables.letters, words)
    recogniser.session = AlphabetSession(session, tables.mask, tables.kinds, lexicon)
    log.debug(
        "RapidOCR's recogniser kept to %d of %d characters", tables.mask.sum(), tables.mask.size
    )
    return tables
