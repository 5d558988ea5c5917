"""The limits of the control group the app runs in: a container's ``--memory`` and ``--cpus``.

A process in a container limited to 4 GiB on a 64 GiB machine sees the machine's 64 GiB in
``/proc/meminfo`` (psutil): a budget drawn from it loads models until the kernel's OOM killer
ends the app. Docker, Podman, Kubernetes and systemd's ``MemoryMax`` set the limit on the
process's cgroup (or one above it); what the group holds counts against it, file cache the
kernel can drop aside (``inactive_file``), as ``docker stats`` counts it.

Both cgroup versions: v2 (``memory.max``, ``memory.current``) and v1 (``memory`` controller,
``memory.limit_in_bytes``, ``memory.usage_in_bytes``). The group's folder is found once from
``/proc/self/cgroup``; the tightest limit on the way up to the root is the one that counts.
The CPU time the group may use (``cpu_limit``) bounds the cores the app's threads are sized by
(``run/cores.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

PROC_CGROUP = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")
UNLIMITED_V1 = 1 << 62
"""cgroup v1 writes "no limit" as the largest page-aligned 64-bit number (9223372036854771712)."""


@dataclass(frozen=True, slots=True)
class GroupMemory:
    """Bytes, at one moment: the group's limit and what it holds, file cache aside."""

    limit: int
    used: int

    @property
    def available(self) -> int:
        return max(0, self.limit - self.used)


@dataclass(frozen=True, slots=True)
class MemoryGroup:
    """The folder of the cgroup whose limit is the tightest, and its version's file names."""

    folder: Path
    limit_file: str
    usage_file: str
    cache_key: str
    """The line of ``memory.stat`` that holds the reclaimable file cache."""

    @classmethod
    def of_this_process(
        cls, proc_cgroup: Path = PROC_CGROUP, root: Path = CGROUP_ROOT
    ) -> MemoryGroup | None:
        """The limited group this process is in; None where no group on its way to the root
        sets a limit (or cgroups are not there: another system, a folder not mounted)."""
        for controllers, path in _memberships(proc_cgroup):
            if controllers is None:  # v2: one unified hierarchy
                group = cls._tightest(root, path, "memory.max", "memory.current", "inactive_file")
            elif "memory" in controllers:  # v1: the memory controller's own tree
                group = cls._tightest(
                    root / "memory",
                    path,
                    "memory.limit_in_bytes",
                    "memory.usage_in_bytes",
                    "total_inactive_file",
                )
            else:
                continue
            if group is not None:
                return group
        return None

    @classmethod
    def _tightest(
        cls, mount: Path, path: str, limit_file: str, usage_file: str, cache_key: str
    ) -> MemoryGroup | None:
        """The group with the smallest limit from ``path`` up to ``mount`` (in a container
        with its own cgroup namespace, ``path`` is "/" and the mount is the group)."""
        best: tuple[int, Path] | None = None
        for folder in _up_from(mount, path):
            limit = _limit(folder / limit_file)
            if limit is not None and (best is None or limit < best[0]):
                best = (limit, folder)
        if best is None:
            return None
        return cls(best[1], limit_file, usage_file, cache_key)

    def read(self) -> GroupMemory | None:
        """The limit and what the group holds now; None where the files cannot be read."""
        limit = _limit(self.folder / self.limit_file)
        try:
            usage = int((self.folder / self.usage_file).read_text(encoding="ascii"))
            stat = (self.folder / "memory.stat").read_text(encoding="ascii")
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            log.debug("The memory of cgroup %s cannot be read: %s", self.folder, exc)
            return None
        if limit is None:
            return None
        cache = 0
        for line in stat.splitlines():
            key, _, value = line.partition(" ")
            if key == self.cache_key and value.strip().isdigit():
                cache = int(value)
                break
        return GroupMemory(limit, max(0, usage - cache))


def cpu_limit(proc_cgroup: Path = PROC_CGROUP, root: Path = CGROUP_ROOT) -> float | None:
    """The cores' worth of CPU time the app's cgroup may use in each period (``docker run
    --cpus 2``: 2.0), the tightest up to the root; None where no group sets one. The group's
    processes are throttled beyond it however many cores they see."""
    limits: list[float] = []
    for controllers, path in _memberships(proc_cgroup):
        if controllers is None:  # v2: "max 100000" or "200000 100000"
            for folder in _up_from(root, path):
                quota, _, period = _text(folder / "cpu.max").partition(" ")
                limits += _share(quota, period)
        elif "cpu" in controllers:  # v1: -1 for none
            for folder in _up_from(root / "cpu", path):
                limits += _share(
                    _text(folder / "cpu.cfs_quota_us"), _text(folder / "cpu.cfs_period_us")
                )
    return min(limits, default=None)


def _memberships(proc_cgroup: Path) -> list[tuple[frozenset[str] | None, str]]:
    """The groups ``proc_cgroup`` names: v1's controllers and path, or None and the path of
    v2's unified hierarchy ("0::/path"); none where the file cannot be read."""
    try:
        lines = proc_cgroup.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    groups: list[tuple[frozenset[str] | None, str]] = []
    for line in lines:
        number, controllers, path = [*line.split(":", 2), "", ""][:3]
        unified = number == "0" and not controllers
        groups.append((None if unified else frozenset(controllers.split(",")), path))
    return groups


def _share(quota: str, period: str) -> list[float]:
    """``quota`` over ``period`` (microseconds), as a list of none or one."""
    if not quota.isdigit() or not period.isdigit() or not int(period):
        return []
    return [int(quota) / int(period)] if int(quota) else []


def _up_from(mount: Path, path: str) -> Iterator[Path]:
    """The folders of the group at ``path`` and of those above it, up to ``mount`` (in a
    container with its own cgroup namespace, ``path`` is "/" and the mount is the group)."""
    folder = mount / path.strip("/")
    if not folder.is_dir():
        folder = mount  # the path of another namespace: the mount is this process's
    while True:
        yield folder
        if folder == mount or folder.parent == folder:
            return
        folder = folder.parent


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""


def _limit(path: Path) -> int | None:
    """The limit in ``path``; None for none ("max", v1's huge number) or no such file."""
    text = _text(path)
    if not text.isdigit():
        return None  # "max"
    value = int(text)
    return value if 0 < value < UNLIMITED_V1 else None
