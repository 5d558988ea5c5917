"""Output safety: results appear whole or not at all, and the user's documents are never touched.

Real folders, real processes: a full folder is a tmpfs filled to the last block (where this
process may mount, i.e. as root with CAP_SYS_ADMIN), and always a child process whose file size
limit (RLIMIT_FSIZE) the kernel enforces on the write; a read-only folder is a read-only tmpfs
(same condition) and a folder without write permission (root, which permission bits do not
stop, runs the program through setpriv without the DAC override capability).
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_process import run_cli
from samples import DATA, encrypted_pdf_bytes, huge_png_bytes, jpeg_bytes, pdf_bytes, text_page

from ablage_desktop.engine.archive.store import Store
from ablage_desktop.engine.results.atomicfile import TEMP_SUFFIX, output_error, write_atomic

ROOT = os.geteuid() == 0
OLD_RESULT = b"the result of last week's run\n"


def mount_tmpfs(folder: Path, options: str) -> str | None:
    """Mount a tmpfs on ``folder``; None, or why it cannot be done here."""
    if not ROOT or shutil.which("mount") is None:
        return "mounting a tmpfs needs root"
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else f"mount failed: {done.stderr.strip()}"


def unmount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def fill(folder: Path) -> int:
    """Write into ``folder`` until its file system is full; the bytes written."""
    written = 0
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                written += handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return written


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "p.png"
    path.parent.mkdir()
    text_page().save(path, dpi=(300, 300))
    return path


WITHOUT_ROOTS_OVERRIDE = ("--bounding-set=-dac_override,-dac_read_search",)
"""setpriv options: root without the capability that lets it ignore permission bits."""


@pytest.fixture(params=["read_only_mount", "no_write_permission"])
def read_only_folder(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """An output folder holding last week's result, which nobody can write to now; and the
    command prefix the CLI must run under for that (root ignores permission bits)."""
    folder = tmp_path / "out"
    if request.param == "read_only_mount":
        why_not = mount_tmpfs(folder, "size=1m")
        if why_not:
            pytest.skip(why_not + " (the permission variant covers other users)")
        (folder / "p.txt").write_bytes(OLD_RESULT)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        yield folder, ()
        unmount(folder)
        return
    prefix: tuple[str, ...] = ()
    if ROOT:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root this needs setpriv (util-linux) to drop the DAC override")
        prefix = (setpriv, *WITHOUT_ROOTS_OVERRIDE)
    folder.mkdir()
    (folder / "p.txt").write_bytes(OLD_RESULT)
    folder.chmod(0o555)
    yield folder, prefix
    folder.chmod(0o755)


def test_a_read_only_output_folder_is_a_clear_error_and_leaves_no_file(
    tmp_path: Path, page: Path, read_only_folder: tuple[Path, tuple[str, ...]]
) -> None:
    folder, prefix = read_only_folder
    store = tmp_path / "archive.sqlite3"

    result = run_cli("ocr", page, "--backend", "tesseract", "--out", folder, "--store", store,
                     cwd=tmp_path, prefix=prefix)  # fmt: skip

    assert result.returncode == 2, result.stderr
    # found before recognition (issue 16, item 9): nothing read, nothing archived
    assert f"the output folder {folder} cannot be written" in result.stderr
    assert "Nothing was read" in result.stderr
    assert "read-only file system" in result.stderr or "not writable for you" in result.stderr
    assert not store.exists() or Store(store).page_count() == 0
    assert "Traceback" not in result.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["p.txt"]
    assert (folder / "p.txt").read_bytes() == OLD_RESULT


@pytest.fixture
def full_folder(tmp_path: Path) -> Iterator[Path]:
    """A real full disk: a small tmpfs holding last week's result, filled to the last block."""
    folder = tmp_path / "out"
    why_not = mount_tmpfs(folder, "size=256k")
    if why_not:
        pytest.skip(why_not + " (the file-size-limit test covers a full disk without it)")
    (folder / "p.txt").write_bytes(OLD_RESULT)
    fill(folder)
    yield folder
    unmount(folder)


def test_a_full_output_folder_is_a_clear_error_and_no_page_read_is_lost(
    tmp_path: Path, page: Path, full_folder: Path
) -> None:
    store = tmp_path / "archive.sqlite3"
    command = ("ocr", page, "--backend", "tesseract", "--out", full_folder, "--store", store)

    full = run_cli(*command, cwd=tmp_path)

    assert full.returncode == 2, full.stderr
    assert f"cannot write {full_folder / 'p.txt'}: the disk is full" in full.stderr
    assert "kept in the archive" in full.stderr
    assert "Traceback" not in full.stderr
    assert sorted(p.name for p in full_folder.iterdir()) == ["filler", "p.txt"]
    assert (full_folder / "p.txt").read_bytes() == OLD_RESULT
    print(f"full tmpfs ({(full_folder / 'filler').stat().st_size} bytes of filler): exit 2")
    # room again: the same command writes the result from the archive, without reading again
    (full_folder / "filler").unlink()
    again = run_cli(*command, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "1 page(s) came from the archive" in again.stdout
    assert "Invoice 4711" in (full_folder / "p.txt").read_text(encoding="utf-8")
    assert not list(full_folder.glob(f"*{TEMP_SUFFIX}"))


CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from ablage_desktop.engine.results.atomicfile import output_error, write_atomic
    target = Path(sys.argv[1])
    try:
        write_atomic(target, b"x" * int(sys.argv[2]))
    except OSError as exc:
        print(output_error(target, exc).message)
        sys.exit(3)
    """
)


@pytest.mark.parametrize("size", [4096 + 1, 1 << 20])
def test_a_write_beyond_the_file_size_limit_leaves_the_old_file_and_no_partial_one(
    tmp_path: Path, size: int
) -> None:
    """The kernel stops the write at RLIMIT_FSIZE (SIGXFSZ, which Python ignores: EFBIG)."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "result.txt"
    target.write_bytes(OLD_RESULT)

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(target), str(size)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=limit_file_size,
        check=False,
    )

    assert child.returncode == 3, child.stderr
    assert "larger than this file system (or a limit) allows" in child.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["result.txt"]
    assert target.read_bytes() == OLD_RESULT


def test_a_new_result_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    """Not 0600 as a bare temporary file would be: other programs must read results."""
    target = tmp_path / "out" / "result.txt"
    umask = os.umask(0o022)
    try:
        write_atomic(target, b"text")
    finally:
        os.umask(umask)

    assert target.stat().st_mode & 0o777 == 0o644


def test_every_write_error_is_said_in_words() -> None:
    target = Path("/archive/out/result.txt")
    for code, words in [
        (errno.ENOSPC, "the disk is full"),
        (errno.EROFS, "read-only file system"),
        (errno.EACCES, "not writable for you"),
        (errno.EDQUOT, "quota"),
        (errno.ENOTDIR, "a file stands where the folder should be"),
        (errno.EIO, os.strerror(errno.EIO)),
    ]:
        message = output_error(target, OSError(code, os.strerror(code))).message
        assert message.startswith(f"cannot write {target}: {words}") or words in message
        assert "no partial file" in message


def _fingerprint(folder: Path) -> dict[str, tuple[str, int, int, int]]:
    """Content hash, size, modification time and mode of every file under ``folder``."""
    prints = {}
    for path in sorted(folder.rglob("*")):
        info = path.stat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        prints[str(path.relative_to(folder))] = (digest, info.st_size, info.st_mtime_ns,
                                                 info.st_mode)  # fmt: skip
    return prints


@pytest.fixture
def documents(tmp_path: Path) -> Path:
    """Real documents of every type, and broken ones, in a folder of the user's."""
    folder = tmp_path / "documents"
    folder.mkdir()
    for name in ("de_intarsys_taxifahrt_g4.tif", "funsd_0060165115.png", "sroie_402.jpg"):
        if (DATA / name).is_file():
            shutil.copy2(DATA / name, folder / name)
    page = text_page()
    page.save(folder / "letter.png", dpi=(300, 300))
    (folder / "scan.jpg").write_bytes(jpeg_bytes(page))
    (folder / "two pages.pdf").write_bytes(pdf_bytes([page, page]))
    page.convert("1").save(folder / "fax.tif", dpi=(200, 200), compression="group4")
    (folder / "empty.png").write_bytes(b"")
    truncated = jpeg_bytes(page)
    (folder / "truncated.jpg").write_bytes(truncated[: len(truncated) // 2])
    (folder / "locked.pdf").write_bytes(encrypted_pdf_bytes(tmp_path))
    (folder / "huge.png").write_bytes(huge_png_bytes())
    (folder / "really a pdf.png").write_bytes(pdf_bytes([page]))
    return folder


def test_a_batch_never_modifies_its_input_files(tmp_path: Path, documents: Path) -> None:
    """The searchable PDF opens every document a second time to take its page images."""
    before = _fingerprint(documents)

    result = run_cli("ocr", documents, "--backend", "tesseract", "--format", "pdf", "--out",
                     tmp_path / "out", "--store", tmp_path / "a.sqlite3", cwd=tmp_path)  # fmt: skip

    assert result.returncode == 1, result.stderr  # the broken files fail, alone
    assert "failed" in result.stdout
    assert _fingerprint(documents) == before
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written and not [name for name in written if name.endswith(TEMP_SUFFIX)]
    print(f"{len(before)} input files, {len(written)} results, inputs unchanged")
