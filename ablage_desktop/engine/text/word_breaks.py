"""Where a word as an engine printed it may be two run together: the kinds of break RapidOCR's
recogniser drops (see ``models/combine.py`` for where they were found and measured), shared by
the spaces put back from Tesseract's words and from the ink of the line itself, and the kinds
either engine glues across a gap the ink shows (``gap_break``)."""

from __future__ import annotations

import re

BREAK_AFTER = frozenset(".:;)%")
_DATE_THEN_DIGIT = re.compile(
    r"(?:\d{1,2}[./-]\d{1,2}[./-]\d{4}|\d{4}[./-]\d{1,2}[./-]\d{2})(?=\d)"
)
_DIGIT_THEN_TIME = re.compile(r"(?<=\d)\d{2}:\d{2}")


def glued_date_or_time(word: str) -> set[int]:
    """Where a date or a time may be glued to the number before or after it: after a date
    with its year ("20.03.201817:09:28", "2016/05/0114:11:20") and before a time's two hour
    digits that follow another digit. Any other break between two digits is inside a number."""
    return {match.end() for match in _DATE_THEN_DIGIT.finditer(word)} | {
        match.start() for match in _DIGIT_THEN_TIME.finditer(word)
    }


def dropped_break(word: str, offset: int) -> bool:
    """Whether a break before ``word[offset]`` is one RapidOCR drops: small letters meet a
    number, a capitalised word follows a small letter, a letter or digit follows a colon, full
    stop, semicolon, bracket or per cent sign (but not 30.10.2018 or 14:11), a letter comes
    before a colon, or a date or time is glued to another number.

    Tesseract also splits inside words now and then ("Te lefax", "16, 90"); those breaks
    (between two small letters, inside a number) are never taken over.
    """
    before, after = word[offset - 1], word[offset]
    earlier = word[offset - 2] if offset >= 2 else ""
    later = word[offset + 1] if offset + 1 < len(word) else ""
    if before in BREAK_AFTER:
        if before == ":" and ":" in word[: offset - 1]:
            return False  # a label ends at its first colon; later ones are the value's (urn:...)
        # 30.10.2018, 14:11: one word
        return after.isalnum() and not (earlier.isdigit() and after.isdigit())
    if after == ":" and later:
        return before.isalpha()  # "Nummer : 4711", as receipts and some invoices print it
    if before.isdigit() and after.isdigit():
        return offset in glued_date_or_time(word)
    return (
        (before.islower() and earlier.islower() and after.isdigit())
        or (before.isdigit() and after.islower() and later.islower())
        or (before.islower() and after.isupper() and later.islower())
    )


def gap_break(word: str, offset: int) -> bool:
    """Whether a wide ink gap before ``word[offset]`` is a space: the breaks RapidOCR drops,
    a number before a per cent sign ("7 %", as DIN 5008 prints it) and a leading minus
    ("- 2,00"). Other gaps inside a word are letter spacing ("Fu1 ler", "30 .10 .2018")."""
    before, after = word[offset - 1], word[offset]
    if before.isdigit() and after == "%":
        return True
    if offset == 1 and before == "-" and after.isdigit():
        return True
    return dropped_break(word, offset)
