"""A document from stdin (``ocr -``): for pipelines that scan and read in one go
(``scanimage --format=png | ablage-desktop ocr - --out -``), as ``tesseract stdin`` reads one.

The decoder reads files, so the bytes are kept in a private temporary folder while the batch
runs, as a file named ``stdin`` (its type comes from its bytes, as every document's does; its
result is ``stdin.txt``, and its JSON record names it ``-``). Such a batch is not recorded in
the archive, which keeps documents by their path: that file is gone when the command ends.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

STDIN = Path("-")
"""``ocr -``."""
NAME = "stdin"


def wants_stdin(args: argparse.Namespace) -> bool:
    return not args.resume and STDIN in args.paths


@contextlib.contextmanager
def with_stdin_document(args: argparse.Namespace, stream: BinaryIO) -> Iterator[None]:
    """``args`` with ``-`` among its paths replaced by a file holding ``stream``'s bytes, and
    the batch kept out of the archive, while the block runs."""
    with tempfile.TemporaryDirectory(prefix="ablage-stdin-") as folder:
        path = Path(folder) / NAME
        with path.open("wb") as file:
            shutil.copyfileobj(stream, file)
        paths = args.paths
        args.paths = list(dict.fromkeys(path if given == STDIN else given for given in paths))
        args.stdin_copy = path
        try:
            yield
        finally:
            args.paths = paths
            args.stdin_copy = None
