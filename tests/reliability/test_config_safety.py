"""Configuration files are data, never code, and every mistake in them is reported.

A user's file is read with YAML's safe loader: a ``!!python/...`` tag is an error naming its
line (and the code it names never runs); unknown keys are all listed; a key given twice, an
alias bomb, absurd nesting and a file that is no configuration at all are errors too, quickly.
Anything else a file can hold either loads or raises ``ConfigError`` (hypothesis).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ablage_desktop import app
from ablage_desktop.engine.config import MAX_CONFIG_BYTES, MAX_VALUES, load_config
from ablage_desktop.engine.errors import ConfigError


def user_file(folder: Path, text: str | bytes, name: str = "config.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system ['touch {marker}']",
        "!!python/object/new:subprocess.call [['touch', '{marker}']]",
        "!!python/name:os.system",
        "!!python/module:os",
        "!!python/object:argparse.Namespace {{path: '{marker}'}}",
    ],
)
def test_a_python_tag_is_an_error_naming_its_line_and_nothing_runs(
    tmp_path: Path, tag: str
) -> None:
    marker = tmp_path / "EXECUTED"
    text = "# mine\nmanagement:\n  keep_alive_s: 10\n  lazy_loading: " + tag.format(marker=marker)
    path = user_file(tmp_path, text + "\n")

    with pytest.raises(ConfigError) as caught:
        load_config([path])

    assert caught.value.line == 4
    assert "python/" in caught.value.problem and "only plain YAML values" in caught.value.problem
    assert str(path) in caught.value.message
    assert not marker.exists()


def test_the_users_own_override_file_gets_the_same_treatment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file read at every start (~/.config/ablage-desktop/config.yaml), through main()."""
    marker = tmp_path / "EXECUTED"
    override = app.user_config_file()
    override.parent.mkdir(parents=True, exist_ok=True)
    override.write_text(
        f"intake:\n  pdf_dpi: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8",
    )

    code = app.main(["models", "list"])

    error = capsys.readouterr().err
    assert code == 2
    assert f"configuration error in {override}, line 2" in error
    assert not marker.exists()


def test_every_unknown_key_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "management:\n"
        "  max_vram_usgae: 0.5\n"
        "  keep_alive: 10\n"
        "intake:\n"
        "  pdf_dip: 200\n"
        "models:\n"
        "  tesseract:\n"
        "    threads: 2\n"
        "    langs: deu\n"
    )
    path = user_file(tmp_path, text)

    with pytest.raises(ConfigError) as caught:
        load_config([path])

    message = caught.value.message
    assert caught.value.key == "management.max_vram_usgae" and caught.value.line == 2
    assert "'management.keep_alive' (line 3): unknown key" in message
    assert "'intake.pdf_dip' (line 5): unknown key" in message
    # models are validated one by one, after the sections: fixing the sections shows these
    fixed = user_file(tmp_path, "models:\n" + text.split("models:\n")[1], "models.yaml")
    with pytest.raises(ConfigError) as caught:
        load_config([fixed])
    assert caught.value.key == "models.tesseract.threads" and caught.value.line == 3
    assert "'models.tesseract.langs' (line 4): unknown key" in caught.value.message


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    path = user_file(tmp_path, "management:\n  keep_alive_s: 10\n  keep_alive_s: 0\n")

    with pytest.raises(ConfigError, match=r"given twice \(lines 2 and 3\)") as caught:
        load_config([path])

    assert caught.value.key == "management.keep_alive_s"


def test_a_key_given_twice_on_one_line_is_an_error_too(tmp_path: Path) -> None:
    path = user_file(tmp_path, "management: {keep_alive_s: 10, keep_alive_s: 0}\n")

    with pytest.raises(ConfigError, match=r"given twice \(line 1\)") as caught:
        load_config([path])

    assert caught.value.key == "management.keep_alive_s"


def test_an_alias_bomb_is_refused_in_well_under_a_second(tmp_path: Path) -> None:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, 9):  # 10^9 strings once expanded
        refs = ", ".join([f"*l{level - 1}"] * 10)
        lines.append(f"l{level}: &l{level} [{refs}]")
    lines.append("routing:\n  simple: *l8")
    path = user_file(tmp_path, "\n".join(lines) + "\n")

    started = time.perf_counter()
    with pytest.raises(ConfigError, match=f"more than {MAX_VALUES} values") as caught:
        load_config([path])
    seconds = time.perf_counter() - started

    print(f"alias bomb (10^9 values) refused in {seconds * 1000:.0f} ms")
    assert caught.value.line is not None
    assert seconds < 1.0


def test_absurd_nesting_is_an_error_not_a_crash(tmp_path: Path) -> None:
    path = user_file(tmp_path, "intake: " + "[" * 1500 + "]" * 1500 + "\n")

    with pytest.raises(ConfigError, match="levels deep"):
        load_config([path])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"management:\n  default_backend: r\xe4pidocr\n", "cannot be read"),
        (b"# " + b"x" * MAX_CONFIG_BYTES + b"\n", "not a configuration"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "cannot be read"),
    ],
    ids=["latin1", "too_large", "an_image"],
)
def test_a_file_that_is_no_configuration_is_an_error(
    tmp_path: Path, content: bytes, words: str
) -> None:
    with pytest.raises(ConfigError, match=words):
        load_config([user_file(tmp_path, content)])


def test_a_folder_given_as_the_configuration_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config([tmp_path])


YAML_PIECES = st.sampled_from(
    [
        "management:",
        "intake:",
        "models:",
        "routing:",
        "  tesseract:",
        "  keep_alive_s: 5",
        "  pdf_dpi: 300",
        "    enabled: false",
        "  simple: [rapidocr]",
        "&a",
        "*a",
        "<<: *a",
        "!!python/object:os.system",
        "!!binary aGk=",
        "? complex",
        "- item",
        "{",
        "}",
        "[",
        "'",
        '"',
        "\t",
        "%YAML 1.1",
        "---",
        "...",
        "~",
        ": :",
        "\ufeff",
        "é",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(0, 4), YAML_PIECES), max_size=12))
def test_any_text_either_loads_or_raises_config_error(
    tmp_path: Path, pieces: list[tuple[int, str]]
) -> None:
    text = "\n".join("  " * indent + piece for indent, piece in pieces)
    path = user_file(tmp_path, text)
    try:
        load_config([path])
    except ConfigError as exc:
        assert exc.file == path
