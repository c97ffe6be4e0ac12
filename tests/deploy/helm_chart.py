"""The chart rendered by the real helm (`helm template`, no cluster), as Python objects."""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from contacts_testing.infra import REPO_ROOT

CHART = REPO_ROOT / "deploy" / "helm" / "contacts-platform"
EXAMPLES = sorted((CHART / "examples").glob("*.yaml"))
SERVICES = ("directory", "contacts", "importer", "invitations", "web")
RELEASE = "rel"


TOOLS = REPO_ROOT / ".tools"
BUILD_PID = TOOLS / "helm-build.pid"  # scripts/install_helm.sh --background
BUILD_MINUTES = 20


@cache
def helm_binary() -> str | None:
    """The helm scripts/install_helm.sh installs, else one on PATH. A build the test command
    started in the background (scripts/test.sh: it overlaps the tests that run first) is
    waited for."""
    _wait_for_background_build()
    local = TOOLS / "bin" / "helm"
    return str(local) if local.exists() else shutil.which("helm")


def build_log() -> str:
    """The end of the background build's log (why helm is missing)."""
    log = TOOLS / "helm-build.log"
    return log.read_text()[-2000:] if log.exists() else "(no build log)"


def _wait_for_background_build() -> None:
    try:
        pid = int(BUILD_PID.read_text())
    except (FileNotFoundError, ValueError):
        return
    deadline = time.monotonic() + BUILD_MINUTES * 60
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(2)


def helm(*args: str) -> subprocess.CompletedProcess[str]:
    binary = helm_binary()
    assert binary is not None
    return subprocess.run(
        [binary, *args], capture_output=True, text=True, timeout=120, check=False, cwd=CHART
    )


@dataclass(frozen=True)
class Rendered:
    """The objects of one `helm template` run."""

    objects: tuple[dict[str, Any], ...]

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for obj in self.objects if obj["kind"] == kind]

    def named(self, kind: str, name: str) -> dict[str, Any]:
        return next(obj for obj in self.of_kind(kind) if obj["metadata"]["name"] == name)


@cache
def render(values_file: Path | None = None, *sets: str) -> Rendered:
    """The chart rendered with the default values, `values_file` over them and `--set`s."""
    args = ["template", RELEASE, "."]
    if values_file is not None:
        args += ["-f", str(values_file)]
    for assignment in sets:
        args += ["--set", assignment]
    result = helm(*args)
    assert result.returncode == 0, result.stderr
    return Rendered(tuple(obj for obj in yaml.safe_load_all(result.stdout) if obj))


def pod_specs(rendered: Rendered) -> list[tuple[str, dict[str, Any]]]:
    """(kind/name, pod spec) of every Deployment and Job."""
    return [
        (f"{obj['kind']}/{obj['metadata']['name']}", obj["spec"]["template"]["spec"])
        for obj in rendered.of_kind("Deployment") + rendered.of_kind("Job")
    ]


def environment_of(rendered: Rendered, deployment: dict[str, Any]) -> dict[str, str | None]:
    """Every variable a Deployment's container gets: from its ConfigMap, the chart's Secret
    (existing Secrets are not the chart's) and `env` (None: from a secretKeyRef)."""
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    variables: dict[str, str | None] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            variables |= rendered.named("ConfigMap", source["configMapRef"]["name"])["data"]
        secrets = [s for s in rendered.of_kind("Secret")
                   if s["metadata"]["name"] == source.get("secretRef", {}).get("name")]  # fmt: skip
        for secret in secrets:
            variables |= dict.fromkeys(secret["stringData"])
    for entry in container.get("env", []):
        variables[entry["name"]] = entry.get("value")
    return variables
