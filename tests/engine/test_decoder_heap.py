"""The decoder process keeps freed page buffers for the next page instead of faulting fresh
memory in for every page (``memory/heap.py``).

Each check runs in a child process: the allocator setting belongs to the whole process, and
the test process must keep its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PAGES = """
import resource, sys
from ablage_desktop.engine.memory.heap import keep_page_buffers

if sys.argv[1] == "keep":
    assert keep_page_buffers()
page = 9 << 20  # a grey 300-dpi A4 page: rendered, copied, handed over
buffers = [b"\\x01" * page for _ in range(3)]  # the first page's memory is new either way
del buffers
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(6):
    buffers = [b"\\x01" * page for _ in range(3)]  # filled, as a page's buffers are
    del buffers
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(mode: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PAGES, mode], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_later_pages_reuse_the_memory_of_earlier_ones() -> None:
    plain, kept = _faults("plain"), _faults("keep")

    assert plain > 6 * 4000  # each page faulted most of its 3 x 2,300 pages of 4 KiB again
    assert kept < plain / 10


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and glibc's mallopt")
def test_the_decoder_process_renders_page_after_page_in_the_same_memory(tmp_path: Path) -> None:
    from samples import pdf_bytes, text_page

    from ablage_desktop.engine.intake.decoding import IsolatedDecoder
    from ablage_desktop.engine.intake.documents import IntakeLimits

    path = tmp_path / "scans.pdf"
    path.write_bytes(pdf_bytes([text_page(size=(2480, 3508))] * 8))  # 300-dpi A4 scans

    def faults(pid: int) -> int:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[7])

    with IsolatedDecoder() as decoder, decoder.open(path, IntakeLimits(pdf_dpi=300)) as document:
        pages = document.pages()
        next(pages)  # the first page's memory is new either way
        pid = decoder.pid
        assert pid is not None
        before = faults(pid)
        count = sum(1 for _ in pages)
        after = faults(pid)

    assert count == 7
    # Without the setting each page faulted about 6,000 pages of 4 KiB in (three buffers of
    # 8.7 MB); kept, a few hundred at most.
    assert (after - before) / count < 1500
