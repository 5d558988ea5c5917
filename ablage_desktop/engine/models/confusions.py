"""RapidOCR's digit-for-letter slips mended where Tesseract, sure of the word, read the letter.

On small or faint print RapidOCR's recogniser reads a letter as the digit drawn like it inside
a word ("Fu1ler", "E1in") or a capital I for a final small l ("VinyI"), and now and then the
other way round inside a number ("4O11"). Tesseract reads words with its dictionary and knows
when it is sure. A character of RapidOCR's that is one of these look-alikes, in a place where
it is out of kind (a digit between letters, a letter between digits, an I ending small
letters), takes the character Tesseract read at that very place, if that is its look-alike
and Tesseract is sure of the word it belongs to. Nothing else in the line changes; without
Tesseract's word there, RapidOCR's reading stands.

RapidOCR also reads the Turkish dotless ı as an i ("Yilmaz" for Yılmaz, a name German letters
often hold), wherever it stands; Tesseract's German model writes ı, and a word it read with
one where the paper shows the dot is doubted (``word_marks``: a mark its text cannot have).
An i of RapidOCR's takes Tesseract's ı the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ablage_desktop.engine.models.line_words import SURE
from ablage_desktop.engine.results.document import OcrWord

LOOK_ALIKES: dict[str, str] = {
    "1": "lIi",
    "0": "oO",
    "5": "Ss",
    "8": "B",
    "I": "l1",
    "l": "1",
    "O": "0",
    "o": "0",
    "S": "5",
    "B": "8",
    "i": "ı",  # wherever it stands (see the module's docstring)
}
"""What each character RapidOCR reads may really be."""


def suspects(word: str) -> list[int]:
    """Offsets in ``word`` (no spaces) of characters out of kind with their neighbours."""
    found = []
    for offset, ch in enumerate(word):
        before = word[offset - 1] if offset else ""
        after = word[offset + 1] if offset + 1 < len(word) else ""
        if ch.isdigit() and before.isalpha() and after.isalpha():
            found.append(offset)  # Fu1ler
        elif ch.isalpha() and before.isdigit() and after.isdigit():
            found.append(offset)  # 4O11
        elif ch == "I" and before.islower() and (not after or after.islower()):
            found.append(offset)  # VinyI
    return [offset for offset in found if word[offset] in LOOK_ALIKES]


def mended_word(word: str, seen: Sequence[OcrWord]) -> str | None:
    """``word`` with its suspects taken from Tesseract's ``seen`` words on the same line
    where that is sure (see the module's docstring), or None when nothing changes.

    Tesseract's words are read as one run of characters; ``word`` must stand in it exactly
    once with every other character as RapidOCR read it, each suspect either the same or
    one of its look-alikes."""
    dotted = {offset for offset, ch in enumerate(word) if ch == "i"}  # maybe a dotless ı
    offsets = sorted(set(suspects(word)) | dotted)
    if not offsets or not seen:
        return None
    helper: list[str] = []
    owner: list[OcrWord] = []
    for found in seen:
        for ch in found.text:
            if not ch.isspace():
                helper.append(ch)
                owner.append(found)
    allowed = [
        word[k] + LOOK_ALIKES[word[k]] if k in offsets else word[k] for k in range(len(word))
    ]
    starts = [
        start
        for start in range(len(helper) - len(word) + 1)
        if all(helper[start + k] in allowed[k] for k in range(len(word)))
    ]
    if len(starts) != 1:
        return None  # not there, or there twice
    (start,) = starts
    chars = list(word)
    for offset in offsets:
        if owner[start + offset].confidence >= SURE:
            chars[offset] = helper[start + offset]
    mended = "".join(chars)
    return mended if mended != word else None
