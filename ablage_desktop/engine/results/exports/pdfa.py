"""What makes the searchable PDF a PDF/A-2b file (ISO 19005-2, level B), the archive's format.

An Ablage is kept for years, and offices that must keep their papers (GoBD) keep them as PDF/A:
a file that shows the same in any viewer years later, all it needs inside it. Level B: the
page looks the same (every font embedded, every colour defined), which is what a scan with an
invisible text layer promises. What it takes beyond the PDF that ``pdf.py`` writes (whose
glyphless font is embedded, whose filters, JPEG, CCITT G4 and Flate, are allowed, and which has
the file identifier and the binary header comment already):

* an output intent, the colour profile that the page images' DeviceRGB and DeviceGray mean
  (sRGB), without which device colour is undefined;
* XMP metadata saying PDF/A-2b, with the title, producer and creator of the document
  information dictionary, the same text in both.

The sRGB profile is Little CMS's own (Pillow's ``ImageCms.createProfile("sRGB")``: ICC 4.4,
monitor class, 588 bytes), made once and carried as bytes: lcms stamps the moment it makes a
profile, and the same reading should give the same file. PDF/A-2 takes ICC profiles before
version 5.

A PDF's own pages kept under the text (``pdf_original``) may hold anything: that file is saved
by pikepdf's ``pdfa.save`` with this profile, and claims PDF/A only where pikepdf's validator
(an allowlist over veraPDF's rules) passes what was written. That validator also checks this
module's files in ``tests/engine/test_exports.py``.
"""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

PART = 2
CONFORMANCE = "B"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"

SRGB_ICC = base64.b64decode(
    "AAACTGxjbXMEQAAAbW50clJHQiBYWVogB+oADAAHAA8AIgAWYWNzcEFQUEwAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAPbWAAEAAAAA0y1sY21zAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAL"
    "ZGVzYwAAAQgAAAA2Y3BydAAAAUAAAABMd3RwdAAAAYwAAAAUY2hhZAAAAaAAAAAsclhZWgAAAcwAAAAUYlhZWgAA"
    "AeAAAAAUZ1hZWgAAAfQAAAAUclRSQwAAAggAAAAgZ1RSQwAAAggAAAAgYlRSQwAAAggAAAAgY2hybQAAAigAAAAk"
    "bWx1YwAAAAAAAAABAAAADGVuVVMAAAAaAAAAHABzAFIARwBCACAAYgB1AGkAbAB0AC0AaQBuAABtbHVjAAAAAAAA"
    "AAEAAAAMZW5VUwAAADAAAAAcAE4AbwAgAGMAbwBwAHkAcgBpAGcAaAB0ACwAIAB1AHMAZQAgAGYAcgBlAGUAbAB5"
    "WFlaIAAAAAAAAPbWAAEAAAAA0y1zZjMyAAAAAAABDEIAAAXe///zJQAAB5MAAP2Q///7of///aIAAAPcAADAblhZ"
    "WiAAAAAAAABvoAAAOPUAAAOQWFlaIAAAAAAAACSfAAAPhAAAtsNYWVogAAAAAAAAYpcAALeHAAAY2XBhcmEAAAAA"
    "AAMAAAACZmYAAPKnAAANWQAAE9AAAApbY2hybQAAAAAAAwAAAACj1wAAVHsAAEzNAACZmgAAJmYAAA9c"
)

_PACKET_ID = "W5M0MpCehiHzreSzNTczkc9d"  # the XMP specification's fixed packet id


def xmp(title: str, producer: str, creator: str) -> bytes:
    """The XMP metadata packet of a PDF/A-2b file whose information dictionary holds this
    ``title``, ``producer`` and ``creator`` (text a PDF/A reader compares, so the caller
    writes the same strings there)."""
    title, producer, creator = (escape(text) for text in (title, producer, creator))
    return (
        f'<?xpacket begin="\ufeff" id="{_PACKET_ID}"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/">\n'
        f"   <pdfaid:part>{PART}</pdfaid:part>\n"
        f"   <pdfaid:conformance>{CONFORMANCE}</pdfaid:conformance>\n"
        "   <dc:format>application/pdf</dc:format>\n"
        "   <dc:title><rdf:Alt>"
        f'<rdf:li xml:lang="x-default">{title}</rdf:li>'
        "</rdf:Alt></dc:title>\n"
        f"   <pdf:Producer>{producer}</pdf:Producer>\n"
        f"   <xmp:CreatorTool>{creator}</xmp:CreatorTool>\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode()
