"""The command line end to end, in a child process, with real engines and real files."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cli_process import TIMEOUT_S, run_cli
from PIL import Image, ImageDraw, ImageFont
from samples import encrypted_pdf_bytes, pdf_bytes, text_page

PYTHON_CLI = (sys.executable, "-m", "ablage_desktop")
AS_JSON = ("--format", "json", "--out", "-")


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "invoice.png"
    path.parent.mkdir()
    text_page().save(path, dpi=(300, 300))
    return path


def test_ocr_writes_text_into_the_default_folder_and_exits_0(tmp_path: Path, page: Path) -> None:
    result = run_cli("ocr", page, "--backend", "tesseract", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    text = (tmp_path / "ablage-out" / "invoice.txt").read_text(encoding="utf-8")
    assert "Invoice 4711" in text
    assert "123.45 EUR" in text
    assert "1 document(s) done, 0 failed, 1 page(s)" in result.stdout
    assert "invoice.png: page 1/1 (tesseract" in result.stderr  # plain progress lines, no tty
    assert sorted(p.name for p in page.parent.iterdir()) == ["invoice.png"]


def test_a_phone_photo_in_heic_is_read_through_the_decoder_process(tmp_path: Path) -> None:
    import pillow_heif

    photo = tmp_path / "in" / "IMG_0815.HEIC"
    photo.parent.mkdir()
    pillow_heif.from_pillow(text_page().convert("RGB")).save(photo, quality=85)

    result = run_cli(
        "ocr", photo.parent, "--backend", "tesseract", "--out", tmp_path / "o", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    text = (tmp_path / "o" / "IMG_0815.txt").read_text(encoding="utf-8")
    assert "Invoice 4711" in text
    assert "123.45 EUR" in text


def test_the_batchs_engine_is_prepared_while_its_first_page_is_opened(
    tmp_path: Path, page: Path
) -> None:
    """The libraries of the engine named, not of every engine ``auto`` might use."""
    result = run_cli("-vv", "ocr", page, "--backend", "tesseract", "--out", "-", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "Prepared tesseract" in result.stderr
    assert "Prepared rapidocr" not in result.stderr


def test_one_area_of_copies_scanned_at_two_resolutions_is_read_and_not_archived(
    tmp_path: Path, page: Path
) -> None:
    """``--area`` in per cent: the same field of a form scanned at 300 and at 150 dpi."""
    small = page.parent / "invoice-150dpi.png"
    text_page().resize((700, 160), Image.Resampling.LANCZOS).save(small, dpi=(150, 150))
    archive = tmp_path / "archive.sqlite"

    result = run_cli(
        "--store", archive, "ocr", page, small, "--area", "0,40,100,70%",
        "--backend", "tesseract", *AS_JSON, cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    documents = [json.loads(line) for line in result.stdout.splitlines()]
    assert [doc["pages"][0]["text"] for doc in documents] == ["Total amount 123.45 EUR"] * 2
    assert "only the area 0,128,1400,224 px" in documents[0]["pages"][0]["route"]
    assert not archive.exists()  # an area's reading is not the page's


def test_fields_of_a_form_read_in_one_run_are_a_line_each_for_grep(
    tmp_path: Path, page: Path
) -> None:
    result = run_cli(
        "ocr", page, "--area", "nr=0,5,100,35%", "--area", "total=0,40,100,70%",
        "--backend", "tesseract", "--out", "-", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout == "nr: Invoice 4711 of 30.10.2018\ntotal: Total amount 123.45 EUR\n"


def test_fields_of_a_pile_of_forms_as_one_csv_table_and_a_file_a_spreadsheet_opens(
    tmp_path: Path, page: Path
) -> None:
    """Two copies of the form: on stdout one table, its header once, a row a page; into a
    folder a file a document, with the byte order mark Excel needs for the umlauts."""
    copy = page.parent / "kopie.png"
    text_page(("Rechnung 4711 vom 30.10.2018", "Gesamtbetrag 99,00 EUR")).save(copy, dpi=(300, 300))
    areas = ("--area", "nr=0,5,100,35%", "--area", "total=0,40,100,70%")

    table = run_cli(
        "ocr", page, copy, *areas, "--backend", "tesseract", "--format", "csv", "--out", "-",
        cwd=tmp_path,
    )  # fmt: skip
    files = run_cli(
        "ocr", copy, *areas, "--backend", "tesseract", "--format", "csv", "--out",
        tmp_path / "o", cwd=tmp_path,
    )  # fmt: skip

    assert table.returncode == 0, table.stderr
    assert list(csv.reader(io.StringIO(table.stdout, newline=""))) == [
        ["document", "page", "nr", "total"],
        [str(page), "1", "Invoice 4711 of 30.10.2018", "Total amount 123.45 EUR"],
        [str(copy), "1", "Rechnung 4711 vom 30.10.2018", "Gesamtbetrag 99,00 EUR"],
    ]
    assert files.returncode == 0, files.stderr
    written = (tmp_path / "o" / "kopie.csv").read_bytes()
    assert written.startswith("\ufeffdocument,page,nr,total\r\n".encode())


def test_only_the_pages_asked_for_are_read_and_not_archived(tmp_path: Path) -> None:
    """The third page of three as Markdown: its own section, no word of the pages not asked
    for (they did not fail); the archive does not take the document for read."""
    scan = tmp_path / "in" / "drei.pdf"
    scan.parent.mkdir()
    rows = [text_page((f"Seite {n} von 3",)) for n in (1, 2, 3)]
    scan.write_bytes(pdf_bytes(rows, dpi=300))
    archive = tmp_path / "archive.sqlite"

    result = run_cli(
        "--store", archive, "ocr", scan, "--pages", "3", "--backend", "tesseract",
        "--format", "md", "--out", "-", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout == "# drei.pdf\n\n## Page 3\n\nSeite 3 von 3\n"
    assert not archive.exists()


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (("--area", "1,2,3"), "argument --area: an area is [NAME=]LEFT,TOP,RIGHT,BOTTOM"),
        (("--area", "1,2,3,4mm", "--resume"), "--area reads given documents, not with --resume"),
        (("--area", "9=1,2,3,4"), "argument --area: an area's name is a letter"),
        (("--area", "a=1,2,3,4", "--area", "a=5,6,7,8"), "each area needs a name of its own"),
        (("--pages", "0"), "argument --pages: pages are given as 1-3,7,10-"),
        (("--pages", "2-", "--resume"), "--pages reads given documents, not with --resume"),
    ],
)
def test_an_area_the_command_cannot_read_is_refused_in_words(
    tmp_path: Path,
    page: Path,
    extra: tuple[str, ...],
    said: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """In this process (the command's own parser and checks, before any engine is made):
    each case cost a second as a child process."""
    from ablage_desktop.cli import build_parser, run_command
    from ablage_desktop.engine import load_config

    argv = ["ocr", str(page.parent), *extra, "--out", str(tmp_path / "o")]
    try:
        status = run_command(build_parser().parse_args(argv), load_config(), store=None)
    except SystemExit as exit_:  # argparse's own refusal
        status = exit_.code
    assert status == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "o").exists()


def test_results_go_to_stdout_with_out_dash(tmp_path: Path, page: Path) -> None:
    other = page.parent / "total.png"
    text_page(("Total amount 99.00 EUR",)).save(other, dpi=(300, 300))

    result = run_cli("ocr", page, other, "--backend", "tesseract", "--out", "-", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    first, second = result.stdout.split("\f")  # documents apart as pages are
    assert "Invoice 4711" in first and "99.00 EUR" not in first
    assert "Total amount 99.00 EUR" in second
    assert "2 document(s) done, 0 failed" in result.stderr  # said beside the progress
    assert "results in stdout" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]  # no folder named "-"


def test_json_on_stdout_is_one_document_a_line_failed_ones_too(tmp_path: Path, page: Path) -> None:
    broken = page.parent / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)

    result = run_cli(
        "ocr",
        page,
        broken,
        "--backend",
        "tesseract",
        "--format",
        "json",
        "--out",
        "-",
        cwd=tmp_path,
    )

    assert result.returncode == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(record["document"]).name for record in records] == ["invoice.png", "broken.png"]
    assert "4711" in records[0]["pages"][0]["text"]
    assert records[1]["error"]["kind"] == "corrupt"


def test_a_searchable_pdf_goes_to_stdout_for_one_document_only(tmp_path: Path, page: Path) -> None:
    other = page.parent / "other.png"
    other.write_bytes(page.read_bytes())
    command = [*PYTHON_CLI, "ocr", "--backend", "tesseract"]
    one = subprocess.run(
        [*command, page, "--format", "pdf", "--out", "-"],
        cwd=tmp_path,
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    two = run_cli(
        "ocr",
        page,
        other,
        "--backend",
        "tesseract",
        "--format",
        "hocr",
        "--out",
        "-",
        cwd=tmp_path,
    )

    assert one.returncode == 0, one.stderr
    assert one.stdout.startswith(b"%PDF-") and one.stdout.rstrip().endswith(b"%%EOF")
    assert two.returncode == 2
    assert "to stdout it takes one document, not 2" in two.stderr


def test_pdf_images_compact_makes_a_photographed_page_a_jpeg_in_the_searchable_pdf(
    tmp_path: Path, page: Path
) -> None:
    """``--pdf-images compact`` (``exports.pdf_images``): a photograph of the page kept as a
    PNG goes in as a JPEG, a third of the size or less; by default as the file holds it."""
    import numpy as np
    import pikepdf

    shot = np.asarray(Image.open(page).convert("RGB"), dtype=np.int16)
    grain = np.random.default_rng(3).integers(-8, 9, shot.shape)
    photo = page.parent / "photo.png"
    Image.fromarray(np.clip(shot + grain, 0, 255).astype(np.uint8), "RGB").save(photo)
    found = {}
    for choice in ("original", "compact"):
        out = tmp_path / choice
        result = run_cli(
            "ocr", photo, "--backend", "tesseract", "--no-archive", "--format", "pdf",
            "--pdf-images", choice, "--out", out, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        with pikepdf.open(out / "photo.pdf") as pdf:
            (image,) = pdf.pages[0].get_images(recursive=False).values()
            found[choice] = (str(image.Filter), (out / "photo.pdf").stat().st_size)

    assert found["original"][0] == "/FlateDecode" and found["compact"][0] == "/DCTDecode"
    assert found["compact"][1] * 3 < found["original"][1], found


def test_a_document_piped_in_is_read_and_left_out_of_the_archive(
    tmp_path: Path, page: Path
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    archive = tmp_path / "archive.sqlite"
    result = subprocess.run(
        [*PYTHON_CLI, "--store", archive, "ocr", "-", "--backend", "tesseract", *AS_JSON],
        input=page.read_bytes(),
        cwd=tmp_path,
        capture_output=True,
        timeout=TIMEOUT_S,
        env={**os.environ, "TMPDIR": str(temporary)},
        check=False,
    )

    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["document"] == "-"  # not the copy, which is gone with the command
    assert "Invoice 4711" in record["pages"][0]["text"]
    assert "[1/1] stdin: page 1/1" in result.stderr.decode("utf-8")
    assert list(temporary.iterdir()) == []
    with contextlib.closing(sqlite3.connect(archive)) as db:
        assert db.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_password_given_opens_a_locked_pdf(tmp_path: Path) -> None:
    locked = tmp_path / "in" / "lohn.pdf"
    locked.parent.mkdir()
    locked.write_bytes(encrypted_pdf_bytes(tmp_path))

    refused = run_cli("ocr", locked, "--backend", "tesseract", "--out", "-", cwd=tmp_path)
    read = run_cli(
        "ocr",
        locked,
        "--backend",
        "tesseract",
        "--password",
        "secret",
        "--out",
        "-",
        cwd=tmp_path,
    )

    assert refused.returncode == 1
    assert "protected by a password; give it with ocr --password" in refused.stdout + refused.stderr
    assert read.returncode == 0, read.stderr
    assert "Invoice 4711" in read.stdout


def test_running_text_puts_a_paragraph_in_one_line(tmp_path: Path) -> None:
    letter = tmp_path / "in" / "brief.png"
    letter.parent.mkdir()
    lines = (
        "Bitte zahlen Sie den Betrag bis zum 15. November",
        "auf das unten genannte Konto der Sparkasse ein.",
    )
    page = Image.new("L", (1400, 200), 255)
    font = ImageFont.load_default(size=44)
    for n, line in enumerate(lines):  # set as a paragraph: a line under the other
        ImageDraw.Draw(page).text((40, 40 + 56 * n), line, font=font, fill=0)
    page.save(letter, dpi=(300, 300))

    result = run_cli(
        "ocr", letter, "--backend", "tesseract", "--running-text", "--out", "-", cwd=tmp_path
    )
    refused = run_cli("ocr", letter, "--running-text", "--format", "json", cwd=tmp_path)
    fields = run_cli(
        "ocr", letter, "--backend", "tesseract", "--running-text", "--area", "all=0,0,100,100%",
        "--area", "first=0,10,100,45%", "--format", "csv", "--out", "-", cwd=tmp_path,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == " ".join(lines)
    (row,) = list(csv.reader(io.StringIO(fields.stdout, newline="")))[1:]
    assert row[2:] == [" ".join(lines), lines[0]]  # each field's cell its own running text
    assert refused.returncode == 2
    assert "--running-text is for --format txt or csv" in refused.stderr


def test_a_batch_started_for_stdout_resumes_onto_stdout() -> None:
    from argparse import Namespace

    from ablage_desktop.cli.delivery import Delivery

    stored = Delivery(Path("-"), "json").to_json()
    running = Delivery(Path("-"), "txt", running_text=True).to_json()

    assert stored == {"out": "-", "format": "json"}  # not a folder named "-" somewhere
    given = Namespace(out=None, format=None, running_text=False)
    resumed = Delivery.of(given, stored)
    assert resumed == Delivery(Path("-"), "json") and resumed.to_stdout
    assert Delivery.of(given, running).running_text


def test_ocr_with_the_default_engine_writes_json(tmp_path: Path, page: Path) -> None:
    result = run_cli("ocr", page, "--format", "json", "--out", tmp_path / "o", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "o" / "invoice.json").read_text(encoding="utf-8"))
    assert data["document"] == str(page)
    assert len(data["sha256"]) == 64
    assert data["error"] is None
    (first,) = data["pages"]
    # auto: Tesseract reads the page first, RapidOCR recognises what it is not sure of.
    assert first["backend"] == "rapidocr+tesseract"
    assert "line(s) as Tesseract read them" in first["route"]
    assert "4711" in first["text"]
    assert first["lines"] and all(len(line["box"]) == 4 for line in first["lines"])


def test_a_mixed_batch_writes_the_good_ones_and_exits_1(
    tmp_path: Path, bad_batch: dict[str, Path]
) -> None:
    out = tmp_path / "out"
    folder = bad_batch["good"].parent

    result = run_cli(
        "ocr", folder, "--backend", "tesseract", "--format", "json", "--out", out, cwd=tmp_path
    )

    assert result.returncode == 1, result.stderr
    records = {
        Path(data["document"]).name: data
        for data in (json.loads(p.read_text(encoding="utf-8")) for p in out.glob("*.json"))
    }
    kinds = {name: (data["error"] or {}).get("kind") for name, data in records.items()}
    assert kinds == {
        "good.png": None,
        "really_a_pdf.png": None,
        "empty.jpg": "empty",
        "truncated.jpg": "incomplete",
        "encrypted.pdf": "encrypted",
        "huge.png": "too_large",
    }
    assert "Invoice 4711" in records["really_a_pdf.png"]["pages"][0]["text"]
    assert "ends early" in records["truncated.jpg"]["error"]["message"]
    assert "Invoice" in records["truncated.jpg"]["pages"][0]["text"]  # its upper half
    assert "2 document(s) done, 4 failed" in result.stdout
    assert "encrypted.pdf: " in result.stdout and "password" in result.stdout


def test_a_file_cut_short_is_still_called_so_when_its_page_comes_from_the_archive(
    tmp_path: Path, bad_batch: dict[str, Path]
) -> None:
    archive = tmp_path / "archive.sqlite"
    cut = bad_batch["truncated"]
    first, again = (
        run_cli("--store", archive, "ocr", cut, "--backend", "tesseract", "--out", tmp_path / n,
                cwd=tmp_path)
        for n in ("first", "again")
    )  # fmt: skip

    for result in (first, again):
        assert result.returncode == 1, result.stderr
        assert "truncated.jpg ends early" in result.stdout
    assert "1 page(s) came from the archive" in again.stdout


def test_a_damaged_archive_says_what_to_do_and_no_archive_reads_on(
    tmp_path: Path, bad_batch: dict[str, Path]
) -> None:
    archive = tmp_path / "archive.sqlite"
    archive.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4080)
    damaged = archive.read_bytes()

    refused = run_cli("--store", archive, "ocr", bad_batch["good"], cwd=tmp_path)
    read = run_cli(
        "--store", archive, "ocr", "--no-archive", bad_batch["good"], "--backend", "tesseract",
        "--out", tmp_path / "out", cwd=tmp_path,
    )  # fmt: skip
    resumed = run_cli("--store", archive, "ocr", "--no-archive", "--resume", cwd=tmp_path)

    assert refused.returncode == 2 and "ocr --no-archive" in refused.stderr
    assert read.returncode == 0, read.stderr
    assert "Invoice 4711" in (tmp_path / "out" / "good.txt").read_text(encoding="utf-8")
    assert archive.read_bytes() == damaged  # left as it was
    assert resumed.returncode == 2 and "--resume needs the archive" in resumed.stderr


def test_text_output_skips_failed_documents(tmp_path: Path, bad_batch: dict[str, Path]) -> None:
    out = tmp_path / "out"

    result = run_cli(
        "ocr",
        bad_batch["good"],
        bad_batch["empty"],
        "--backend",
        "tesseract",
        "--out",
        out,
        cwd=tmp_path,
    )

    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["good.txt"]


def test_same_stems_get_distinct_output_names(tmp_path: Path, page: Path) -> None:
    other = tmp_path / "other" / "invoice.png"
    other.parent.mkdir()
    other.write_bytes(page.read_bytes())

    result = run_cli(
        "ocr", page, other, "--backend", "tesseract", "--out", tmp_path / "o", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["invoice-2.txt", "invoice.txt"]


def test_documents_of_one_stem_and_two_types_keep_their_suffix(tmp_path: Path, page: Path) -> None:
    """scan.png and scan.jpg: numbered, which result was the photo's could not be told."""
    photo = page.with_suffix(".jpg")
    with Image.open(page) as image:
        image.convert("RGB").save(photo, quality=95)

    result = run_cli(
        "ocr", page, photo, "--backend", "tesseract", "--out", tmp_path / "o", cwd=tmp_path
    )

    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (tmp_path / "o").iterdir())
    assert written == ["invoice.jpg.txt", "invoice.png.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--backend", "abbyy"], "no engine called 'abbyy'"),
        (["--backend", "got_ocr2"], "not downloaded"),
        (["--backend", "tesseract", "--lang", "xxx"], "language data 'xxx' not found"),
        (["--backend", "tesseract", "--lang", "deu eng"], "--lang"),
        (["--format", "docx"], "invalid choice"),
    ],
)
def test_bad_usage_exits_2_with_a_reason(
    tmp_path: Path, page: Path, args: list[str], message: str
) -> None:
    result = run_cli("ocr", page, *args, cwd=tmp_path)

    assert result.returncode == 2
    assert message in result.stderr
    assert not (tmp_path / "ablage-out").exists()


def test_a_folder_without_documents_exits_2(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing to read")

    result = run_cli("ocr", tmp_path, cwd=tmp_path)

    assert result.returncode == 2
    assert "no documents found" in result.stderr


def test_a_bad_config_file_exits_2_naming_file_key_and_expectation(
    tmp_path: Path, page: Path
) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("intake:\n  pdf_dpi: high\n", encoding="utf-8")

    result = run_cli("ocr", page, "--config", config, cwd=tmp_path)

    assert result.returncode == 2
    assert str(config) in result.stderr
    assert "line 2" in result.stderr
    assert "intake.pdf_dpi" in result.stderr
    assert "valid integer" in result.stderr


def test_the_user_config_file_is_read(tmp_path: Path) -> None:
    config_home = tmp_path / "xdg"
    (config_home / "ablage-desktop").mkdir(parents=True)
    (config_home / "ablage-desktop" / "config.yaml").write_text(
        "management:\n  default_backend: tesseract\n", encoding="utf-8"
    )

    result = run_cli(
        "models", "list", "--json", cwd=tmp_path, env={"XDG_CONFIG_HOME": str(config_home)}
    )

    defaults = [row["name"] for row in json.loads(result.stdout) if row["default"]]
    assert defaults == ["tesseract"]


def test_models_list_shows_every_model_with_availability(tmp_path: Path) -> None:
    result = run_cli("models", "list", "--json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(rows) == {
        "rapidocr",
        "tesseract",
        "surya",
        "docling",
        "got_ocr2",
        "qwen2_vl",
        "janus_pro",
    }
    assert rows["rapidocr"]["available"] is True
    assert not any(row["default"] for row in rows.values())  # the default is auto
    assert rows["rapidocr"]["state"] == "unloaded"
    assert rows["rapidocr"]["estimated_bytes"] > 100 << 20
    assert rows["got_ocr2"]["kind"] == "gpu"
    assert rows["got_ocr2"]["available"] is False and rows["got_ocr2"]["reason"]


def test_models_list_as_a_table(tmp_path: Path) -> None:
    result = run_cli("models", "list", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["NAME", "KIND", "AVAILABLE"]
    header = result.stdout.splitlines()[0].split()
    assert header[3:6] == ["STATE", "ESTIMATED", "MEASURED"]
    assert any(line.startswith("rapidocr ") for line in result.stdout.splitlines())
    assert "default: auto" in result.stdout


def test_without_a_display_the_window_is_not_attempted(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "ablage_desktop"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=env,
        check=False,
    )

    assert result.returncode == 2
    assert "no display found" in result.stderr


def test_version(tmp_path: Path) -> None:
    result = run_cli("--version", cwd=tmp_path)

    assert result.returncode == 0
    assert result.stdout.startswith("ablage-desktop 0.")


def test_an_output_folder_that_cannot_be_written_exits_2(tmp_path: Path, page: Path) -> None:
    blocker = tmp_path / "taken"
    blocker.write_text("a file where the folder should be")

    result = run_cli("ocr", page, "--backend", "tesseract", "--out", blocker, cwd=tmp_path)

    assert result.returncode == 2
    assert f"the output folder {blocker} cannot be written" in result.stderr
    assert "Nothing was read" in result.stderr  # found before the batch (issue 16)
    assert blocker.read_text() == "a file where the folder should be"


def test_models_download_says_in_words_when_it_cannot_fetch(tmp_path: Path) -> None:
    result = run_cli(
        "models",
        "download",
        "got_ocr2",
        cwd=tmp_path,
        env={"HF_HUB_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")},
    )

    assert result.returncode == 1
    assert "Downloading stepfun-ai/GOT-OCR-2.0-hf" in result.stdout
    assert "could not download stepfun-ai/GOT-OCR-2.0-hf" in result.stderr
    assert "the Hugging Face hub cannot be reached from here" in result.stderr
    assert "Traceback" not in result.stderr


def test_models_download_of_an_engine_that_ships_with_its_package(tmp_path: Path) -> None:
    result = run_cli("models", "download", "rapidocr", cwd=tmp_path)

    assert result.returncode == 0
    assert "nothing to download" in result.stdout


def test_alto_is_one_whole_file_a_document_on_stdout_as_hocr_is() -> None:
    from ablage_desktop.cli.stdout import refusal

    said = refusal("alto", 2, terminal=False)
    assert said is not None and "--format alto writes one whole file a document" in said
    assert refusal("alto", 1, terminal=True) is None
    assert refusal("csv", 5, terminal=True) is None  # one table for the batch
