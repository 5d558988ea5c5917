"""The limits of the app's cgroup (``engine/memory/cgroup.py``): a container's ``--memory``
is the RAM the probe reports, not the machine's, and its ``--cpus`` the cores the engines'
threads are sized by."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from ablage_desktop.engine.memory.cgroup import MemoryGroup, cpu_limit
from ablage_desktop.engine.memory.probe import SystemProbe

GIB = 1 << 30


def write(folder: Path, **files: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name.replace("_", ".", 1)).write_text(text + "\n", encoding="ascii")


def v2_tree(tmp_path: Path, limits: dict[str, str]) -> tuple[Path, Path]:
    """``/proc/self/cgroup`` and a v2 hierarchy: the app in ``/user.slice/ablage.scope``,
    ``limits`` the ``memory.max`` of each group by its path."""
    root = tmp_path / "cgroup"
    for path, limit in limits.items():
        write(
            root / path.strip("/"),
            memory_max=limit,
            memory_current=str(3 * GIB),
            memory_stat=f"anon {2 * GIB}\ninactive_file {GIB}\nactive_file 0",
        )
    proc = tmp_path / "proc-cgroup"
    proc.write_text("0::/user.slice/ablage.scope\n", encoding="ascii")
    return proc, root


def test_a_v2_limit_counts_with_what_the_group_holds_but_its_file_cache(tmp_path: Path) -> None:
    """A container (Podman, Docker on cgroup v2) given 4 GiB holding 3 GiB, 1 GiB of it file
    cache the kernel may drop: 2 GiB held, 2 GiB left."""
    proc, root = v2_tree(tmp_path, {"/": "max", "/user.slice/ablage.scope": str(4 * GIB)})

    group = MemoryGroup.of_this_process(proc, root)

    assert group is not None and group.folder == root / "user.slice" / "ablage.scope"
    reading = group.read()
    assert reading is not None
    assert (reading.limit, reading.used, reading.available) == (4 * GIB, 2 * GIB, 2 * GIB)


def test_v2_the_tightest_limit_on_the_way_to_the_root_counts(tmp_path: Path) -> None:
    """systemd's ``MemoryMax`` on the slice, none on the app's own scope; a looser one above."""
    proc, root = v2_tree(
        tmp_path, {"/": "max", "/user.slice": str(6 * GIB), "/user.slice/ablage.scope": "max"}
    )

    group = MemoryGroup.of_this_process(proc, root)

    assert group is not None and group.folder == root / "user.slice"
    reading = group.read()
    assert reading is not None
    assert (reading.limit, reading.used, reading.available) == (6 * GIB, 2 * GIB, 4 * GIB)


def test_v2_without_a_limit_anywhere_there_is_no_group(tmp_path: Path) -> None:
    proc, root = v2_tree(
        tmp_path, {"/": "max", "/user.slice": "max", "/user.slice/ablage.scope": "max"}
    )

    assert MemoryGroup.of_this_process(proc, root) is None


@pytest.mark.parametrize("path", ["/docker/4711", "/"])
def test_a_v1_containers_limit_is_found_by_its_path_or_at_the_mount(
    tmp_path: Path, path: str
) -> None:
    """Docker on cgroup v1: the container's group by its path, or (its own cgroup namespace)
    "/" with the group mounted at the controller's root; v1's "no limit" is a huge number."""
    root = tmp_path / "cgroup"
    memory = root / "memory"
    write(memory, memory_limit_in_bytes="9223372036854771712")
    container = memory / path.strip("/")
    write(
        container,
        memory_limit_in_bytes=str(4 * GIB),
        memory_usage_in_bytes=str(GIB + GIB // 2),
        memory_stat=f"cache {GIB}\ninactive_file 0\ntotal_inactive_file {GIB // 2}",
    )
    proc = tmp_path / "proc-cgroup"
    proc.write_text(f"5:cpu,cpuacct:{path}\n4:memory:{path}\n0::/\n", encoding="ascii")

    group = MemoryGroup.of_this_process(proc, root)

    assert group is not None and group.folder == container
    reading = group.read()
    assert reading is not None and (reading.limit, reading.used) == (4 * GIB, GIB)


def test_the_probe_reports_the_groups_limit_as_the_ram_and_what_it_leaves_as_available(
    tmp_path: Path,
) -> None:
    proc, root = v2_tree(tmp_path, {"/user.slice/ablage.scope": str(5 * GIB)})
    group = MemoryGroup.of_this_process(proc, root)
    assert group is not None

    limited = SystemProbe(group=group).snapshot()
    machine = SystemProbe(own_group=False).snapshot()

    if machine.ram_total <= 5 * GIB or machine.ram_available <= 4 * GIB:
        pytest.skip("this machine has no more RAM than the limit, or less of it free")
    assert limited.ram_total == 5 * GIB
    assert limited.ram_available == 3 * GIB  # what the group leaves, less than the machine
    assert limited.ram_used == limited.ram_total - limited.ram_available


@pytest.mark.parametrize(
    ("line", "files", "cores"),
    [
        ("0::/app", {"app/cpu.max": "200000 100000", "cpu.max": "max 100000"}, 2.0),
        ("0::/app", {"app/cpu.max": "max 100000"}, None),
        ("0::/app", {"app/cpu.max": "400000 100000", "cpu.max": "150000 100000"}, 1.5),
        ("3:cpu,cpuacct:/docker/4711", {"cpu/docker/4711/cpu.cfs_quota_us": "-1"}, None),
        (
            "3:cpu,cpuacct:/",
            {"cpu/cpu.cfs_quota_us": "250000", "cpu/cpu.cfs_period_us": "100000"},
            2.5,
        ),
    ],
)
def test_the_cpu_time_the_group_may_use_is_its_tightest_quota_over_its_period(
    tmp_path: Path, line: str, files: dict[str, str], cores: float | None
) -> None:
    """``docker run --cpus 2``: a quota of 200 ms each 100 ms; "max" or v1's -1: none."""
    root = tmp_path / "cgroup"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text + "\n", encoding="ascii")
    if "cpu.cfs_quota_us" in str(files) and "cpu/cpu.cfs_period_us" not in files:
        for name in files:
            (root / name).with_name("cpu.cfs_period_us").write_text("100000\n")
    proc = tmp_path / "proc-cgroup"
    proc.write_text(line + "\n", encoding="ascii")

    assert cpu_limit(proc, root) == cores


JOIN = """
import json, os, sys
from pathlib import Path
try:
    Path(sys.argv[1], "cgroup.procs").write_text(str(os.getpid()))
except OSError:  # not allowed to join it: nothing to say
    print("null")
    sys.exit(0)
"""


def in_real_group(settings: dict[Path, tuple[str, str]], code: str) -> object:
    """What ``code`` prints (JSON) in a process put into a new cgroup under one of the
    ``settings``' mounts, with its file set to its value (as a container runtime makes it);
    skips where this user cannot make one (it needs root and cgroups mounted)."""
    for mount, (name, value) in settings.items():
        folder = mount / f"ablage-test-{uuid.uuid4().hex[:8]}"
        try:
            folder.mkdir()
        except OSError:
            continue
        try:
            try:
                (folder / name).write_text(value)
            except OSError:
                continue
            found = subprocess.run(
                [sys.executable, "-c", JOIN + code, str(folder)],
                capture_output=True,
                text=True,
                check=True,
            )
        finally:
            with contextlib.suppress(OSError):  # a group left behind holds nothing
                folder.rmdir()
        printed = json.loads(found.stdout)
        if printed is not None:
            return printed
    pytest.skip("no cgroup with a limit can be made here (needs root and cgroups mounted)")


def test_a_process_in_a_group_limited_to_3_gib_sees_3_gib() -> None:
    limit = 3 * GIB
    total, available = in_real_group(  # type: ignore[misc]
        {
            Path("/sys/fs/cgroup/memory"): ("memory.limit_in_bytes", str(limit)),
            Path("/sys/fs/cgroup"): ("memory.max", str(limit)),
        },
        "from ablage_desktop.engine.memory.probe import SystemProbe\n"
        "s = SystemProbe().snapshot()\n"
        "print(json.dumps([s.ram_total, s.ram_available]))\n",
    )

    assert total == limit
    assert 0 < available < limit


def test_a_process_given_one_core_of_cpu_time_sizes_its_engines_for_one() -> None:
    """``docker run --cpus 1``: one RapidOCR session of one thread, one Tesseract, Surya's
    worker and server told to use one thread."""
    cores = in_real_group(
        {
            Path("/sys/fs/cgroup/cpu"): ("cpu.cfs_quota_us", "100000"),
            Path("/sys/fs/cgroup"): ("cpu.max", "100000 100000"),
        },
        "from ablage_desktop.engine.backends.rapidocr import RapidOcrOptions, rapidocr_params\n"
        "from ablage_desktop.engine.backends.tesseract import TesseractOptions\n"
        "from ablage_desktop.engine.run.cores import usable_cores\n"
        "from ablage_desktop.engine.backends.surya import SuryaOptions, worker_environment\n"
        "os.environ.pop('OMP_NUM_THREADS', None)\n"
        "options = RapidOcrOptions(engine='rapidocr')\n"
        "print(json.dumps([usable_cores(), options.instances,"
        " TesseractOptions(engine='tesseract').instances,"
        " rapidocr_params(options).get('EngineConfig.onnxruntime.intra_op_num_threads'),"
        " worker_environment(SuryaOptions(engine='surya'), 'http://127.0.0.1:1', 'm')"
        ".get('OMP_NUM_THREADS')]))\n",
    )

    assert cores == [1, 1, 1, 1, "1"]


def test_a_benchmark_says_what_share_of_the_machine_it_ran_on() -> None:
    """A figure measured in a container given two cores of 32 is not the machine's."""
    from ablage_desktop.engine.bench.machine import describe_machine

    machine = describe_machine()

    assert 1 <= machine["usable_cores"] <= (machine["cpu_affinity"] or machine["cpu_count_logical"])
    assert machine["cpu_limit"] == cpu_limit()
    group = MemoryGroup.of_this_process()
    reading = group.read() if group is not None else None
    assert machine["ram_limit_bytes"] == (reading.limit if reading is not None else None)
