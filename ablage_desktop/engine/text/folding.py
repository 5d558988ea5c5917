"""Text as the archive's search compares it: without case and diacritics, "ß" as "ss".

German office paper writes one word several ways ("Straße", "STRASSE", "Strasse"), OCR drops
umlauts ("Fälligkeit" read as "Falligkeit"), and its nouns are compounds: "Rechnung" is part
of "Handelsrechnung" and "Rechnungsnummer". So a search word is found inside longer words too
(``SUBSTRING_MIN`` characters and more), once both are folded; the archive indexes the folded
text in trigrams for that, and the window marks the hits it shows with ``find_words``.
"""

from __future__ import annotations

import re
import unicodedata

SUBSTRING_MIN = 3
"""Folded characters a word needs to be found inside longer words (the trigram index's
least); shorter words ("am", "30") are found as whole words only."""


def _fold_char(char: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", char) if not unicodedata.combining(c))
    return base.casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded ("Fälligkeit" -> "falligkeit", "Straße" -> "strasse"), and for each
    index of the result the index in ``text`` it came from."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        for part in _fold_char(char):
            parts.append(part)
            origin.append(index)
    return "".join(parts), origin


def folded(text: str) -> str:
    """``text`` folded, without the map (what the archive's substring index holds): as
    ``fold`` folds it character by character, but on the whole string at once: 7x faster
    on German text, 1,000x on ASCII (every page committed, and an older archive's pages
    indexed with it once, ``archive/schema.fill_pages_sub``)."""
    if text.isascii():
        return text.lower()
    base = unicodedata.normalize("NFD", text)
    return "".join(c for c in base if not unicodedata.combining(c)).casefold()


def word_parts(word: str) -> list[str]:
    """A search word's folded parts: "30.10.2018" -> ["30", "10", "2018"]."""
    return re.findall(r"\w+", folded(word.rstrip("*")))


def inside_words(word: str) -> bool:
    """Whether ``word`` is also found inside longer words (a single part, long enough)."""
    parts = word_parts(word)
    return len(parts) == 1 and len(parts[0]) >= SUBSTRING_MIN


def find_words(text: str, words: str) -> list[tuple[int, int]]:
    """Where the search words ``words`` occur in ``text``: sorted, merged ``(start, end)``.

    Matches as the archive's search does: case and diacritics ignored; a word with
    punctuation ("30.10.2018") as its parts in a row, whole; a short word ("am") whole; a
    longer one ("strasse") also inside longer words ("Waldstraße"); ``word*`` as a prefix.
    """
    text_folded, origin = fold(text)
    spans: list[tuple[int, int]] = []
    for word in words.split():
        parts = word_parts(word)
        if not parts:
            continue
        if inside_words(word):
            pattern = re.escape(parts[0])
        else:
            tail = r"\w*" if word.endswith("*") else r"(?!\w)"
            pattern = r"(?<!\w)" + r"\W+".join(re.escape(part) for part in parts) + tail
        for match in re.finditer(pattern, text_folded):
            if match.end() > match.start():
                spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
