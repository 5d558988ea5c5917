"""The router and the page dispatcher: which engine reads a page, and what happens when it fails.

Real manager, real router, real page analysis; fake models at the edge (``tests/fakes.py``),
and the real Tesseract as the CPU engine a page falls back to where that matters.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from fakes import (
    GIB,
    MIB,
    FakeClock,
    FakeModelScript,
    FakeProbe,
    ScriptedBackend,
    register_fakes,
)
from PIL import Image
from samples import text_page

from ablage_desktop.engine.backends import REGISTRY
from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions
from ablage_desktop.engine.backends.tesseract import TesseractOptions
from ablage_desktop.engine.errors import (
    InsufficientMemory,
    ModelLoadError,
    OutOfMemory,
    RecognitionError,
)
from ablage_desktop.engine.events import Event, FallbackTaken, ModelStateChanged, Routed
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.memory.pressure import Pressure
from ablage_desktop.engine.models.dispatcher import PageDispatcher
from ablage_desktop.engine.models.manager import ManagerPolicy, ModelManager
from ablage_desktop.engine.models.router import Route, Router, useless_result
from ablage_desktop.engine.models.state import ModelState
from ablage_desktop.engine.preprocess.settings import PreprocessingSettings
from ablage_desktop.engine.preprocess.stage import Preprocessor
from ablage_desktop.engine.results.document import OcrPage
from ablage_desktop.engine.run.page_analysis import PageAnalysis

CHAIN = ("gpu_ocr", "cpu_ocr")
CPU_CHAIN = ("cpu_ocr",)
INVOICE = "Invoice 4711 of 30.10.2018\nTotal amount 123.45 EUR"


def cuda_oom() -> OutOfMemory:
    return OutOfMemory("gpu_ocr", "recognition", "CUDA out of memory. Tried to allocate 2.00 GiB")


def page_of(image: Image.Image) -> PageImage:
    return PageImage(document=Path("invoice.png"), index=0, image=image, dpi=300)


@dataclass
class Rig:
    """A manager with a fake GPU model and a fake CPU model, and everything it emitted."""

    probe: FakeProbe
    manager: ModelManager
    gpu: FakeModelScript
    cpu: FakeModelScript
    events: list[Event] = field(default_factory=list)

    def dispatcher(
        self,
        chain: Sequence[str] = CHAIN,
        available: Callable[[str], str | None] = lambda name: None,
        cannot_fit: Callable[[str], str | None] = lambda name: None,
    ) -> PageDispatcher:
        """``auto`` as ``Engine._dispatcher`` wires it: one chain for every kind of page here."""
        router = Router(
            {"simple": chain, "complex": chain, "unknown": chain},
            CPU_CHAIN,
            available,
            lambda: self.manager.pressure,
            cannot_fit,
        )
        return PageDispatcher(self.manager, router.route, self.events.append, concurrency=1)

    def of_type(self, kind: type[Event]) -> list[Event]:
        return [event for event in self.events if isinstance(event, kind)]


@pytest.fixture
def rig() -> Iterator[Rig]:
    probe = FakeProbe(ram_total=16 * GIB, vram_total=24 * GIB)
    clock = FakeClock()
    events: list[Event] = []
    manager = ModelManager(ManagerPolicy(), probe, events.append, clock=clock, sleep=clock.sleep)
    gpu = FakeModelScript("gpu_ocr", "gpu", 4 * GIB, text=INVOICE)
    cpu = FakeModelScript("cpu_ocr", "cpu", 512 * MIB, text="read by the CPU engine")
    register_fakes(manager, probe, gpu, cpu)
    yield Rig(probe, manager, gpu, cpu, events)
    manager.close()


@pytest.fixture
def tesseract(rig: Rig) -> str:
    """The real Tesseract, registered in the rig's manager as the last engine of the chain."""
    spec = REGISTRY["tesseract"]
    options = TesseractOptions(engine="tesseract")
    availability = spec.availability(options)
    if not availability.ok:
        pytest.skip(f"tesseract cannot run here: {availability.reason}")
    rig.manager.register("tesseract", spec, options, spec.estimate(options))
    return "tesseract"


@pytest.fixture
def page() -> PageImage:
    return page_of(text_page())


# --- the route ---------------------------------------------------------------------------------


def test_the_routed_event_names_the_first_engine_and_the_page_keeps_the_reason(
    rig: Rig, page: PageImage
) -> None:
    result = rig.dispatcher().recognize(page)

    (routed,) = rig.of_type(Routed)
    assert routed == Routed(page.document, 0, "gpu_ocr", routed.reason)
    assert routed.reason.startswith("simple page: clean print")
    assert result.route == routed.reason
    assert (result.backend, result.text, result.fallbacks) == ("gpu_ocr", INVOICE, ())
    assert rig.events.index(routed) < rig.events.index(rig.of_type(ModelStateChanged)[0])


def test_an_engine_that_cannot_run_here_is_skipped_and_named_in_the_reason(
    rig: Rig, page: PageImage
) -> None:
    """``janus`` and ``qwen`` are not even registered: a skipped engine is never asked for.
    The route says why in the reason's first clause, once for the engines it shares."""
    missing = "not downloaded: {} is neither a folder nor in the cache (run 'models download')"
    dispatcher = rig.dispatcher(
        ("janus", "qwen", "docling", *CHAIN),
        available=lambda name: {
            "janus": missing.format("janus"),
            "qwen": missing.format("qwen"),
            "docling": "disabled in the configuration (enabled: false)",
        }.get(name),
    )

    result = dispatcher.recognize(page)

    assert result.backend == "gpu_ocr"
    assert result.fallbacks == ()
    assert result.route is not None
    assert (
        "; skipped janus, qwen: not downloaded; docling: disabled in the configuration"
    ) in result.route
    assert "neither a folder" not in result.route and "enabled:" not in result.route
    (routed,) = rig.of_type(Routed)
    assert routed.backend == "gpu_ocr"


def test_when_no_engine_of_the_chain_can_run_then_the_page_fails_naming_the_chain(
    rig: Rig, page: PageImage
) -> None:
    dispatcher = rig.dispatcher(available=lambda name: "not installed")

    with pytest.raises(RecognitionError, match="gpu_ocr, cpu_ocr"):
        dispatcher.recognize(page)

    assert rig.gpu.attempts == rig.cpu.attempts == 0


def test_under_critical_pressure_the_page_goes_to_the_cpu_chain_and_idle_gpu_models_unload(
    rig: Rig, page: PageImage
) -> None:
    rig.manager.acquire("gpu_ocr").release()
    assert rig.manager.info("gpu_ocr").state is ModelState.READY

    rig.manager.observe(Pressure.CRITICAL)
    result = rig.dispatcher().recognize(page)

    assert rig.manager.info("gpu_ocr").state is ModelState.UNLOADED
    assert rig.probe.used("gpu") == 0
    assert result.backend == "cpu_ocr"
    assert result.route == "critical memory pressure: CPU engines only"
    assert rig.gpu.loads == 1  # loaded once before the pressure, never again
    (routed,) = rig.of_type(Routed)
    assert (routed.backend, routed.reason) == ("cpu_ocr", result.route)


# --- out of memory -----------------------------------------------------------------------------


def test_given_an_oom_on_the_first_inference_then_the_cache_is_freed_and_the_same_engine_retries(
    rig: Rig, page: PageImage
) -> None:
    idle = FakeModelScript("idle_cpu", "cpu", 1 * GIB)
    register_fakes(rig.manager, rig.probe, idle)
    rig.manager.acquire("idle_cpu").release()
    rig.gpu.page_errors = [cuda_oom()]

    result = rig.dispatcher().recognize(page)

    # Freeing RAM does not help the GPU: only the GPU's idle models go, the CPU model stays.
    assert rig.manager.info("idle_cpu").state is ModelState.READY
    assert rig.probe.empty_cache_calls >= 1
    assert (result.backend, result.text, result.fallbacks) == ("gpu_ocr", INVOICE, ())
    assert rig.gpu.loads == 1  # the resident model was retried, not reloaded
    assert rig.cpu.attempts == 0
    assert rig.of_type(FallbackTaken) == []


def test_given_two_ooms_in_inference_then_the_page_falls_back_to_tesseract_and_gets_text(
    rig: Rig, tesseract: str, page: PageImage
) -> None:
    rig.gpu.page_errors = [cuda_oom(), cuda_oom()]

    result = rig.dispatcher(("gpu_ocr", tesseract)).recognize(page)

    assert "Invoice 4711" in result.text
    assert result.backend == "tesseract"
    (fallback,) = result.fallbacks
    assert (fallback.from_backend, fallback.to_backend) == ("gpu_ocr", "tesseract")
    assert fallback.error.kind == "out_of_memory"
    assert "during recognition" in fallback.error.message
    (taken,) = rig.of_type(FallbackTaken)
    assert taken == FallbackTaken(page.document, 0, "gpu_ocr", "tesseract", fallback.error)
    (routed,) = rig.of_type(Routed)
    assert routed.backend == "gpu_ocr"  # the route's first choice, whoever read the page
    assert result.route == routed.reason
    assert rig.gpu.loads == 1


def test_given_two_ooms_while_loading_then_the_page_falls_back_and_the_gpu_model_is_failed(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.oom_loads = 2

    result = rig.dispatcher().recognize(page)

    assert result.backend == "cpu_ocr"
    (fallback,) = result.fallbacks
    assert (fallback.from_backend, fallback.to_backend) == CHAIN
    assert fallback.error.kind == "out_of_memory"
    assert rig.gpu.attempts == 2  # the manager retried the load once
    info = rig.manager.info("gpu_ocr")
    assert info.state is ModelState.FAILED
    assert info.error is not None and info.error.kind == "out_of_memory"


# --- other failures ----------------------------------------------------------------------------


def test_given_a_model_that_fails_to_load_then_the_next_engine_reads_the_page(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.fail_load = "model.safetensors is truncated"

    result = rig.dispatcher().recognize(page)

    assert result.backend == "cpu_ocr"
    (fallback,) = result.fallbacks
    assert fallback.error.kind == "model_load"
    assert "model.safetensors is truncated" in fallback.error.message


def test_given_a_model_bigger_than_the_budget_then_it_is_not_loaded_and_the_next_one_is(
    rig: Rig, page: PageImage
) -> None:
    huge = FakeModelScript("huge_gpu", "gpu", 30 * GIB)  # of 24 GiB x 0.9
    register_fakes(rig.manager, rig.probe, huge)

    result = rig.dispatcher(("huge_gpu", "cpu_ocr")).recognize(page)

    assert result.backend == "cpu_ocr"
    (fallback,) = result.fallbacks
    assert fallback.error.kind == InsufficientMemory.kind
    assert huge.attempts == 0


def test_when_the_last_engine_fails_too_then_the_error_names_every_engine_tried(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.fail_load = "model.safetensors is truncated"
    rig.cpu.page_errors = [RuntimeError("onnxruntime: invalid input shape")]

    with pytest.raises(RecognitionError) as caught:
        rig.dispatcher().recognize(page)

    message = caught.value.message
    assert "gpu_ocr" in message and "model.safetensors is truncated" in message
    assert "cpu_ocr" in message and "invalid input shape" in message
    assert len(rig.of_type(FallbackTaken)) == 1


def test_when_a_single_chosen_engine_fails_then_its_own_error_is_raised(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.fail_load = "model.safetensors is truncated"
    route = Route(("gpu_ocr",), "chosen by the user")
    dispatcher = PageDispatcher(rig.manager, lambda page: route, rig.events.append, 1, "gpu_ocr")

    with pytest.raises(ModelLoadError) as caught:
        dispatcher.recognize(page)

    assert caught.value.__cause__ is not caught.value  # no error that is its own cause


# --- useless results ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no text on a page with visible ink"),
        (" ".join(["Rechnung"] * 60), "degenerate repetition (1 distinct of 60 words)"),
        ("\n".join(["Summe 12,00 EUR gesamt", "Datum"] * 6), "(2 distinct of 12 lines)"),
    ],
    ids=["empty", "repeated-words", "repeated-lines"],
)
def test_given_a_useless_result_then_the_next_engine_reads_the_page(
    rig: Rig, page: PageImage, text: str, why: str
) -> None:
    rig.gpu.text = text

    result = rig.dispatcher().recognize(page)

    assert (result.backend, result.text) == ("cpu_ocr", "read by the CPU engine")
    (fallback,) = result.fallbacks
    assert fallback.error.kind == "useless_result"
    assert why in fallback.error.message


def test_given_a_blank_page_then_an_empty_result_is_kept(rig: Rig) -> None:
    rig.gpu.text = ""

    result = rig.dispatcher().recognize(page_of(Image.new("L", (1400, 320), 255)))

    assert (result.backend, result.text, result.fallbacks) == ("gpu_ocr", "", ())
    assert result.route is not None and result.route.startswith("unknown page: blank page")


def test_an_iban_read_with_a_letter_for_a_digit_is_mended_whichever_engine_read_it(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.text = "Bitte zahlen Sie auf\nIBAN : DEO2120300000000202051"

    result = rig.dispatcher().recognize(page)

    assert result.text == "Bitte zahlen Sie auf\nIBAN : DE02120300000000202051"


def test_given_a_chosen_engine_then_a_useless_result_is_returned_as_it_is(
    rig: Rig, page: PageImage
) -> None:
    rig.gpu.text = ""
    route = Route(("gpu_ocr",), "chosen by the user")
    dispatcher = PageDispatcher(rig.manager, lambda page: route, rig.events.append, 1, "gpu_ocr")

    result = dispatcher.recognize(page)

    assert result == OcrPage(
        0, page.width, page.height, "gpu_ocr", 0.0, "", route="chosen by the user"
    )
    assert rig.cpu.attempts == 0


def test_a_model_that_cannot_fit_even_after_eviction_is_skipped_by_the_router(
    rig: Rig, page: PageImage
) -> None:
    huge = FakeModelScript("huge_gpu", "gpu", 30 * GIB)  # of 24 GiB x 0.9
    register_fakes(rig.manager, rig.probe, huge)

    result = rig.dispatcher(("huge_gpu", "cpu_ocr"), cannot_fit=rig.manager.cannot_fit).recognize(
        page
    )

    assert result.backend == "cpu_ocr"
    assert result.fallbacks == ()
    assert result.route is not None
    assert "skipped huge_gpu: needs 30720 MiB of GPU memory" in result.route
    assert huge.attempts == 0


def test_an_idle_model_counts_as_room_that_can_be_made(rig: Rig) -> None:
    rig.manager.acquire("gpu_ocr").release()  # 4 GiB resident, idle
    big = FakeModelScript("big_gpu", "gpu", 20 * GIB)
    register_fakes(rig.manager, rig.probe, big)

    assert rig.manager.cannot_fit("big_gpu") is None  # 21.6 GiB budget once gpu_ocr goes
    with rig.manager.acquire("gpu_ocr"):
        assert rig.manager.cannot_fit("big_gpu") is not None  # not while it is in use


def test_a_model_that_failed_to_load_is_not_tried_again_on_every_page(rig: Rig) -> None:
    rig.gpu.oom_loads = 10**6  # never loads
    dispatcher = rig.dispatcher()
    pages = [PageImage(Path("batch.pdf"), n, text_page(), 300) for n in range(5)]

    results = [dispatcher.recognize(p) for p in pages]

    assert [r.backend for r in results] == ["cpu_ocr"] * 5
    assert rig.gpu.attempts == 2  # one load and its one retry, then the batch skips it
    assert rig.cpu.loads == 1  # the CPU engine stayed loaded: no thrashing
    assert results[0].fallbacks and not results[1].fallbacks
    assert results[1].route is not None
    assert "skipped gpu_ocr (failed to load earlier in this batch)" in results[1].route


def test_repetition_without_spaces_is_useless(rig: Rig, page: PageImage) -> None:
    rig.gpu.text = "1.1." * 200

    result = rig.dispatcher().recognize(page)

    assert result.backend == "cpu_ocr"
    (fallback,) = result.fallbacks
    assert fallback.error.kind == "useless_result"
    assert "compresses to" in fallback.error.message


# --- RapidOCR with Tesseract's help (models/combine.py) -----------------------------------------


def router_of(
    rig: Rig,
    kinds: dict[str, Sequence[str]],
    cpu_chain: Sequence[str] = CPU_CHAIN,
    available: Callable[[str], str | None] = lambda name: None,
) -> Router:
    """A router over ``kinds`` (each kind of page's chain) and the rig's memory pressure."""
    return Router(kinds, cpu_chain, available, lambda: rig.manager.pressure)


def every_kind(chain: Sequence[str]) -> dict[str, Sequence[str]]:
    return {"simple": chain, "complex": chain, "unknown": chain}


def gpu_ocr_not_downloaded(name: str) -> str | None:
    return "not downloaded" if name == "gpu_ocr" else None


def combining_dispatcher(rig: Rig, chain: Sequence[str]) -> PageDispatcher:
    router = router_of(rig, every_kind(chain), chain)
    return PageDispatcher(rig.manager, router.route, rig.events.append, 1, combine=True)


@pytest.fixture
def rapidocr(rig: Rig) -> str:
    """The real RapidOCR, registered in the rig's manager."""
    spec = REGISTRY["rapidocr"]
    options = RapidOcrOptions(engine="rapidocr")
    availability = spec.availability(options)
    if not availability.ok:
        pytest.skip(f"rapidocr cannot run here: {availability.reason}")
    rig.manager.register("rapidocr", spec, options, spec.estimate(options))
    return "rapidocr"


SEPARATE_WORDS = ("Invoice of the month", "Total amount due")
RUN_TOGETHER = ("Summe netto 4711 vom 30.10.2018", "Bitte zahlen Sie bis morgen.Danke")


@pytest.mark.slow
def test_a_page_tesseract_is_not_sure_of_is_recognised_by_rapidocr(rig: Rig, rapidocr: str) -> None:
    helper = FakeModelScript("tesseract", "cpu", 64 * MIB, text="no words, nothing sure")
    register_fakes(rig.manager, rig.probe, helper)

    result = combining_dispatcher(rig, (rapidocr, "tesseract")).recognize(
        page_of(text_page(SEPARATE_WORDS))
    )

    assert result.backend == "rapidocr+tesseract"
    assert [line for line in result.text.splitlines() if line] == list(SEPARATE_WORDS)
    assert "0 of 2 line(s) as Tesseract read them" in (result.route or ""), result.route
    assert [stage for stage, _ in result.stages] == [
        "preprocessing",
        "tesseract",
        "rapidocr",
        "combining",
    ]


def page_with_a_logo(lines: tuple[str, ...]) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A page of ``lines`` under a logo: dark lettering on a striped gradient, and its box."""
    import numpy as np
    from PIL import ImageDraw, ImageFont

    # the first line's place stays empty: the logo stands there
    pixels = np.array(text_page(("", *lines), size=(1400, 140 + 100 * len(lines))))
    logo = (40, 20, 640, 120)
    x0, y0, x1, y1 = logo
    rows, columns = np.mgrid[y0:y1, x0:x1]
    stripes = 150 + 80 * (columns - x0) / (x1 - x0) + 20 * np.sin(rows / 5.0)
    pixels[y0:y1, x0:x1] = stripes.astype(np.uint8)
    image = Image.fromarray(pixels)
    ImageDraw.Draw(image).text(
        (70, 40), "MUSTERFIRMA", font=ImageFont.load_default(size=48), fill=0
    )
    return image, logo


@pytest.mark.slow
def test_text_in_a_picture_stays_in_the_text_when_tesseract_does_not_read_the_page_well(
    rig: Rig, rapidocr: str
) -> None:
    """The picture regions come from Tesseract's layout, trusted only on a page it reads well."""
    # the logo's lettering is well under a tenth of the page's characters
    lines = (
        "Sehr geehrte Damen und Herren,",
        "anbei erhalten Sie die Rechnung vom Mai",
        "zu der Lieferung der bestellten Waren.",
        "Summe netto 4711 Euro, zahlbar bis Juni.",
        "Mit freundlichen Gruessen aus dem Buero",
    )
    image, logo = page_with_a_logo(lines)
    helper = FakeModelScript("tesseract", "cpu", 64 * MIB, text="nothing sure", pictures=(logo,))
    register_fakes(rig.manager, rig.probe, helper)

    result = combining_dispatcher(rig, (rapidocr, "tesseract")).recognize(page_of(image))

    assert "MUSTERFIRMA" in result.text.replace(" ", "")
    assert "in pictures" not in (result.route or ""), result.route
    assert all(line.in_text for line in result.lines)


@pytest.mark.slow
def test_lines_tesseract_is_sure_of_are_settled_and_the_rest_recognised(
    rig: Rig, rapidocr: str, tesseract: str
) -> None:
    lines = (*SEPARATE_WORDS, *RUN_TOGETHER)

    result = combining_dispatcher(rig, (rapidocr, tesseract)).recognize(
        page_of(text_page(lines, size=(1400, 440)))
    )

    assert result.backend == "rapidocr+tesseract"
    found = re.search(r"(\d+) of (\d+) line\(s\) as Tesseract read them", result.route or "")
    assert found is not None, result.route
    assert 1 <= int(found[1]) <= int(found[2]) == len(lines)
    settled = [line for line in result.lines if line.words]
    assert len(settled) == int(found[1])
    assert all(line.text == " ".join(word.text for word in line.words) for line in settled)
    for line in lines:
        assert line.split()[-1] in result.text
    assert dict(result.stages).keys() == {"preprocessing", "rapidocr", "tesseract", "combining"}


@pytest.mark.slow
def test_the_lines_tesseract_is_sure_of_are_not_detected_again(
    rig: Rig, rapidocr: str, tesseract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tesseract's sure lines are given to RapidOCR before its detector runs (``known``): the
    detector looks only where they leave ink, never at the whole page, and the page reads as
    when every line was detected and those were settled. (Where rows stand an empty line
    apart almost exactly, as here, the known lines' boxes may join them into one block: the
    empty lines between them are not compared, ``line_words.DETECTOR_REACH``.)"""
    from ablage_desktop.engine.backends import rapidocr as rapidocr_backend
    from ablage_desktop.engine.models import dispatcher

    image = text_page((*SEPARATE_WORDS, *RUN_TOGETHER), size=(1400, 1400))
    whole: list[int] = []
    real = rapidocr_backend._detect
    monkeypatch.setattr(rapidocr_backend, "_detect", lambda *args: whole.append(1) or real(*args))
    reading = combining_dispatcher(rig, (rapidocr, tesseract))

    known = reading.recognize(page_of(image))
    detected_whole = len(whole)
    monkeypatch.setattr(dispatcher, "sure_lines", lambda lines: [])
    as_before = reading.recognize(page_of(image))

    assert detected_whole == 0
    assert len(whole) == 1
    assert known.text.split("\n") == [line for line in as_before.text.split("\n") if line]
    assert [line.text for line in known.lines] == [line.text for line in as_before.lines]
    assert [bool(line.words) for line in known.lines] == [
        bool(line.words) for line in as_before.lines
    ]
    assert any(line.words for line in known.lines)


@pytest.mark.slow
def test_when_the_helper_fails_rapidocr_reads_the_page_alone(rig: Rig, rapidocr: str) -> None:
    broken = FakeModelScript("tesseract", "cpu", 64 * MIB, fail_load="no language data")
    register_fakes(rig.manager, rig.probe, broken)

    result = combining_dispatcher(rig, (rapidocr, "tesseract")).recognize(
        page_of(text_page(RUN_TOGETHER))
    )

    assert result.backend == "rapidocr"
    assert "Danke" in result.text
    assert "rapidocr alone (tesseract failed" in (result.route or "")


def small_print_dispatcher(rig: Rig, chain: Sequence[str]) -> PageDispatcher:
    """``auto``'s combined reading with the resolution step on for Tesseract only: small
    print is read by Tesseract upscaled."""
    router = router_of(rig, every_kind(chain), chain)
    resolution = PreprocessingSettings.model_validate(
        {
            "orientation": {"enabled": False},
            "deskew": {"enabled": False},
            "resolution": {"enabled": True, "engines": ["tesseract"]},
        }
    )
    return PageDispatcher(
        rig.manager,
        router.route,
        rig.events.append,
        1,
        preprocess=Preprocessor(resolution),
        combine=True,
    )


def test_small_print_tesseract_is_unsure_of_is_read_by_rapidocr_alone(rig: Rig) -> None:
    """Tesseract reads small print upscaled; where it is not sure of nearly all of it (a
    scan's), RapidOCR reads the page alone, without Tesseract's words."""
    reader = FakeModelScript("rapidocr", "cpu", 256 * MIB, text="Rechnung 4711")
    helper = FakeModelScript("tesseract", "cpu", 64 * MIB, text="Rechnung 4711")
    register_fakes(rig.manager, rig.probe, reader, helper)
    normal = text_page(SEPARATE_WORDS, size=(1400, 300))
    small = normal.resize((normal.width // 3, normal.height // 3), Image.Resampling.LANCZOS)

    read_small = small_print_dispatcher(rig, ("rapidocr", "tesseract")).recognize(page_of(small))

    assert read_small.backend == "rapidocr"
    assert "rapidocr alone (small print tesseract is unsure of)" in (read_small.route or "")
    assert helper.attempts == 1  # it read the page first


@pytest.mark.slow
def test_small_print_tesseract_is_sure_of_is_read_with_its_help(
    rig: Rig, rapidocr: str, tesseract: str
) -> None:
    """A screenshot's print, small but drawn sharp: Tesseract, reading it upscaled, is sure
    of nearly all of it, and the page is read with its help as a page of normal print is."""
    page = text_page(SEPARATE_WORDS, size=(1400, 300)).resize((467, 100), Image.Resampling.BOX)

    result = small_print_dispatcher(rig, (rapidocr, tesseract)).recognize(page_of(page))

    assert result.backend == "rapidocr+tesseract", result.route
    assert result.text.split() == " ".join(SEPARATE_WORDS).split()


def test_rapidocr_loads_while_its_helper_reads_the_first_page(rig: Rig, page: PageImage) -> None:
    """On a cold start RapidOCR's load (about 0.9 s) followed Tesseract's load and reading;
    now it runs meanwhile. The helper's reading here waits until the reader is loaded: loaded
    only after that reading, it never would be, and the page fails the wait."""
    reader_loaded = threading.Event()
    reader = FakeModelScript(
        "rapidocr", "cpu", 256 * MIB, text="Rechnung 4711", during_load=reader_loaded.set
    )
    overlapped: list[bool] = []
    helper = FakeModelScript(
        "tesseract",
        "cpu",
        64 * MIB,
        text="Rechnung 4711",
        during_page=lambda: overlapped.append(reader_loaded.wait(timeout=10)),
    )
    register_fakes(rig.manager, rig.probe, reader, helper)

    combining_dispatcher(rig, ("rapidocr", "tesseract")).recognize(page)

    assert overlapped and all(overlapped)
    assert reader.loads == 1 and rig.manager.info("rapidocr").state is ModelState.READY


def test_an_engine_that_cannot_split_its_reading_reads_the_whole_page(page: PageImage) -> None:
    """``Backend.recognize_where`` by default: the whole reading, no line asked about."""
    asked: list[object] = []
    backend = ScriptedBackend()

    result = backend.recognize_where(page, lambda boxes: asked.append(boxes) or [])

    assert result.text == backend.recognize(page).text
    assert asked == []


def test_without_the_switch_rapidocr_reads_alone(rig: Rig, tesseract: str, page: PageImage) -> None:
    rapidocr = FakeModelScript("rapidocr", "cpu", 256 * MIB, text="Rechnung 4711")
    register_fakes(rig.manager, rig.probe, rapidocr)
    chain = ("rapidocr", tesseract)
    router = router_of(rig, every_kind(chain), chain)
    dispatcher = PageDispatcher(rig.manager, router.route, rig.events.append, 1)

    assert dispatcher.recognize(page).backend == "rapidocr"


@pytest.mark.slow
def test_a_helper_that_cannot_load_is_not_tried_again_on_every_page(
    rig: Rig, rapidocr: str
) -> None:
    broken = FakeModelScript("tesseract", "cpu", 64 * MIB, fail_load="no language data")
    register_fakes(rig.manager, rig.probe, broken)
    dispatcher = combining_dispatcher(rig, (rapidocr, "tesseract"))
    page = page_of(text_page(RUN_TOGETHER))

    first, second = dispatcher.recognize(page), dispatcher.recognize(page)

    assert broken.attempts == 1
    assert "tesseract failed" in (first.route or "")
    assert second.backend == "rapidocr"


def test_an_empty_back_of_a_sheet_is_kept_where_an_empty_page_with_ink_is_not() -> None:
    """The back's ghosts are ink to the page analysis: only the engine's word keeps another
    engine from reading the mirrored print."""
    inked = PageAnalysis("simple", 0.05, 0.0, 0, 100, 100, "print")
    empty = OcrPage(0, 100, 100, "tesseract", 0.1, "")
    assert useless_result(empty, inked) == "no text on a page with visible ink"
    assert useless_result(replace(empty, back_of_sheet=True), inked) is None


@pytest.mark.slow
def test_a_line_whose_accents_tesseract_cannot_write_is_read_by_rapidocr(
    rig: Rig, rapidocr: str, tesseract: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """German and English Tesseract writes "Celik" for Çelik, "Munoz" for Muñoz and "Michat"
    for Michał, sure of them; their lines go to RapidOCR's recogniser, which knows the
    letters (``word_marks``), and the line of German words Tesseract knows stays settled.
    RapidOCR's "Yilmaz" takes the ı Tesseract read."""
    from ablage_desktop.engine.models import dispatcher

    lines = (
        "Kopie an Herrn Yılmaz und Herrn Çelik",
        "Lieferung an Frau Ana Muñoz",
        "Mit freundlichen Grüßen aus Köln",
        "Herrn Michał Nowak aus Wrocław",
    )
    from column_pages import font_file
    from PIL import ImageDraw, ImageFont

    path = font_file(serif=False)
    if path is None:
        pytest.skip("the DejaVu fonts are not installed (fonts-dejavu-core)")
    image = Image.new("L", (1400, 440), 255)
    for row, line in enumerate(lines):
        ImageDraw.Draw(image).text(
            (40, 40 + 100 * row), line, font=ImageFont.truetype(str(path), 44), fill=0
        )
    reading = combining_dispatcher(rig, (rapidocr, tesseract))

    result = reading.recognize(page_of(image))
    monkeypatch.setattr(dispatcher, "doubt_unwritten", lambda lines, image: list(lines))
    unchecked = reading.recognize(page_of(image))

    assert "Çelik" in result.text and "Muñoz" in result.text, result.text
    assert "Yılmaz" in result.text, result.text  # RapidOCR's "Yilmaz", mended (confusions)
    assert "Michał Nowak aus Wrocław" in result.text, result.text
    assert "Celik" in unchecked.text or "Munoz" in unchecked.text, unchecked.text
    assert "Michat" in unchecked.text or "Wroctaw" in unchecked.text, unchecked.text
    (settled,) = [line.text for line in result.lines if line.words]
    assert settled == lines[2]


# --- a batch of scans: its first engines load before its first page is seen -------------------


def wait_until(done: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        time.sleep(0.01)
    return done()


def test_the_engines_every_kind_of_page_starts_with_load_ahead_helper_first(rig: Rig) -> None:
    """Loaded before any page is analysed, in the order a page uses them (Tesseract reads
    first for RapidOCR): the loads then run beside the first page's decoding."""
    reader = FakeModelScript("rapidocr", "cpu", 256 * MIB, text="Rechnung 4711")
    helper = FakeModelScript("tesseract", "cpu", 64 * MIB, text="Rechnung 4711")
    register_fakes(rig.manager, rig.probe, reader, helper)
    chain = ("rapidocr", "tesseract")
    kinds = {"simple": chain, "complex": ("gpu_ocr", *chain), "unknown": chain}
    router = router_of(rig, kinds, chain, gpu_ocr_not_downloaded)
    dispatcher = PageDispatcher(rig.manager, router.route, rig.events.append, 1, combine=True)

    dispatcher.load_first_engines(router.usable_chains())

    assert wait_until(lambda: rig.manager.info("rapidocr").state is ModelState.READY)
    changes = [e for e in rig.events if isinstance(e, ModelStateChanged)]
    loading = [e.model for e in changes if e.state is ModelState.LOADING]
    assert loading == ["tesseract", "rapidocr"]
    assert rig.manager.info("gpu_ocr").state is ModelState.UNLOADED


def test_nothing_loads_ahead_where_kinds_of_page_start_with_other_engines(rig: Rig) -> None:
    """Which engine a page needs is known only once it is analysed: a simple page's GPU
    model is not loaded for a batch that may hold none."""
    router = router_of(rig, {"simple": CHAIN, "complex": CPU_CHAIN, "unknown": CPU_CHAIN})
    dispatcher = PageDispatcher(rig.manager, router.route, rig.events.append, 1)

    dispatcher.load_first_engines(router.usable_chains())

    assert not [t for t in threading.enumerate() if t.name.endswith(" ahead")]
    assert {info.state for info in rig.manager.infos()} == {ModelState.UNLOADED}


def test_the_usable_chains_leave_out_what_cannot_run_here(rig: Rig) -> None:
    kinds = {"simple": CHAIN, "complex": ("gpu_ocr",), "unknown": CPU_CHAIN}
    router = router_of(rig, kinds, available=gpu_ocr_not_downloaded)

    assert router.usable_chains() == [("cpu_ocr",), (), ("cpu_ocr",)]


def test_a_dark_page_reaches_the_engine_dark_on_light(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole page of light print on a dark ground is inverted before its engine sees it,
    through a page's reading and a batch's alike (``preprocess/dark_page.py``); a light page
    reaches it as it is."""
    import fakes
    import numpy as np

    seen: list[float] = []
    recognize = fakes.FakeModel.recognize

    def recording(self: fakes.FakeModel, page: PageImage, cancel: object = None) -> object:
        seen.append(float(np.median(np.asarray(page.image.convert("L")))))
        return recognize(self, page, cancel)

    monkeypatch.setattr(fakes.FakeModel, "recognize", recording)
    router = router_of(rig, every_kind(("cpu_ocr",)), ("cpu_ocr",))
    dispatcher = PageDispatcher(
        rig.manager,
        router.route,
        rig.events.append,
        1,
        preprocess=Preprocessor(PreprocessingSettings(enabled=True)),
    )
    light = text_page(SEPARATE_WORDS)
    dark = Image.fromarray(255 - np.asarray(light))

    dispatcher.recognize(page_of(dark))
    dispatcher.recognize_batch([page_of(dark), page_of(light)])
    dispatcher.recognize(page_of(light))

    assert all(median > 200 for median in seen) and len(seen) == 4, seen
