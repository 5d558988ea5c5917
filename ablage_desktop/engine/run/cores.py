"""The cores this process may run on: its CPU affinity and its cgroup's CPU limit, not the
machine's count.

A process pinned by ``taskset``, or started in a container given some of the cores
(``docker run --cpuset-cpus``), still sees every core of the machine in ``os.cpu_count()``,
and onnxruntime's own default counts them too: threads sized by them crowd the cores the
process has (Python 3.13's ``os.process_cpu_count`` is that figure). A cgroup's CPU limit
(``docker run --cpus``) throttles the process beyond its share however many cores it sees,
so it bounds them too (as Go's runtime sizes its threads since 1.25).
"""

from __future__ import annotations

import math
import os

from ablage_desktop.engine.memory.cgroup import cpu_limit


def usable_cores() -> int:
    """The cores the scheduler lets this process use (at least 1), and no more than the CPU
    time its cgroup may use (``docker run --cpus 2`` on a machine of 32 cores: 2)."""
    try:
        cores = max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this platform
        cores = os.cpu_count() or 1
    quota = cpu_limit()
    return cores if quota is None else max(1, min(cores, math.ceil(quota)))


def cores_if_restricted() -> int:
    """The usable cores where they are fewer than the machine's, else 0: a library's own
    count of "every core" (onnxruntime counts physical cores, not hyper-threads) is right
    only for a process that may use the whole machine."""
    cores = usable_cores()
    return cores if cores < (os.cpu_count() or 1) else 0
