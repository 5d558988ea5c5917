"""File names as text, for places that only take valid Unicode (SQLite, Qt, UTF-8 files).

On Linux a file name is bytes; Python turns bytes that are not UTF-8 into lone surrogates
(U+DC80..U+DCFF, PEP 383), which SQLite, Qt and UTF-8 writers refuse. ``to_storage`` gives a
valid string that ``from_storage`` turns back into exactly the same name (so the file can be
opened again); every name without such bytes is stored as it is. ``display`` is for people:
the bytes that are not text show as U+FFFD, as file managers show them. ``display_line`` is for
one line of a terminal: a newline or other control character in a name shows as an escape
(``\n``), so a name cannot fake lines of its own.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path

_ESCAPE = "\x00"
"""Never part of a POSIX file name, so it marks escapes unambiguously."""
_SURROGATES = re.compile("[\udc80-\udcff\x00]")
_ESCAPED = re.compile("\x00(\x00|[0-9a-f]{2})")
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAMED_CONTROLS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def to_storage(text: str) -> str:
    """``text`` with each undecodable byte as NUL + two hex digits (and NUL as two NULs)."""
    return _SURROGATES.sub(_escape, text)


def from_storage(text: str) -> str:
    """The original of ``to_storage(original)``."""
    return _ESCAPED.sub(_unescape, text)


def path_to_storage(path: Path | str) -> str:
    return to_storage(str(path))


def path_from_storage(text: str) -> Path:
    return Path(from_storage(text))


def display(text: str | Path) -> str:
    """``text`` fit for a screen or a UTF-8 file: undecodable bytes become U+FFFD."""
    value = str(text)
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def json_name(path: str | Path, key: str = "document") -> dict[str, str]:
    """A file name for JSON: ``key`` as people and other tools read it (valid UTF-8, U+FFFD
    for bytes that are not text) and ``<key>_bytes_b64``, the exact bytes of the name, so that
    a program can open the file again whatever its name."""
    exact = base64.b64encode(os.fsencode(str(path))).decode("ascii")
    return {key: display(path), f"{key}_bytes_b64": exact}


def name_from_json(record: dict[str, object], key: str = "document") -> str:
    """The exact name that ``json_name`` wrote into ``record`` (as ``str``, as ``os`` gives)."""
    return os.fsdecode(base64.b64decode(str(record[f"{key}_bytes_b64"])))


def display_line(text: str | Path) -> str:
    """``text`` with control characters (newline, carriage return, escape, ...) shown as
    backslash escapes, as ``ls`` quotes them: fit for one line of a terminal. Bytes that are
    not UTF-8 stay as they are (the app writes them out as the bytes they are, as ``ls`` does)."""
    return _CONTROLS.sub(_control_escape, str(text))


def _control_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _NAMED_CONTROLS.get(char) or f"\\x{ord(char):02x}"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char == _ESCAPE:
        return _ESCAPE * 2
    return f"{_ESCAPE}{ord(char) - 0xDC00:02x}"


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code == _ESCAPE:
        return _ESCAPE
    return chr(0xDC00 + int(code, 16))
