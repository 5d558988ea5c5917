"""Values that pass a naive check and then crash, and typos reported one at a time
(issue 16, items 6 and 9): each is refused up front with the key and the reason, exit 2, no
traceback; every problem of a configuration file is named at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_process import run_cli
from samples import text_page


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "p.png"
    text_page().save(path)
    return path


@pytest.mark.parametrize(
    ("yaml_text", "said"),
    [
        ("intake:\n  decode_timeout_s: 1e8\n", "less than or equal to 86400"),
        ("intake:\n  decode_timeout_s: .inf\n", "finite number"),
        ("intake:\n  decode_timeout_s: .nan\n", "finite number"),
        ("management:\n  keep_alive_s: .inf\n", "finite number"),
        ("intake:\n  watch_poll_s: 0\n", "greater than or equal to 0.1"),  # a busy loop
        ("intake:\n  watch_settle_s: .nan\n", "finite number"),
        ("models:\n  tesseract:\n    instances: 100000\n", "less than or equal to 64"),
    ],
)
def test_a_value_that_would_overflow_later_is_refused_with_its_key(
    tmp_path: Path, page: Path, yaml_text: str, said: str
) -> None:
    config = tmp_path / "hostile.yaml"
    config.write_text(yaml_text, encoding="utf-8")

    result = run_cli("--config", config, "ocr", page, "--out", tmp_path / "o", cwd=tmp_path)

    assert result.returncode == 2, result.stdout + result.stderr
    assert said in result.stderr
    assert "Traceback" not in result.stderr and "Overflow" not in result.stderr
    assert not (tmp_path / "o").exists()


def test_every_typo_of_a_file_is_named_at_once(tmp_path: Path, page: Path) -> None:
    """A typo in a model's key used to show only after the section typos were fixed."""
    config = tmp_path / "typos.yaml"
    config.write_text(
        "intake:\n  pdf_dpix: 200\nmodels:\n  tesseract:\n    langauges: deu\n"
        "routing:\n  simple: [rapidocr, tesserakt]\n",
        encoding="utf-8",
    )

    result = run_cli("--config", config, "ocr", page, cwd=tmp_path)

    assert result.returncode == 2
    for key in ("intake.pdf_dpix", "models.tesseract.langauges", "routing.simple.1"):
        assert key in result.stderr, key


@pytest.mark.parametrize("limit", ["99999999999999999999", "0", "-1", "ten"])
def test_a_search_limit_out_of_range_is_bad_usage(tmp_path: Path, limit: str) -> None:
    result = run_cli("search", "Rechnung", "--limit", limit, cwd=tmp_path)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "--limit" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("query", ["", "   "])
def test_a_search_without_a_word_is_bad_usage(tmp_path: Path, query: str) -> None:
    result = run_cli("search", query, cwd=tmp_path)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "search needs at least one word" in result.stderr
