"""A page's text as running text: paragraphs joined, hyphenated words whole, the rest kept."""

from __future__ import annotations

from ablage_desktop.engine.text.running_text import running_text

LETTER = """Taxiunternehmen TX GmbH
Lieferantenstraße 20
10369 Berlin

Sehr geehrte Damen und Herren,

anbei erhalten Sie unsere Rechnung für die Fahrt vom 29. Oktober
2018 zum Flughafen. Bitte überweisen Sie den Betrag von 42,50 EUR
bis zum 15. November auf das unten genannte Konto. Die Rech-
nung wurde von der Firma Müller-
Lüdenscheid geprüft.

Mit freundlichen Grüßen
"""


def test_paragraphs_are_joined_and_short_lines_kept() -> None:
    assert running_text(LETTER) == (
        "Taxiunternehmen TX GmbH\nLieferantenstraße 20\n10369 Berlin\n\n"
        "Sehr geehrte Damen und Herren,\n\n"
        "anbei erhalten Sie unsere Rechnung für die Fahrt vom 29. Oktober 2018 zum "
        "Flughafen. Bitte überweisen Sie den Betrag von 42,50 EUR bis zum 15. November auf "
        "das unten genannte Konto. Die Rechnung wurde von der Firma Müller-Lüdenscheid "
        "geprüft.\n\n"
        "Mit freundlichen Grüßen\n"
    )


def test_list_items_and_markdown_rows_keep_their_lines() -> None:
    text = (
        "Bitte senden Sie uns die folgenden Unterlagen bis zum Ende des Monats zu:\n"
        "- die unterschriebene Vollmacht für das Konto bei der Sparkasse Berlin und\n"
        "die Kopie des Ausweises\n"
        "2. den Nachweis der Versicherung für das laufende Jahr 2026 in Kopie bitte\n"
        "| Position | Menge | Einzelpreis | Gesamtpreis in EUR netto ohne MwSt |\n"
        "| Beratung | 2 | 120,00 | 240,00 und Anfahrt pauschal zum Kunden |\n"
    )

    assert running_text(text).splitlines() == [
        "Bitte senden Sie uns die folgenden Unterlagen bis zum Ende des Monats zu:",
        "- die unterschriebene Vollmacht für das Konto bei der Sparkasse Berlin und "
        "die Kopie des Ausweises",
        "2. den Nachweis der Versicherung für das laufende Jahr 2026 in Kopie bitte",
        "| Position | Menge | Einzelpreis | Gesamtpreis in EUR netto ohne MwSt |",
        "| Beratung | 2 | 120,00 | 240,00 und Anfahrt pauschal zum Kunden |",
    ]


def test_pages_stay_apart_and_an_address_is_left_alone() -> None:
    address = "Hans Mustermann\nKundenstraße 15\nDE 13351 Berlin\n"

    assert running_text(address + "\f" + address) == address + "\f" + address
    assert running_text("") == ""
