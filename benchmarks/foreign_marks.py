"""Write German letters holding names and units Tesseract cannot write, for ``quality.py``.

A German office letter names people and places from elsewhere ("Çelik", "Wiśniewska",
"Muñoz", "Dvořák", "Noël", "Besançon", "Kraków") and measures flats and gas in m² and m³;
German and English Tesseract knows ä ö ü ß é and none of the other accents, nor ² ³, and
writes the nearest letter it knows, sure of it (``engine/models/word_marks.py``). Each page is
a letter of 16 lines in DejaVu (serif, sans serif, monospaced; regular and bold) at 300 and
200 dpi; ``<stem>.png`` gets a ``<stem>.gt.txt`` and a ``MANIFEST.tsv`` row in the group
``foreign``, so that

    python benchmarks/foreign_marks.py /tmp/foreign
    python benchmarks/quality.py /tmp/foreign --backends rapidocr,auto,tesseract

scores every engine on them. Most words are plain German, as in a real letter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from column_pages import font_file  # noqa: E402
from generated_pages import GeneratedPages  # noqa: E402

PEOPLE = (
    ("Herrn Mehmet Çelik", "Çelik Logistik GmbH", "Kopie an Frau Agnieszka Wiśniewska"),
    ("Frau Ana Muñoz García", "Peña & Córdoba S.L.", "Kopie an Herrn Antonín Dvořák"),
    ("Herrn François Lefèvre", "Société Générale Besançon", "Kopie an Frau Zoë Noël"),
    ("Herrn Søren Jørgensen", "Ærø Handel ApS", "Kopie an Herrn João Gonçalves"),
    ("Herrn Łukasz Kowalczyk", "Gdańsk Stocznia Sp. z o.o.", "Kopie an Frau Hélène Renée"),
    ("Frau Anna Kovács", "Győr Kft.", "Kopie an Herrn Emre Şahin"),
)
PLACES = ("Kraków", "Málaga", "Besançon", "Plzeň", "São Paulo", "Brașov")
LAYOUTS = (
    # (serif, bold, mono, dpi)
    (True, False, False, 300),
    (False, False, False, 300),
    (False, False, True, 300),
    (True, True, False, 300),
    (True, False, False, 200),
    (False, False, False, 200),
)
MONO = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


def letter(number: int) -> list[str]:
    """The lines of the ``number``-th letter."""
    person, company, copy = PEOPLE[number % len(PEOPLE)]
    place = PLACES[number % len(PLACES)]
    flat, gas = 54 + 7 * number, 1180 + 35 * number
    return [
        company,
        f"z. Hd. {person}",
        f"Hauptstraße {12 + number}, 80331 München",
        "",
        f"Nebenkostenabrechnung {2025 - number % 2} für die Wohnung in {place}",
        "",
        "Sehr geehrte Damen und Herren,",
        f"für die Wohnfläche von {flat},5 m² ergibt sich ein Verbrauch von {gas} m³ Gas.",
        "Die Abrechnung gemäß § 556 BGB liegt diesem Schreiben bei; bitte prüfen Sie",
        "die Beträge und überweisen Sie die Nachzahlung innerhalb von vierzehn Tagen.",
        f"Rückfragen beantwortet {person.split(' ', 1)[1]} unter Telefon 089/123 45-{number}0.",
        f"Die Übergabe der Schlüssel erfolgt am {10 + number}. März im Büro in {place}.",
        "",
        "Mit freundlichen Grüßen",
        "Ihre Hausverwaltung Müller & Söhne",
        copy,
    ]


def font_for(serif: bool, bold: bool, mono: bool) -> Path:
    if mono:
        found = next((folder / "DejaVuSansMono.ttf" for folder in MONO), None)
        if found is not None and found.is_file():
            return found
    path = font_file(bold=bold, serif=serif)
    if path is None:
        raise FileNotFoundError("the DejaVu fonts are not installed (fonts-dejavu-core)")
    return path


def page(lines: list[str], font: Path, dpi: int) -> Image.Image:
    """An A4 page of ``lines`` in 11 pt, empty lines kept as space."""
    size = round(11 * dpi / 72)
    image = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
    draw = ImageDraw.Draw(image)
    face = ImageFont.truetype(str(font), size)
    for row, line in enumerate(lines):
        draw.text((round(0.9 * dpi), round(1.2 * dpi + row * 1.6 * size)), line, font=face, fill=0)
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    pages = GeneratedPages(args.folder, "benchmarks/foreign_marks.py", "de", "generated", "foreign")
    for number, (serif, bold, mono, dpi) in enumerate(LAYOUTS):
        lines = letter(number)
        face = "mono" if mono else ("serif" if serif else "sans") + ("_bold" if bold else "")
        image = page(lines, font_for(serif, bold, mono), dpi)
        truth = "\n".join(line for line in lines if line) + "\n"
        pages.add(f"letter{number}_{face}_{dpi}dpi", image, dpi, truth)
    pages.finish()
    return 0


if __name__ == "__main__":
    sys.exit(main())
