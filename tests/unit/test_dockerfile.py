"""deploy/docker/Dockerfile and .dockerignore, read as text (no Docker engine on the build
machines): uv pinned, the locked dependencies in a layer before the code, no tests or tools in
the image, a fixed non-root user, nothing written outside /tmp.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

import pytest
from contacts_testing.infra import REPO_ROOT

pytestmark = pytest.mark.unit

SERVICES = ["directory", "contacts", "importer", "invitations", "web"]


@dataclass
class Instruction:
    keyword: str
    arguments: str


def stages() -> dict[str, list[Instruction]]:
    """The Dockerfile's instructions per stage (its `AS` name; the last stage is `final`)."""
    text = (REPO_ROOT / "deploy/docker/Dockerfile").read_text()
    logical = re.sub(r"\\\n\s*", " ", re.sub(r"^\s*#.*\n", "", text, flags=re.M))
    found: dict[str, list[Instruction]] = {"preamble": []}
    current = found["preamble"]
    for line in filter(str.strip, logical.splitlines()):
        keyword, _, arguments = line.strip().partition(" ")
        if keyword.upper() == "FROM":
            name = arguments.split(" AS ")[-1] if " AS " in arguments else "final"
            current = found.setdefault(name, [])
        current.append(Instruction(keyword.upper(), arguments.strip()))
    return found


STAGES = stages()
BUILD, FINAL = STAGES["build"], STAGES["final"]


def setup_uv_version() -> str:
    script = (REPO_ROOT / "scripts/setup.sh").read_text()
    return re.search(r'^UV_VERSION="([\d.]+)"', script, re.M).group(1)  # type: ignore[union-attr]


def test_uv_is_pinned_to_the_version_setup_installs():
    pinned = [i.arguments for i in STAGES["preamble"] if i.arguments.startswith("UV_IMAGE=")]
    assert pinned == [f"UV_IMAGE=ghcr.io/astral-sh/uv:{setup_uv_version()}"]
    assert not any("pip install" in i.arguments for stage in STAGES.values() for i in stage)


def test_the_locked_dependencies_are_installed_before_the_code_is_copied():
    steps = [f"{i.keyword} {i.arguments}" for i in BUILD]
    syncs = [n for n, step in enumerate(steps) if "uv sync" in step]
    code = [
        n for n, step in enumerate(steps) if step in ("COPY libs libs", "COPY services services")
    ]
    manifests = steps.index("COPY --from=manifests /manifests ./")
    assert len(syncs) == 2 and len(code) == 2
    assert manifests < syncs[0] < min(code) and max(code) < syncs[1]
    for flag in ("--frozen", "--no-dev", "--no-editable", '--package "${SERVICE}-service"'):
        assert all(flag in steps[n] for n in syncs), flag
    assert "--no-install-workspace" in steps[syncs[0]]


def test_the_dependency_layer_sees_only_the_lock_and_the_pyproject_files():
    copies = [i for i in STAGES["manifests"] if i.keyword in ("COPY", "RUN")]
    assert copies[0].arguments == ". /context"
    assert "-name pyproject.toml -o -name uv.lock" in copies[1].arguments


def test_the_image_holds_the_virtual_environment_alone_and_runs_as_user_10001():
    copies = [i.arguments for i in FINAL if i.keyword in ("COPY", "ADD")]
    assert copies == ["--from=build /app/.venv /app/.venv"]  # no sources, tests, or uv
    assert [i.arguments for i in FINAL if i.keyword == "USER"] == ["10001:10001"]
    (adduser,) = [i.arguments for i in FINAL if "useradd" in i.arguments]
    assert "--uid 10001" in adduser and "--gid 10001" in adduser
    assert FINAL[-1] == Instruction("CMD", '["sh", "-c", "exec ${SERVICE}-service"]')


def test_nothing_is_written_outside_tmp_at_run_time():
    build_env = " ".join(i.arguments for i in BUILD if i.keyword == "ENV")
    final_env = " ".join(i.arguments for i in FINAL if i.keyword == "ENV")
    assert "UV_COMPILE_BYTECODE=1" in build_env  # .pyc made at build time, not on first import
    assert "PYTHONDONTWRITEBYTECODE=1" in final_env and "TMPDIR=/tmp" in final_env


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_the_entry_point_the_image_runs(service):
    pyproject = (REPO_ROOT / "services" / service / "pyproject.toml").read_text()
    assert f'name = "{service}-service"' in pyproject
    assert f"\n{service}-service = " in pyproject


def docker_ignores(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders wins;
    `!` re-includes; `*` stays within a path segment, `**` crosses segments."""
    ignored = False
    for pattern in patterns:
        exception = pattern.startswith("!")
        glob = pattern.removeprefix("!").strip("/")
        regex = re.escape(glob).replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
        if re.fullmatch(rf"{regex}(/.*)?", path):
            ignored = not exception
    return ignored


DOCKERIGNORE = [
    line.strip()
    for line in (REPO_ROOT / ".dockerignore").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]
TRACKED = subprocess.run(
    ["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
).stdout.split()
SENT = {path for path in TRACKED if not docker_ignores(path, DOCKERIGNORE)}


def test_the_build_context_holds_the_manifests_and_every_package_source():
    members = {p for p in TRACKED if re.fullmatch(r"(libs|services)/[^/]+/pyproject\.toml", p)}
    assert {"uv.lock", "pyproject.toml", *members} <= SENT
    sources = {p for p in TRACKED if re.match(r"(libs|services)/[^/]+/src/", p)}
    assert sources and sources <= SENT


@pytest.mark.parametrize(
    "path",
    [".git/config", ".venv/bin/python", ".tools/bin/uv", "test-artifacts/web/page.png",
     "docs/architecture.md", "bench/seeding.py", "tests/unit/test_dockerfile.py",
     "libs/servicekit/tests/test_servicekit_cpus.py", "services/importer/tests/conftest.py",
     "deploy/local/kafka.sh", "scripts/setup.sh", ".hypothesis/examples/x", "README.md",
     "libs/servicekit/src/contacts_servicekit/__pycache__/cpus.cpython-311.pyc", ".env",
     "services/web/src/contacts_web/.env", "var/dev-messages/messages.jsonl"],
)  # fmt: skip
def test_tests_tools_state_and_secrets_stay_out_of_the_context(path):
    assert docker_ignores(path, DOCKERIGNORE)


def test_no_test_file_reaches_the_context():
    assert not [p for p in SENT if "/tests/" in p or p.split("/")[-1].startswith("test_")]
