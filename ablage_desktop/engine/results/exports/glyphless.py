"""A glyphless TrueType font for the invisible text layer of searchable PDFs.

Two glyphs (``.notdef``, empty, and ``blank``, a box from the descent to the ascent), both
500 units wide on a 1000-unit em, ascent 800 and descent -200, no character map: the PDF maps
every character code to glyph 1 (``CIDToGIDMap``) and gives each code its Unicode value in a
``ToUnicode`` CMap, so any text, whatever its script, costs these 644 bytes once per file.
The text is drawn in render mode 3 (invisible), so the box is never seen; it gives each
character an extent of its own, without which pdfium (Chrome's viewer, the app's own
reading of PDFs) dropped every character of a line turned a quarter (a page scanned on its
side: ``pdf._turned_back``), and a tight selection box.

Made once with fontTools' ``FontBuilder`` (``setupGlyphOrder([".notdef", "blank"])``,
``TTGlyphPen`` glyphs, ``setupHorizontalMetrics`` 500/0, ``setupHorizontalHeader(800, -200)``,
name ``AblageGlyphless``, OS/2 and post tables, ``updateHead(created=0, modified=0)``), its
``blank`` glyph then drawn as the box (``TTFont(recalcTimestamp=False)``), and carried as
bytes, so that the app does not depend on fontTools; ``tests/engine/test_exports.py`` checks
its glyphs and metrics with fontTools.
"""

from __future__ import annotations

import base64

FONT_NAME = "AblageGlyphless"
UNITS_PER_EM = 1000
ADVANCE = 500
ASCENT = 800
DESCENT = -200

GLYPHLESS_TTF = base64.b64decode(
    "AAEAAAAKAIAAAwAgT1MvMkTfQ5AAAAEoAAAAYGNtYXAADABGAAABkAAAACxnbHlmA24B+AAAAcQAAAAaaGVhZFlW"
    "pDgAAACsAAAANmhoZWEFFgEuAAAA5AAAACRobXR4AfQAAAAAAYgAAAAGbG9jYQANAAAAAAG8AAAABm1heHAABAAG"
    "AAABCAAAACBuYW1lCd9bXQAAAeAAAAB4cG9zdG1nc80AAAJYAAAALAABAAAAAQAAZXUoA18PPPUAAwPoAAAAAHwl"
    "sIAAAAAAfCWwgAAA/zgB9AMgAAAAAwACAAAAAAAAAAEAAAMg/zgAAAH0AAAAAAH0AAEAAAAAAAAAAAAAAAAAAAAB"
    "AAEAAAACAAQAAQAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAwH0AZAABQAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAPz8/PwAAAAAAAAMg/zgAAAMgAMgAAAAAAAAAAAAAAAAAAAAgAAAB9AAA"
    "AAAAAAAAAAIAAAADAAAAFAADAAEAAAAUAAQAGAAAAAIAAgAAAAD//wAA//8AAQAAAAAAAAANAAAAAQAA/zgB9AMg"
    "AAMAABURIREB9MgD6PwYAAAAAAAABAA2AAEAAAAAAAEADwAAAAEAAAAAAAIABwAPAAMAAQQJAAEAHgAWAAMAAQQJ"
    "AAIADgA0QWJsYWdlR2x5cGhsZXNzUmVndWxhcgBBAGIAbABhAGcAZQBHAGwAeQBwAGgAbABlAHMAcwBSAGUAZwB1"
    "AGwAYQByAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAQIFYmxhbms="
)
