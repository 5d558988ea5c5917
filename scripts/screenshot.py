"""Take the README's screenshot of the real window after it has read a real document.

``make screenshot`` runs this under Xvfb (``xvfb-run``) with Qt's xcb platform, so the picture
also shows that the real window opens and draws on an X server. The app is built as
``run_gui`` builds it (``create_window``, ``run_window``: ``QApplication``, ``QSettings``,
translator, ``Engine`` with the shipped configuration, ``EngineBridge``, ``MainWindow``), with a
throw-away settings file and footprint store so neither the user's settings nor their
measurements change the picture or are changed; the window is in English (``--language``).

Steps: show the window, start the engine, queue the document (default: the German
physiotherapist's invoice of the data set), wait until it is read, select it so the page with
its line boxes and the text are shown, let the memory graph collect samples for a few seconds,
grab the window from the screen and save it as PNG.

Without an X display it says so and falls back to Qt's offscreen platform.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DOCUMENT = ROOT.parent / "shared" / "data" / "de_ferd_physiotherapeut.pdf"
DEFAULT_OUT = ROOT / "resources" / "screenshots" / "main-window.png"
SHUTDOWN_TIMEOUT_MS = 10_000


def say(text: str) -> None:
    sys.stdout.write(f"screenshot: {text}\n")
    sys.stdout.flush()


def fail(text: str) -> None:
    sys.exit(f"screenshot: {text}")


def size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT, got {text!r}") from None
    if width < 200 or height < 200:
        raise argparse.ArgumentTypeError(f"{text} is too small for the window")
    return width, height


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Screenshot of the main window with a result.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="PNG file to write")
    parser.add_argument(
        "--document", type=Path, default=DEFAULT_DOCUMENT, help="document to read and show"
    )
    parser.add_argument("--backend", default="auto", help="engine for the document (auto)")
    parser.add_argument("--language", default="en", help="language of the window (en, de)")
    parser.add_argument("--size", type=size, default=(1280, 800), help="window size (1280x800)")
    parser.add_argument(
        "--graph-seconds",
        type=float,
        default=5.0,
        help="seconds the memory graph collects samples after the result is shown (5)",
    )
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per wait (300)")
    return parser.parse_args(argv)


def choose_platform() -> str:
    """xcb on an X display; otherwise say so and use the offscreen platform."""
    requested = os.environ.get("QT_QPA_PLATFORM", "")
    if os.environ.get("DISPLAY"):
        if requested and requested != "xcb":
            say(f"QT_QPA_PLATFORM={requested} is replaced by xcb: an X display is there")
        os.environ["QT_QPA_PLATFORM"] = "xcb"
        return "xcb"
    say(
        "no X display (DISPLAY is not set): falling back to Qt's offscreen platform. The "
        "picture is drawn the same way but does not show that the window opens on a real "
        "display; run `make screenshot` (xvfb-run) for that."
    )
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    return "offscreen"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.document.is_file():
        fail(
            f"the document {args.document} does not exist; pass --document with a PDF or "
            "image (the default lies in ../shared/data)."
        )
    choose_platform()
    with tempfile.TemporaryDirectory(prefix="ablage-screenshot-") as folder:
        return take(args, Path(folder))


def take(args: argparse.Namespace, folder: Path) -> int:
    from PySide6.QtCore import QObject, QSettings, Slot
    from PySide6.QtGui import QImage, QPixmap
    from PySide6.QtWidgets import QApplication

    from ablage_desktop.app import configure_logging
    from ablage_desktop.engine import Engine, load_config
    from ablage_desktop.gui.application import APPLICATION, ORGANIZATION, install_translator
    from ablage_desktop.gui.bridge import EngineBridge
    from ablage_desktop.gui.eventloop import run_until
    from ablage_desktop.gui.main_window import MainWindow

    configure_logging(0, False)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("language", args.language)
    language = settings.value("language")
    install_translator(app, str(language) if language else None)
    engine = Engine(load_config(), footprints=folder / "footprints.json")
    bridge = EngineBridge(engine)
    window = MainWindow(bridge, settings)
    window.resize(*args.size)
    window.show()
    bridge.start()
    document = str(args.document.resolve())
    say(f"platform {app.platformName()}; reading {document} with {args.backend}")

    class Recorder(QObject):
        """In the GUI thread; connected after the window, so the window is up to date."""

        def __init__(self) -> None:
            super().__init__()
            self.finished: tuple[int, int, float] | None = None
            self.previews: set[tuple[str, int]] = set()

        @Slot(int, int, int, float, bool)
        def batch_finished(
            self, batch: int, done: int, failed: int, seconds: float, cancelled: bool
        ) -> None:
            self.finished = (done, failed, seconds)

        @Slot(object, int)
        def preview_ready(self, path: str, index: int) -> None:
            self.previews.add((path, index))

    recorder = Recorder()
    bridge.worker.batchFinished.connect(recorder.batch_finished)
    window.navigation.previewReady.connect(recorder.preview_ready)

    def wait_until(predicate: Callable[[], bool], what: str) -> None:
        if not run_until(predicate, args.timeout):
            reason = f" ({window.last_error[1]})" if window.last_error else ""
            finish(window, bridge)
            fail(f"gave up waiting for {what} after {args.timeout:g} s{reason}")

    if args.backend != "auto":
        wait_until(lambda: window.backend_box.findData(args.backend) >= 0, args.backend)
        window.backend_box.setCurrentIndex(window.backend_box.findData(args.backend))
    window.enqueue([document])
    wait_until(lambda: recorder.finished is not None, "the document to be read")
    wait_until(
        lambda: all(e.state not in ("queued", "running") for e in window.queue.entries),
        "the queue to show the result",
    )
    assert recorder.finished is not None
    done, failed, seconds = recorder.finished
    entry = window.queue.entries[0]
    say(
        f"read in {seconds:.1f} s: {done} done, {failed} failed; {len(entry.pages)} page(s), "
        f"engine(s) {entry.backends or '-'}"
    )
    if entry.state != "done":
        finish(window, bridge)
        fail(f"the document was not read: {entry.state} {entry.reason}")

    window.queue.selectRow(0)
    window.show_page(0)
    wait_until(lambda: (entry.path, 0) in recorder.previews, "the page preview")
    wait_until(
        lambda: window.page_view.box_count > 0 and bool(window.text_pane.toPlainText()),
        "the page's boxes and text",
    )
    graph_until = time.monotonic() + args.graph_seconds
    wait_until(lambda: time.monotonic() >= graph_until, "the memory graph")
    app.processEvents()

    picture: QPixmap | None = None
    if app.platformName() == "xcb":
        screen = window.screen()
        picture = screen.grabWindow(window.winId())
        source = "the X server (QScreen.grabWindow)"
    if picture is None or picture.isNull():
        picture = window.grab()
        source = "the widget (QWidget.grab)"
    image = picture.toImage().convertToFormat(QImage.Format.Format_RGB32)
    if image.isNull() or is_uniform(image):
        finish(window, bridge)
        fail(f"the picture from {source} is empty or one colour; nothing saved")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(args.out), "PNG"):
        finish(window, bridge)
        fail(f"cannot write {args.out}")
    say(
        f"saved {args.out} ({image.width()}x{image.height()}, from {source}; "
        f"{window.graph.sample_count} memory samples, {window.page_view.box_count} line boxes)"
    )
    finish(window, bridge)
    return 0


def is_uniform(image: Any) -> bool:
    """True when a coarse grid of pixels all have one colour (a blank grab)."""
    width, height = image.width(), image.height()
    colours = {
        image.pixel(x * (width - 1) // 15, y * (height - 1) // 15)
        for x in range(16)
        for y in range(16)
    }
    return len(colours) <= 1


def finish(window: Any, bridge: Any) -> None:
    """Close the window and stop the engine as run_gui does."""
    window.close()
    if not bridge.shutdown(SHUTDOWN_TIMEOUT_MS):
        # A model load cannot be interrupted; the process exit ends it (never terminate()).
        sys.stdout.flush()
        os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
