"""available_cpus: the cgroup quota (v2 or v1) and the affinity mask, the smallest wins."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from contacts_servicekit.cpus import affinity_cpus, available_cpus, cgroup_cpu_limit

pytestmark = pytest.mark.unit

AFFINITY = len(os.sched_getaffinity(0))


def v2_root(tmp_path: Path, cpu_max: str) -> Path:
    (tmp_path / "cpu.max").write_text(cpu_max + "\n")
    return tmp_path


def v1_root(tmp_path: Path, quota: str, period: str, directory: str = "cpu,cpuacct") -> Path:
    (tmp_path / directory).mkdir()
    (tmp_path / directory / "cpu.cfs_quota_us").write_text(quota + "\n")
    (tmp_path / directory / "cpu.cfs_period_us").write_text(period + "\n")
    return tmp_path


@pytest.mark.parametrize(
    ("cpu_max", "cpus"),
    [("100000 100000", 1), ("150000 100000", 2), ("400000 100000", 4), ("1000 100000", 1)],
)
def test_a_cgroup_v2_quota_is_rounded_up_to_whole_cpus(tmp_path, cpu_max, cpus):
    assert cgroup_cpu_limit(v2_root(tmp_path, cpu_max)) == cpus


@pytest.mark.parametrize("directory", ["cpu", "cpu,cpuacct"])
def test_a_cgroup_v1_quota_counts_too(tmp_path, directory):
    assert cgroup_cpu_limit(v1_root(tmp_path, "250000", "100000", directory)) == 3


@pytest.mark.parametrize(
    "root_maker",
    [
        lambda p: v2_root(p, "max 100000"),
        lambda p: v1_root(p, "-1", "100000"),
        lambda p: v2_root(p, "garbage"),
        lambda p: p,  # no cgroup files at all (not Linux, or no CPU controller)
    ],
    ids=["v2-max", "v1-minus-one", "malformed", "absent"],
)
def test_no_quota_leaves_the_affinity_mask(tmp_path, root_maker):
    root = root_maker(tmp_path)
    assert cgroup_cpu_limit(root) is None
    assert available_cpus(root) == affinity_cpus() == AFFINITY


def test_a_pod_limited_to_one_cpu_gets_one_worker_whatever_the_node(tmp_path):
    assert available_cpus(v2_root(tmp_path, "100000 100000")) == 1
    assert available_cpus(v2_root(tmp_path, "50000 100000")) == 1


def test_a_quota_above_the_affinity_mask_is_capped_by_it(tmp_path):
    generous = v2_root(tmp_path, f"{(AFFINITY + 8) * 100000} 100000")
    assert available_cpus(generous) == AFFINITY


def test_the_importer_defaults_its_parse_processes_to_the_cpu_limit(tmp_path, monkeypatch):
    from contacts_servicekit import cpus
    from importer_service.settings import ImporterSettings

    monkeypatch.delenv("IMPORT_PARSE_PROCESSES", raising=False)
    monkeypatch.setattr(cpus, "CGROUP_ROOT", v2_root(tmp_path, "100000 100000"))
    assert ImporterSettings().import_parse_processes == 1
