"""Pages of a mapped checkpoint file are handed back to the kernel, and read back on use."""

from __future__ import annotations

import mmap
import re
import sys
from pathlib import Path

import pytest

from ablage_desktop.engine.memory.mapped import page_out_files

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux madvise")


def rss_file() -> int:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"RssFile:\s+(\d+) kB", status)
    assert match is not None
    return int(match.group(1)) << 10


def test_the_mapped_pages_of_a_file_leave_the_rss_and_keep_their_content(tmp_path: Path) -> None:
    size = 64 << 20
    path = tmp_path / "model.safetensors"
    path.write_bytes(bytes(range(256)) * (size // 256))
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
        checksum = sum(view[offset] for offset in range(0, size, 4096))  # touch every page
        touched = rss_file()

        asked = page_out_files([path, tmp_path / "absent.safetensors"])
        released = rss_file()

        assert asked >= size
        assert touched - released > size // 2
        assert sum(view[offset] for offset in range(0, size, 4096)) == checksum
