"""The window and the command line compare model and document states with the enums'
members (``ModelState``, ``DocumentState``), never with words: a renamed or new state then
fails where it is used instead of silently matching nothing."""

from __future__ import annotations

import ast
from pathlib import Path

import ablage_desktop

PACKAGE = Path(ablage_desktop.__file__).parent
STATE_NAMES = frozenset({"state", "previous"})


def _names_a_state(node: ast.expr) -> bool:
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in STATE_NAMES or name.endswith("_state")


def _holds_a_word(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_holds_a_word(element) for element in node.elts)
    return False


def state_literals(source: str) -> list[int]:
    """The lines of ``source`` that compare a state with a string literal."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        if any(map(_names_a_state, operands)) and any(map(_holds_a_word, operands)):
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_state_compared_with_words() -> None:
    source = (
        "if event.previous == 'loading':\n    pass\n"
        "ok = status.state in ('ready', 'busy')\n"
        "fine = entry.state is DocumentState.DONE\n"
        "also_fine = error.kind == 'cancelled'\n"
    )
    assert state_literals(source) == [1, 3]


def test_no_gui_or_cli_module_compares_a_state_with_a_word() -> None:
    found = {
        str(path.relative_to(PACKAGE)): lines
        for package in ("gui", "cli")
        for path in sorted((PACKAGE / package).rglob("*.py"))
        if (lines := state_literals(path.read_text(encoding="utf-8")))
    }
    assert found == {}
