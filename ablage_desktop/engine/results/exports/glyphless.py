"""A glyphless TrueType font for the invisible text layer of searchable PDFs.

Two glyphs (``.notdef`` and ``blank``), both empty, both 500 units wide on a 1000-unit em,
ascent 800 and descent -200, no character map: the PDF maps every character code to glyph 1
(``CIDToGIDMap``) and gives each code its Unicode value in a ``ToUnicode`` CMap, so any
text, whatever its script, costs these 620 bytes once per file.

Made once with fontTools' ``FontBuilder`` (``setupGlyphOrder([".notdef", "blank"])``, empty
``TTGlyphPen`` glyphs, ``setupHorizontalMetrics`` 500/0, ``setupHorizontalHeader(800, -200)``,
name ``AblageGlyphless``, OS/2 and post tables, ``updateHead(created=0, modified=0)``) and
carried as bytes, so that the app does not depend on fontTools; ``tests/engine/
test_exports.py`` checks its glyphs and metrics with fontTools.
"""

from __future__ import annotations

import base64

FONT_NAME = "AblageGlyphless"
UNITS_PER_EM = 1000
ADVANCE = 500
ASCENT = 800
DESCENT = -200

GLYPHLESS_TTF = base64.b64decode(
    "AAEAAAAKAIAAAwAgT1MvMkTfQ5AAAAEoAAAAYGNtYXAADABGAAABkAAAACxnbHlmAAAAAAAAAcQAAAABaGVhZF8W"
    "QOAAAACsAAAANmhoZWEDIgEuAAAA5AAAACRobXR4AfQAAAAAAYgAAAAGbG9jYQAAAAAAAAG8AAAABm1heHAAAwAC"
    "AAABCAAAACBuYW1lCd9bXQAAAcgAAAB4cG9zdG1nc80AAAJAAAAALAABAAAAAQAAZNXy9F8PPPUAAwPoAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAwACAAAAAAAAAAEAAAMg/zgAAAH0AAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAB"
    "AAEAAAACAAAAAAAAAAAAAgAAAAAAAAAAAAAAAAAAAAAAAwH0AZAABQAEAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAPz8/PwAAAAAAAAMg/zgAAAMgAMgAAAAAAAAAAAAAAAAAAAAgAAAB9AAA"
    "AAAAAAAAAAIAAAADAAAAFAADAAEAAAAUAAQAGAAAAAIAAgAAAAD//wAA//8AAQAAAAAAAAAAAAAAAAAAAAAABAA2"
    "AAEAAAAAAAEADwAAAAEAAAAAAAIABwAPAAMAAQQJAAEAHgAWAAMAAQQJAAIADgA0QWJsYWdlR2x5cGhsZXNzUmVn"
    "dWxhcgBBAGIAbABhAGcAZQBHAGwAeQBwAGgAbABlAHMAcwBSAGUAZwB1AGwAYQByAAIAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAgAAAQIFYmxhbms="
)
