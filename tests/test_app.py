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


def test_a_command_ends_with_its_code_and_all_its_output(tmp_path) -> None:
    """The installed command ends without the interpreter's teardown (``app.end_now``):
    what it printed is all there, its code is the command's, and a reader that went away
    (``| head``) is still no error."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "ablage_desktop", "models", "list", "--json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    refused = subprocess.run(
        [sys.executable, "-m", "ablage_desktop", "ocr", "--no-archive", "missing.png"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    reader, writer = os.pipe()
    os.close(reader)
    gone = subprocess.run(command, stdout=writer, stderr=subprocess.PIPE, text=True, check=False)
    os.close(writer)

    assert done.returncode == 0
    assert done.stdout.rstrip().endswith("]") and '"tesseract"' in done.stdout
    assert refused.returncode == 1, refused.stderr  # a document failed
    assert "missing.png does not exist" in refused.stderr
    assert gone.returncode == 0
    assert "Traceback" not in gone.stderr and "Exception" not in gone.stderr
