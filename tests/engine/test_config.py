"""Configuration: the shipped inventory, user overrides, and errors a person can act on."""

from __future__ import annotations

from pathlib import Path

import pytest

from ablage_desktop.engine import Engine, load_config
from ablage_desktop.engine.backends.tesseract import TesseractOptions
from ablage_desktop.engine.config import deep_merge
from ablage_desktop.engine.errors import ConfigError

SEED_MODELS = {
    "got_ocr2": "gpu",
    "qwen2_vl": "gpu",
    "janus_pro": "gpu",
    "tesseract": "cpu",
    "rapidocr": "cpu",
    "surya": "cpu",
    "docling": "cpu",
}


def user_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_inventory_lists_the_seed_models_with_their_kind() -> None:
    statuses = {row.name: row for row in Engine(load_config()).statuses()}

    assert {name: row.kind for name, row in statuses.items()} == SEED_MODELS
    assert load_config().management.default_backend == "auto"


def test_engines_that_cannot_run_here_are_listed_as_unavailable_with_a_reason() -> None:
    statuses = {row.name: row for row in Engine(load_config()).statuses()}

    assert not statuses["surya"].available
    assert statuses["surya"].reason.startswith("no weights: the text detector")
    assert "ablage-desktop models download surya" in statuses["surya"].reason
    for name in ("got_ocr2", "qwen2_vl", "janus_pro"):  # no weights on this machine
        assert not statuses[name].available
        assert "not downloaded" in statuses[name].reason
        assert f"ablage-desktop models download {name}" in statuses[name].reason


def test_management_defaults() -> None:
    management = load_config().management

    assert management.lazy_loading is True
    assert management.max_vram_usage == 0.9
    assert management.memory_pressure.warning < management.memory_pressure.critical


def test_a_user_file_is_merged_over_the_defaults(tmp_path: Path) -> None:
    path = user_file(
        tmp_path,
        "management:\n  max_vram_usage: 0.5\n  vram_budget: 6GiB\n"
        "models:\n  tesseract:\n    languages: eng\n"
        "  tesseract_fast:\n    engine: tesseract\n    languages: eng\n    instances: 1\n"
        "intake:\n  pdf_dpi: 200\n",
    )

    config = load_config([path])

    assert config.management.max_vram_usage == 0.5
    assert config.management.vram_budget == 6 * 1024**3
    assert config.management.max_ram_usage == 0.8  # untouched default
    tesseract = config.model("tesseract")
    assert isinstance(tesseract, TesseractOptions)
    assert tesseract.languages == "eng"
    assert tesseract.page_segmentation == 3  # merged, not replaced
    assert config.model("tesseract_fast") is not None
    assert config.intake.limits().pdf_dpi == 200
    assert config.files == (path,)


def test_searchable_pdfs_keep_the_files_images_unless_told_compact(tmp_path: Path) -> None:
    assert load_config([]).exports.pdf_images == "original"
    compact = load_config([user_file(tmp_path, "exports:\n  pdf_images: compact\n")])
    assert compact.exports.pdf_images == "compact"
    assert load_config([]).with_pdf_images("compact").exports == compact.exports


def test_deep_merge_replaces_leaves_and_merges_mappings() -> None:
    merged = deep_merge({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": 3}, "d": [2]})
    assert merged == {"a": {"b": 3, "c": 2}, "d": [2]}


@pytest.mark.parametrize(
    ("text", "key", "line", "expected"),
    [
        ("management:\n  max_vram_usage: lots\n", "management.max_vram_usage", 2, "valid number"),
        (
            "management:\n  max_vram_usage: 1.5\n",
            "management.max_vram_usage",
            2,
            "less than or equal to 1",
        ),
        (
            "management:\n  max_vram_usgae: 0.5\n",
            "management.max_vram_usgae",
            2,
            "unknown key; expected one of",
        ),
        ("intake:\n  pdf_dpi: 10\n", "intake.pdf_dpi", 2, "greater than or equal to 50"),
        (
            "models:\n  tesseract:\n    languages: 'deu eng'\n",
            "models.tesseract.languages",
            3,
            "joined by '+'",
        ),
        (
            "models:\n  tesseract:\n    threads: 2\n",
            "models.tesseract.threads",
            3,
            "expected one of: description",
        ),
        (
            "models:\n  mine:\n    engine: abbyy\n",
            "models.mine.engine",
            3,
            "unknown engine 'abbyy'",
        ),
        (
            "models:\n  mine:\n    engine: got_ocr2\n",
            "models.mine.source",
            2,
            "required but missing",
        ),
        (
            "models:\n  got_ocr2:\n    quantization: int3\n",
            "models.got_ocr2.quantization",
            3,
            "'int8'",
        ),
        (
            "exports:\n  pdf_images: tiny\n",
            "exports.pdf_images",
            2,
            "'original' or 'compact'",
        ),
        (
            "management:\n  default_backend: nope\n",
            "management.default_backend",
            2,
            "not a configured model",
        ),
        (
            "management:\n  memory_pressure:\n    warning: 0.95\n",
            "management.memory_pressure",
            2,
            "warning below critical",
        ),
    ],
)
def test_bad_values_name_the_file_line_key_and_what_was_expected(
    tmp_path: Path, text: str, key: str, line: int, expected: str
) -> None:
    path = user_file(tmp_path, text)

    with pytest.raises(ConfigError) as caught:
        load_config([path])

    error = caught.value
    assert error.file == path
    assert error.key == key
    assert error.line == line
    assert expected in error.problem
    assert str(path) in error.message and key in error.message


def test_a_python_tag_is_refused_and_its_line_named(tmp_path: Path) -> None:
    path = user_file(tmp_path, "management:\n  lazy_loading: !!python/object:os.system {}\n")

    with pytest.raises(ConfigError, match="line 2") as caught:
        load_config([path])
    assert "python/object" in caught.value.problem


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = user_file(tmp_path, "management:\n  lazy_loading: [true\nintake: {}\n")

    with pytest.raises(ConfigError, match="not valid YAML") as caught:
        load_config([path])
    assert caught.value.line is not None


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config([user_file(tmp_path, "- one\n- two\n")])


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config([tmp_path / "nope.yaml"])


def test_an_empty_user_file_changes_nothing(tmp_path: Path) -> None:
    assert load_config([user_file(tmp_path, "")]).models.keys() == load_config().models.keys()


def test_a_disabled_model_is_shown_unavailable(tmp_path: Path) -> None:
    config = load_config([user_file(tmp_path, "models:\n  tesseract:\n    enabled: false\n")])

    statuses = {row.name: row for row in Engine(config).statuses()}

    assert not statuses["tesseract"].available
    assert "enabled: false" in statuses["tesseract"].reason
