"""Every workspace package declares what its code imports, directly or through its declared
dependencies (uv.lock's graph). The development environment holds every package, so an
undeclared one goes unnoticed there, but a service's image (`uv sync --no-dev --package`)
holds only its declared ones, and the service would fail to start.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path
from typing import Any

import pytest
from contacts_testing.infra import REPO_ROOT

pytestmark = pytest.mark.unit

LOCK = tomllib.loads((REPO_ROOT / "uv.lock").read_text())
# libs/testing is installed with the development group only, which brings what it imports.
DEVELOPMENT_ONLY = {"contacts-testing"}
OPTIONAL = {
    (package["name"], extra): {dependency["name"] for dependency in dependencies}
    for package in LOCK["package"]
    for extra, dependencies in package.get("optional-dependencies", {}).items()
}


def runtime_dependencies(package: dict[str, Any]) -> set[str]:
    """Its dependencies, with those of the extras it asks for (pyjwt[crypto]: cryptography)."""
    names = set()
    for dependency in package.get("dependencies", []):
        names.add(dependency["name"])
        for extra in dependency.get("extra", []):
            names |= OPTIONAL.get((dependency["name"], extra), set())
    return names


DEPENDS_ON = {package["name"]: runtime_dependencies(package) for package in LOCK["package"]}
WORKSPACE = {
    pyproject: tomllib.loads(pyproject.read_text())["project"]["name"]
    for pyproject in sorted(REPO_ROOT.glob("*/*/pyproject.toml"))
    if pyproject.parts[-3] in ("libs", "services")
}
# Third-party modules by the installed distributions; the workspace's own by their src folder
# (an editable install records a .pth file, not the package).
DISTRIBUTIONS_OF = packages_distributions() | {
    module.name: [name]
    for pyproject, name in WORKSPACE.items()
    for module in (pyproject.parent / "src").glob("*")
    if module.is_dir()
}
MEMBERS = [pyproject for pyproject, name in WORKSPACE.items() if name not in DEVELOPMENT_ONLY]


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def installed_with(package: str) -> set[str]:
    """The package and everything its runtime dependencies bring, by uv.lock."""
    seen, waiting = set(), [package]
    while waiting:
        name = waiting.pop()
        if name not in seen:
            seen.add(name)
            waiting.extend(DEPENDS_ON.get(name, ()))
    return seen


def runtime_imports(source: Path) -> set[str]:
    """Top-level modules a file imports, leaving out `if TYPE_CHECKING:` blocks."""
    tree = ast.parse(source.read_text())
    checking_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for statement in block.body
        for node in ast.walk(statement)
    }
    modules = set()
    for node in ast.walk(tree):
        if id(node) in checking_only:
            continue
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module.split(".")[0])
    return modules


@pytest.mark.parametrize("pyproject", MEMBERS, ids=lambda p: p.parent.name)
def test_every_import_is_a_declared_dependency(pyproject: Path):
    package = normalized(tomllib.loads(pyproject.read_text())["project"]["name"])
    available = installed_with(package)
    undeclared = {}
    for source in (pyproject.parent / "src").rglob("*.py"):
        for module in runtime_imports(source) - set(sys.stdlib_module_names):
            owners = {normalized(d) for d in DISTRIBUTIONS_OF.get(module, [])}
            if owners and not owners & available:
                undeclared[module] = str(source.relative_to(REPO_ROOT))
    assert not undeclared, f"{package} imports, without declaring them: {undeclared}"
