"""Smoke test of an installed or built ``ablage-desktop`` program, run from outside the source tree.

    python packaging/smoke_test.py [--program PATH] [--backends rapidocr,tesseract]
                                   [--expect-no-torch] [--gui]

Used by ``make package-test`` (the PyInstaller folder build; PROGRAM defaults to
dist/ablage-desktop/ablage-desktop) and ``make wheel-test`` (the program in a fresh venv).
It runs the program, never imports the app: what it proves is that the program carries its
configuration, translations, icon and OCR models by itself.

1. ``--version`` prints the version of pyproject.toml.
2. ``models list`` exits 0, lists rapidocr and tesseract as available, and lists each GPU model
   as unavailable with a reason in words (with --expect-no-torch: "torch ... not installed").
3. ``ocr`` on a page drawn here with PIL (German and English lines, umlauts) as PNG and as PDF,
   for each backend: the text file must contain the expected words.
4. (--gui) the window starts on the offscreen Qt platform with the PNG queued; the test waits
   until ``search`` finds that page in the archive (so the window's engine read it), then ends
   the window. No traceback may appear on stderr.

Everything the program writes (archive, settings, results) goes to a temporary folder: the
test sets XDG_DATA_HOME / XDG_CONFIG_HOME / XDG_CACHE_HOME and works in that folder.
Exit status 0 when every check passed.
"""

# ruff: noqa: T201  (a command-line script: it reports by printing)

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PROGRAM = ROOT / "dist" / "ablage-desktop" / "ablage-desktop"
GPU_MODELS = ("got_ocr2", "qwen2_vl", "janus_pro")

# The sample page: lines a person would find on German and English office paper.
SAMPLE_LINES = (
    "Rechnung Nr. 2024-117",
    "Fälligkeit: 15. März 2025",
    "Grüße aus der Buchhaltung",
    "Ablage Desktop smoke test",
    "The quick brown fox jumps over the lazy dog",
)
# Words every engine must get right (umlauts included: both engines read German).
EXPECTED_WORDS = (
    "Rechnung",
    "2024-117",
    "Fälligkeit",
    "März",
    "Grüße",
    "Buchhaltung",
    "Ablage",
    "Desktop",
    "smoke",
    "quick",
    "brown",
    "fox",
    "lazy",
    "dog",
)
SEARCH_WORD = "Buchhaltung"


class Failed(Exception):
    pass


class Checks:
    def __init__(self, program: Path, work: Path) -> None:
        self.program = program
        self.work = work
        self.env = dict(os.environ)
        for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
            self.env.pop(name, None)
        self.env.update(
            XDG_DATA_HOME=str(work / "xdg-data"),
            XDG_CONFIG_HOME=str(work / "xdg-config"),
            XDG_CACHE_HOME=str(work / "xdg-cache"),
            # A user's Hugging Face cache must not change what "models list" says.
            HF_HOME=str(work / "hf-home"),
            QT_QPA_PLATFORM="offscreen",
            LC_ALL="C.UTF-8",
        )
        self.passed: list[str] = []

    def run(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        started = time.perf_counter()
        result = subprocess.run(
            [str(self.program), *args],
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        seconds = time.perf_counter() - started
        print(f"$ ablage-desktop {' '.join(args)}  -> exit {result.returncode} ({seconds:.1f} s)")
        if result.returncode != 0:
            raise Failed(
                f"'{' '.join(args)}' exited {result.returncode}\n"
                f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
            )
        if "Traceback (most recent call last)" in result.stderr:
            raise Failed(f"'{' '.join(args)}' printed a traceback:\n{result.stderr}")
        return result

    def ok(self, what: str) -> None:
        self.passed.append(what)
        print(f"  ok: {what}")


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def font(size: int):  # a PIL font
    from PIL import ImageFont

    candidates = []
    try:
        import matplotlib

        candidates.append(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")
    except ImportError:
        pass
    candidates.append(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
    for path in candidates:
        if path.is_file():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def make_samples(folder: Path) -> tuple[Path, Path]:
    """A page with SAMPLE_LINES as PNG (200 dpi) and as a one-page image PDF."""
    from PIL import Image, ImageDraw

    page = Image.new("L", (1654, 1100), 255)
    draw = ImageDraw.Draw(page)
    face = font(46)
    y = 120
    for line in SAMPLE_LINES:
        draw.text((140, y), line, fill=0, font=face)
        y += 150
    png = folder / "sample-page.png"
    pdf = folder / "sample-letter.pdf"
    page.save(png, dpi=(200, 200))
    page.convert("RGB").save(pdf, "PDF", resolution=200.0)
    return png, pdf


BUNDLE_DATA = (
    "ablage_desktop/config/models.yaml",
    "ablage_desktop/gui/translations/ablage_de.qm",
    "ablage_desktop/resources/ablage-desktop.svg",
    "ablage_desktop/resources/ablage-desktop-256.png",
    "rapidocr/config.yaml",
    "rapidocr/default_models.yaml",
)


def check_bundle(checks: Checks) -> None:
    """In a PyInstaller folder build: the package data and RapidOCR's models lie in _internal."""
    internal = checks.program.parent / "_internal"
    if not internal.is_dir():
        return
    missing = [name for name in BUNDLE_DATA if not (internal / name).is_file()]
    models = sorted(p.name for p in (internal / "rapidocr" / "models").glob("*.onnx"))
    if missing or not models:
        raise Failed(f"the build lacks {missing or 'the RapidOCR models'} under {internal}")
    gpu = [name for name in ("torch", "transformers") if (internal / name).exists()]
    checks.ok(
        f"bundle: package data and {len(models)} RapidOCR models present"
        + (f"; GPU packages bundled: {', '.join(gpu)}" if gpu else "; no torch/transformers")
    )


def check_version(checks: Checks) -> None:
    out = checks.run("--version").stdout.strip()
    expected = project_version()
    if not re.fullmatch(rf"ablage-desktop {re.escape(expected)}", out):
        raise Failed(f"--version printed {out!r}, expected 'ablage-desktop {expected}'")
    checks.ok(f"--version: {out}")


def check_models(checks: Checks, backends: list[str], expect_no_torch: bool) -> None:
    out = checks.run("models", "list").stdout
    print("\n".join("    " + line for line in out.splitlines()))
    rows = {line.split()[0]: line for line in out.splitlines() if line.strip()}
    for name in backends:
        if name not in rows or rows[name].split()[2] != "yes":
            raise Failed(f"models list does not show {name} as available:\n{out}")
    for name in GPU_MODELS:
        row = rows.get(name)
        if row is None:
            raise Failed(f"models list does not list {name}:\n{out}")
        if row.split()[2] != "no" or ":" not in row:
            raise Failed(f"{name} should be unavailable here, with a reason: {row}")
        if expect_no_torch and "made without torch" not in row:
            raise Failed(f"{name} should say that torch is not in this build: {row}")
    checks.ok(
        f"models list: {', '.join(backends)} available; GPU models unavailable with a reason"
        + (" (torch not in this build)" if expect_no_torch else "")
    )


def missing_words(text: str) -> list[str]:
    words = set(re.findall(r"[\w-]+", text))
    return [word for word in EXPECTED_WORDS if word not in words]


def check_ocr(checks: Checks, backend: str, document: Path) -> None:
    out_dir = checks.work / f"out-{backend}-{document.suffix[1:]}"
    checks.run("ocr", str(document), "--backend", backend, "--out", str(out_dir), "-q")
    result = out_dir / f"{document.stem}.txt"
    if not result.is_file():
        raise Failed(f"ocr --backend {backend} wrote no {result}")
    text = result.read_text(encoding="utf-8")
    missing = missing_words(text)
    if missing:
        raise Failed(f"{backend} on {document.name} missed {missing}; it read:\n{text}")
    checks.ok(f"ocr --backend {backend} {document.name}: all {len(EXPECTED_WORDS)} words")


def check_searchable_pdf(checks: Checks, document: Path) -> None:
    """A scanned PDF's searchable PDF keeps its scan (its JPEG's bytes, not a new render) and
    is PDF/A-2b: the build carries pikepdf and its validator's data."""
    out_dir = checks.work / "out-pdf"
    checks.run("ocr", str(document), "--backend", "tesseract", "--format", "pdf",
               "--out", str(out_dir), "-q")  # fmt: skip
    result = out_dir / f"{document.stem}.pdf"
    if not result.is_file():
        raise Failed(f"ocr --format pdf wrote no {result}")
    data = result.read_bytes()
    if not re.search(rb"pdfaid:part(>|=[\"'])2", data):
        raise Failed(f"{result.name} makes no PDF/A-2 claim: was its validator missing?")
    original = document.read_bytes()
    scan = original[original.index(b"\xff\xd8\xff") :][:4096]  # the start of its JPEG
    if scan not in data:
        raise Failed(f"{result.name} lost the scan of {document.name}: was pikepdf missing?")
    checks.ok(f"ocr --format pdf {document.name}: PDF/A-2b, its scan kept")


def check_gui(checks: Checks, document: Path, timeout_s: float = 90) -> None:
    """The window starts offscreen, reads the queued page into the archive, and is ended."""
    stderr_path = checks.work / "gui-stderr.txt"
    # An archive of its own: the ocr checks before stored the same page in theirs.
    env = dict(checks.env, XDG_DATA_HOME=str(checks.work / "xdg-data-window"))
    with stderr_path.open("w") as stderr:
        window = subprocess.Popen(
            [str(checks.program), str(document)],
            cwd=checks.work,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    started = time.perf_counter()
    found = False
    try:
        while time.perf_counter() - started < timeout_s:
            time.sleep(1.0)
            if window.poll() is not None:
                raise Failed(
                    f"the window ended by itself with exit {window.returncode}:\n"
                    + stderr_path.read_text()
                )
            search = subprocess.run(
                [str(checks.program), "search", SEARCH_WORD],
                cwd=checks.work,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            if search.returncode == 0 and document.name in search.stdout:
                found = True
                break
    finally:
        if window.poll() is None:
            window.send_signal(signal.SIGTERM)
            try:
                window.wait(10)
            except subprocess.TimeoutExpired:
                window.kill()
                window.wait()
    seconds = time.perf_counter() - started
    errors = stderr_path.read_text()
    if "Traceback (most recent call last)" in errors:
        raise Failed(f"the window printed a traceback:\n{errors}")
    if not found:
        raise Failed(f"the window did not read {document.name} within {timeout_s:.0f} s:\n{errors}")
    checks.ok(f"window (offscreen) started and read {document.name} in {seconds:.1f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--program", type=Path, default=DEFAULT_PROGRAM)
    parser.add_argument("--backends", default="rapidocr,tesseract")
    parser.add_argument(
        "--expect-no-torch",
        action="store_true",
        help="GPU models must say that torch is not installed (implied for a PyInstaller "
        "folder build without torch)",
    )
    parser.add_argument("--gui", action="store_true", help="also start the window offscreen")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    program = args.program.resolve()
    internal = program.parent / "_internal"
    if internal.is_dir() and not (internal / "torch").exists():
        args.expect_no_torch = True  # the CPU folder build
    if not (program.is_file() and os.access(program, os.X_OK)):
        print(f"smoke test: no program at {program} (build it first)", file=sys.stderr)
        return 2
    backends = [name for name in args.backends.split(",") if name]
    print(f"smoke test of {program}")
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="ablage-smoke-"))
    checks = Checks(program, work)
    try:
        png, pdf = make_samples(work)
        check_bundle(checks)
        check_version(checks)
        check_models(checks, backends, args.expect_no_torch)
        for backend in backends:
            for document in (png, pdf):
                check_ocr(checks, backend, document)
        check_searchable_pdf(checks, pdf)
        if args.gui:
            check_gui(checks, png)
    except (Failed, subprocess.TimeoutExpired) as exc:
        print(f"\nSMOKE TEST FAILED: {exc}\n(work folder kept: {work})", file=sys.stderr)
        return 1
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)
    print(
        f"smoke test passed: {len(checks.passed)} checks in {time.perf_counter() - started:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
