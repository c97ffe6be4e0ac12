"""How many CPUs this process may really use, for worker counts that default from it.

`os.cpu_count()` counts the node's cores and ignores the container's CPU limit: a pod limited
to 1 CPU on a 64-core node would start 64 workers, each getting a sliver of the quota and all
of them memory. The limit is the smallest of the cgroup's CPU quota (cgroup v2 `cpu.max`, or
v1 `cpu.cfs_quota_us` / `cpu.cfs_period_us`), rounded up, and the CPUs the process' affinity
mask allows (`taskset`, `docker --cpuset-cpus`, Kubernetes' static CPU manager).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
# Where cgroup v1 mounts the CPU controller (the second is the usual merged mount's name).
CGROUP_V1_CPU_DIRS = ("cpu", "cpu,cpuacct")


def available_cpus(cgroup_root: Path | None = None) -> int:
    """The CPUs this process may use: at least 1, never more than its affinity allows."""
    limits = [affinity_cpus(), cgroup_cpu_limit(cgroup_root or CGROUP_ROOT)]
    return max(1, min(limit for limit in limits if limit is not None))


def affinity_cpus() -> int:
    """The CPUs the scheduler may run this process on (the core count where unknown)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cgroup_cpu_limit(cgroup_root: Path) -> int | None:
    """The cgroup's CPU quota in whole CPUs (rounded up), or None without a quota."""
    v2 = _read(cgroup_root / "cpu.max")
    if v2 is not None:
        quota, _, period = v2.partition(" ")
        return _whole_cpus(quota, period)
    for name in CGROUP_V1_CPU_DIRS:
        quota_text = _read(cgroup_root / name / "cpu.cfs_quota_us")
        period_text = _read(cgroup_root / name / "cpu.cfs_period_us")
        if quota_text is not None and period_text is not None:
            return _whole_cpus(quota_text, period_text)
    return None


def _whole_cpus(quota: str, period: str) -> int | None:
    """`max` (v2) or a negative quota (v1: -1) is no limit; a malformed file counts as none."""
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:
        return None
    if quota_us <= 0 or period_us <= 0:
        return None
    return max(1, math.ceil(quota_us / period_us))


def _read(path: Path) -> str | None:
    try:
        return path.read_text().strip()
    except OSError:
        return None
