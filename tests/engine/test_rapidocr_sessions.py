"""RapidOCR's sessions: ``instances`` pages read at once, each session with its share of the
cores, a page read alone on a session with every core, each counted in the memory estimate."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from samples import text_page

from ablage_desktop.engine.backends import rapidocr, rapidocr_memory
from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions, estimate, rapidocr_params
from ablage_desktop.engine.intake.documents import PageImage
from ablage_desktop.engine.run.cores import cores_if_restricted, usable_cores

THREADS = "EngineConfig.onnxruntime.intra_op_num_threads"


def test_the_cores_are_shared_out_among_the_sessions() -> None:
    cores = usable_cores()
    one = rapidocr_params(RapidOcrOptions(engine="rapidocr", instances=1))
    two = rapidocr_params(RapidOcrOptions(engine="rapidocr", instances=2))
    chosen = rapidocr_params(RapidOcrOptions(engine="rapidocr", instances=2, threads=3))
    alone = rapidocr_params(RapidOcrOptions(engine="rapidocr", instances=2), threads=0)

    # one session, or the one for a page alone: every core, onnxruntime's own count where
    # the process may use the whole machine, else the cores it has
    if cores_if_restricted():
        assert one[THREADS] == alone[THREADS] == cores
    else:
        assert THREADS not in one and THREADS not in alone
    assert two[THREADS] == max(1, cores // 2)
    assert chosen[THREADS] == 3


RESTRICTED = f"""
import json, os
os.sched_setaffinity(0, {{min(os.sched_getaffinity(0))}})
from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions, rapidocr_params
from ablage_desktop.engine.backends.tesseract import TesseractOptions

options = RapidOcrOptions(engine="rapidocr")
print(json.dumps([
    options.instances,
    rapidocr_params(options).get("{THREADS}"),
    TesseractOptions(engine="tesseract").instances,
]))
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs a process with two cores")
def test_a_process_given_one_core_reads_one_page_at_a_time_on_one_thread() -> None:
    """As in a container given one core of the machine (``docker run --cpuset-cpus``): the
    defaults follow the cores the process may use, not the machine's count."""
    found = subprocess.run(
        [sys.executable, "-c", RESTRICTED], capture_output=True, text=True, check=True
    )

    assert json.loads(found.stdout) == [1, 1, 1]


def test_each_session_counts_its_page_in_the_estimate() -> None:
    one = estimate(RapidOcrOptions(engine="rapidocr", instances=1, detection_side=1280))
    two = estimate(RapidOcrOptions(engine="rapidocr", instances=2, detection_side=1280))

    # two sessions side by side and the one for a page read alone
    assert two.weights == one.weights + 2 * rapidocr_memory.SESSION_BYTES
    assert two.activations == 2 * one.activations == 2 * rapidocr_memory.page_bytes(1280)
    chosen = estimate(RapidOcrOptions(engine="rapidocr", instances=2, threads=1))
    assert (
        chosen.weights == one.weights + rapidocr_memory.SESSION_BYTES
    )  # no session with every core
    plain = estimate(
        RapidOcrOptions(engine="rapidocr", instances=1, detection_side=1280, lexicon=False)
    )
    assert one.weights == plain.weights + rapidocr_memory.WORD_LIST_BYTES  # the word lists


def test_a_page_alone_gets_every_core_and_two_at_once_read_as_one_reads_them() -> None:
    if not rapidocr.check(RapidOcrOptions(engine="rapidocr")).ok:
        pytest.skip("rapidocr cannot run here")
    options = RapidOcrOptions(engine="rapidocr", instances=2, detection_side=1280)
    backend = rapidocr.load("rapidocr", options)
    pages = [
        PageImage(Path(f"{n}.png"), n, text_page((f"Rechnung {n} vom 4.12.2026",)), 300)
        for n in range(2)
    ]
    now = [100.0]
    backend._clock = lambda: now[0]  # type: ignore[attr-defined]
    try:
        assert backend.concurrency == 2
        first, wide = backend._take()  # type: ignore[attr-defined]
        second, narrow = backend._take()  # type: ignore[attr-defined]
        assert wide and not narrow and first is not second
        backend._give_back(second, narrow)  # type: ignore[attr-defined]
        backend._give_back(first, wide)  # type: ignore[attr-defined]
        now[0] += 0.2  # the next page of a batch, its preprocessing done
        session, wide = backend._take()  # type: ignore[attr-defined]
        assert not wide, "a page just ended: a batch goes on, its pages share the cores"
        backend._give_back(session, wide)  # type: ignore[attr-defined]
        now[0] += rapidocr.ALONE_AFTER_S
        session, wide = backend._take()  # type: ignore[attr-defined]
        assert wide, "alone again: every core"
        backend._give_back(session, wide)  # type: ignore[attr-defined]
        backend._clock = time.monotonic  # type: ignore[attr-defined]

        alone = [backend.recognize(page).text for page in pages]
        together: list[str] = ["", ""]

        def read(n: int) -> None:
            together[n] = backend.recognize(pages[n]).text

        threads = [threading.Thread(target=read, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        backend.close()

    assert together == alone
    assert "Rechnung 1" in alone[1]
