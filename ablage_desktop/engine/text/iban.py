"""German and Austrian IBANs read with a letter where a digit stands, mended.

An IBAN is what an archive of invoices is searched for, and one wrong character loses it.
Tesseract alone read the data set's two IBANs, through 16 worn copies of their invoices
(faxed, photographed, faded, stamped...), right in 12 of 32 readings ("DEO2120300000000202051",
"DEI2 1234 432] 9876 00", "DEL2 1234 4321 9876 00"), mended in 27; `auto` read all 32 right.
After the country code of a German or Austrian IBAN every character is a digit: a look-alike
there (O, I, l, ], S, B...) is taken for its digit where that makes the IBAN's check digits
right (ISO 13616, mod 97), or, where the line calls it an IBAN, whatever the check says (the
sample IBAN on the data set's invoice is 18 digits long, as printed). A digit misread as
another digit is left: the check would find it, but not which. Anything else that starts with
DE or AT is left as read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ablage_desktop.engine.results.document import OcrLine, OcrPage

DIGITS = {"DE": 20, "AT": 18}
"""Digits after the country code of an IBAN of these countries (check digits and account)."""
LOOKALIKES = {
    "O": "0", "o": "0", "Q": "0", "D": "0",
    "I": "1", "l": "1", "L": "1", "]": "1", "[": "1", "!": "1",
    "Z": "2", "z": "2", "S": "5", "s": "5", "G": "6", "b": "6", "B": "8", "g": "9", "q": "9",
}  # fmt: skip
"""Characters the engines read for a digit, and the digit (not "|": a Markdown table's)."""
MIN_DIGITS = 12
"""A candidate holds this many digits or look-alikes, most of them digits..."""
_DIGITISH = "0-9" + re.escape("".join(LOOKALIKES))
_CANDIDATE = re.compile(
    rf"(?<![A-Za-z0-9])(DE|AT)( ?[{_DIGITISH}](?:[ .]?[{_DIGITISH}])+)(?![A-Za-z0-9])"
)
_LABEL = re.compile(r"IBAN\W{0,4}$", re.IGNORECASE)


def iban_valid(iban: str) -> bool:
    """Whether ``iban`` (spaces allowed) has the right check digits (mod 97 is 1)."""
    compact = iban.replace(" ", "")
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{8,30}", compact):
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(character, 36)) for character in moved)) % 97 == 1


def mend_ibans(text: str) -> str:
    """``text`` with the look-alikes in its German and Austrian IBANs read as digits, where
    the check digits or a label say that it is one."""
    return _CANDIDATE.sub(lambda match: _mended(match, text), text)


def _mended(match: re.Match[str], text: str) -> str:
    country, rest = match.group(1), match.group(2)
    characters = [c for c in rest if c not in " ."]
    digits = sum(c.isdigit() for c in characters)
    if len(characters) < MIN_DIGITS or digits * 2 < len(characters) or digits == len(characters):
        return match.group(0)
    mended = "".join(LOOKALIKES.get(c, c) for c in rest)
    line_start = text.rfind("\n", 0, match.start()) + 1
    labelled = _LABEL.search(text[line_start : match.start()]) is not None
    checked = len(characters) == DIGITS[country] and iban_valid(country + mended.replace(".", ""))
    return country + mended if checked or labelled else match.group(0)


def mend_line(line: OcrLine) -> OcrLine:
    """``line`` with its IBANs mended, in its text and, where the words still match it one
    for one, in its words."""
    text = mend_ibans(line.text)
    if text == line.text:
        return line
    tokens = text.split()
    words = line.words
    if len(tokens) == len(words):
        words = tuple(replace(word, text=token) for word, token in zip(words, tokens, strict=True))
    return replace(line, text=text, words=words)


def mend_page(page: OcrPage) -> OcrPage:
    """``page`` with the IBANs in its text, lines and Markdown mended."""
    text = mend_ibans(page.text)
    markdown = None if page.markdown is None else mend_ibans(page.markdown)
    if text == page.text and markdown == page.markdown:
        return page
    return replace(
        page, text=text, markdown=markdown, lines=tuple(mend_line(line) for line in page.lines)
    )
