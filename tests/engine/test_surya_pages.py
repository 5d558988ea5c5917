"""Surya's answer -> the app's lines, and what ``models list`` says is missing for Surya."""

from __future__ import annotations

from pathlib import Path

from ablage_desktop.engine.backends.surya import SPEC, SuryaOptions
from ablage_desktop.engine.backends.surya_pages import SuryaBlock, page_lines


def block(label: str, box: tuple[float, float, float, float], *lines: str) -> SuryaBlock:
    return SuryaBlock(label, box, 0.9, lines)


def test_a_blocks_lines_take_the_detected_lines_inside_it_in_reading_order() -> None:
    blocks = [
        block("SectionHeader", (100, 50, 900, 110), "Rechnung"),
        block("Text", (100, 200, 900, 330), "Pos. 1 Beratung", "Pos. 2 Reise"),
    ]
    detected = [(110, 210, 600, 250), (110, 280, 500, 320), (120, 60, 400, 100)]

    text, lines = page_lines(blocks, detected, 1000, 1400)

    assert text == "Rechnung\n\nPos. 1 Beratung\nPos. 2 Reise"
    assert [(line.text, line.box, line.role) for line in lines] == [
        ("Rechnung", (120, 60, 400, 100), "heading"),
        ("Pos. 1 Beratung", (110, 210, 600, 250), "paragraph"),
        ("Pos. 2 Reise", (110, 280, 500, 320), "paragraph"),
    ]


def test_lines_that_do_not_pair_with_detected_lines_share_the_blocks_box_evenly() -> None:
    blocks = [block("Table", (0, 100, 500, 400), "a b", "c d", "e f")]

    _, lines = page_lines(blocks, [(0, 100, 500, 400)], 600, 800)

    assert [line.box for line in lines] == [
        (0, 100, 500, 200),
        (0, 200, 500, 300),
        (0, 300, 500, 400),
    ]
    assert {line.role for line in lines} == {"table_cell"}


def test_boxes_outside_the_page_are_clamped_and_empty_blocks_dropped() -> None:
    blocks = [block("Picture", (-20, -5, 700, 90)), block("Mystery", (-20, -5, 700, 90), "x")]

    text, lines = page_lines(blocks, [], 600, 800)

    assert text == "x"
    assert [(line.box, line.role) for line in lines] == [((0, 0, 600, 90), "paragraph")]


def test_the_models_list_says_what_surya_is_missing(tmp_path: Path) -> None:
    no_env = SuryaOptions(engine="surya", python=tmp_path / "nowhere" / "bin" / "python")
    reason = SPEC.availability(no_env).reason
    assert reason.startswith("Surya's own environment is missing")
    assert "models download surya" in reason

    environment = tmp_path / "surya-env"  # laid out as the check reads it from disk
    (environment / "bin").mkdir(parents=True)
    (environment / "bin" / "python").write_text("")
    package = environment / "lib" / "python3.11" / "site-packages"
    (package / "surya").mkdir(parents=True)
    (package / "surya" / "__init__.py").write_text("")
    (package / "surya_ocr-0.22.1.dist-info").mkdir()
    detector = tmp_path / "detector"
    detector.mkdir()
    (detector / "config.json").write_text("{}", encoding="utf-8")
    (detector / "model.safetensors").write_bytes(b"0")
    no_model = SuryaOptions(
        engine="surya",
        python=environment / "bin" / "python",
        detector=str(detector),
        source=str(tmp_path / "missing-model"),
    )
    assert SPEC.version is not None and SPEC.version(no_model) == "0.22.1"
    reason = SPEC.availability(no_model).reason
    assert reason.startswith("no weights: the recognition model")
    assert "Open RAIL-M" in reason

    served = no_model.model_copy(update={"server_url": "http://127.0.0.1:8080/v1"})
    assert SPEC.availability(served).ok, "a named server needs no local recognition weights"
    assert SPEC.estimate(served).weights < SPEC.estimate(no_model).weights
