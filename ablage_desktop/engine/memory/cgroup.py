"""The memory limit of the control group the app runs in: a container's ``--memory``.

A process in a container limited to 4 GiB on a 64 GiB machine sees the machine's 64 GiB in
``/proc/meminfo`` (psutil): a budget drawn from it loads models until the kernel's OOM killer
ends the app. Docker, Podman, Kubernetes and systemd's ``MemoryMax`` set the limit on the
process's cgroup (or one above it); what the group holds counts against it, file cache the
kernel can drop aside (``inactive_file``), as ``docker stats`` counts it.

Both cgroup versions: v2 (``memory.max``, ``memory.current``) and v1 (``memory`` controller,
``memory.limit_in_bytes``, ``memory.usage_in_bytes``). The group's folder is found once from
``/proc/self/cgroup``; the tightest limit on the way up to the root is the one that counts.
"""

from __future__ import annotations

import logging
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
        try:
            lines = proc_cgroup.read_text(encoding="ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        for line in lines:
            number, controllers, path = [*line.split(":", 2), "", ""][:3]
            if number == "0" and not controllers:  # v2: one unified hierarchy
                group = cls._tightest(root, path, "memory.max", "memory.current", "inactive_file")
            elif "memory" in controllers.split(","):  # v1: the memory controller's own tree
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
        folder = mount / path.strip("/")
        if not folder.is_dir():
            folder = mount  # the path of another namespace: the mount is this process's
        best: tuple[int, Path] | None = None
        while True:
            limit = _limit(folder / limit_file)
            if limit is not None and (best is None or limit < best[0]):
                best = (limit, folder)
            if folder == mount or folder.parent == folder:
                break
            folder = folder.parent
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


def _limit(path: Path) -> int | None:
    """The limit in ``path``; None for none ("max", v1's huge number) or no such file."""
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    if not text.isdigit():
        return None  # "max"
    value = int(text)
    return value if 0 < value < UNLIMITED_V1 else None
