"""How the command line is split between the window and the subcommands."""

from __future__ import annotations

import pytest

from ablage_desktop.app import split_gui_paths


@pytest.mark.parametrize(
    ("argv", "options", "paths"),
    [
        ([], [], []),
        (["scan.pdf", "inbox/"], [], ["scan.pdf", "inbox/"]),
        (["--config", "my.yaml", "scan.pdf", "-v"], ["--config", "my.yaml", "-v"], ["scan.pdf"]),
        (["ocr", "scan.pdf"], ["ocr", "scan.pdf"], []),
        (["-v", "models", "list"], ["-v", "models", "list"], []),
    ],
)
def test_paths_without_a_command_open_the_window_with_them(
    argv: list[str], options: list[str], paths: list[str]
) -> None:
    assert split_gui_paths(argv) == (options, paths)
