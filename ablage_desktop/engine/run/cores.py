"""The cores this process may run on: its CPU affinity, not the machine's count.

A process pinned by ``taskset``, or started in a container given some of the cores
(``docker run --cpuset-cpus``), still sees every core of the machine in ``os.cpu_count()``,
and onnxruntime's own default counts them too: threads sized by them crowd the cores the
process has (Python 3.13's ``os.process_cpu_count`` is the figure used here).
"""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores the scheduler lets this process use (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no affinity on this platform
        return os.cpu_count() or 1


def cores_if_restricted() -> int:
    """The usable cores where they are fewer than the machine's, else 0: a library's own
    count of "every core" (onnxruntime counts physical cores, not hyper-threads) is right
    only for a process that may use the whole machine."""
    cores = usable_cores()
    return cores if cores < (os.cpu_count() or 1) else 0
