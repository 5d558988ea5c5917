"""docs/RELIABILITY.md stays true: every row of the matrix names tests that exist, and a figure.

The matrix is the list of faults and bad inputs and the test that proves each; a renamed or
deleted test would silently leave a row without proof. Rows still waiting for their test say
so in words ("pending") and are counted, so that they cannot be forgotten either.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MATRIX = REPO / "docs" / "RELIABILITY.md"
TEST_REFERENCE = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:\[[^\]`]*\])?`")
PENDING = "pending"


@dataclass(frozen=True)
class Row:
    number: str
    fault: str
    tests: str
    figure: str

    @property
    def pending(self) -> bool:
        return self.tests.strip().lower().startswith(PENDING)


def matrix_rows() -> list[Row]:
    """The rows of every table in the matrix whose first cell is a row number."""
    rows = []
    for line in MATRIX.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 5 and re.fullmatch(r"[A-Z]?\d+[a-z]?", cells[0]):
            rows.append(Row(cells[0], cells[1], cells[3], cells[4]))
    return rows


@cache
def names_defined_in(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names)


def test_the_matrix_has_rows_for_the_issues_faults() -> None:
    rows = matrix_rows()
    faults = " ".join(row.fault.lower() for row in rows)

    assert len(rows) >= 30
    for fault in ("oom at load", "oom during inference", "leak", "decompression bomb",
                  "sigkill", "remote server", "truncated", "encrypted", "pickle",
                  "remote code", "read-only", "full", "fuzz"):  # fmt: skip
        assert fault in faults, fault
    assert len({row.number for row in rows}) == len(rows), "row numbers repeat"


@pytest.mark.parametrize("row", matrix_rows(), ids=lambda row: row.number)
def test_every_row_names_existing_tests_and_a_figure(row: Row) -> None:
    if row.pending:
        assert row.figure, f"row {row.number}: say what the pending test will measure"
        return
    references = TEST_REFERENCE.findall(row.tests)
    assert references, f"row {row.number} names no test as `tests/...py::name`"
    for file, name in references:
        path = REPO / file
        assert path.is_file(), f"row {row.number}: {file} does not exist"
        assert name in names_defined_in(path), f"row {row.number}: {file} has no {name}"
    assert row.figure and row.figure != "-", f"row {row.number} has no figure"


def test_pending_rows_are_few_and_said_so() -> None:
    pending = [row.number for row in matrix_rows() if row.pending]
    print(f"{len(matrix_rows())} rows, pending: {', '.join(pending) or 'none'}")
    assert len(pending) <= 6
