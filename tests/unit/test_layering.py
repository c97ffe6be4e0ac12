"""Domain code and use cases know nothing of the web (issue 19, item 1): they raise the errors
of `contacts_servicekit.domain_errors`, and the web edge maps them to statuses in one table
(`contacts_servicekit.errors.DOMAIN_STATUSES`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
WEB = (
    "fastapi",
    "starlette",
    "contacts_servicekit.errors",
    "contacts_servicekit.http",
    "contacts_servicekit.web",
    "contacts_messaging.api",
)
# Modules still raising HTTP errors, moved one service at a time; the list may only shrink.
STILL_TO_MOVE: set[str] = set()


def _imported(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def _web_imports(path: Path) -> set[str]:
    return {m for m in _imported(path) if any(m == w or m.startswith(f"{w}.") for w in WEB)}


def _inner_modules() -> list[Path]:
    layers = ("domain", "handlers")
    # `**`: the packages inside a layer too (the invitations' handlers/sending)
    return sorted(p for layer in layers for p in ROOT.glob(f"services/*/src/*/{layer}/**/*.py"))


def test_domain_and_use_cases_import_nothing_of_the_web() -> None:
    modules = _inner_modules()
    assert len(modules) > 50
    assert any("handlers/sending/" in str(p) for p in modules)
    offenders = {
        str(p.relative_to(ROOT)): sorted(_web_imports(p)) for p in modules if _web_imports(p)
    }
    assert set(offenders) - STILL_TO_MOVE == set(), offenders


def test_the_modules_still_to_move_are_listed_only_while_they_need_it() -> None:
    moved = {name for name in STILL_TO_MOVE if not _web_imports(ROOT / name)}
    assert moved == set(), f"remove from STILL_TO_MOVE: {sorted(moved)}"


def test_the_check_sees_an_http_error_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from contacts_servicekit.errors import NotFound\nimport fastapi.routing\n")
    assert _web_imports(module) == {
        "contacts_servicekit.errors", "contacts_servicekit.errors.NotFound", "fastapi.routing"
    }  # fmt: skip


MESSAGING = ROOT / "libs/messaging/src/contacts_messaging"
ROUTE_GLUE = MESSAGING / "api.py"  # the outbox and the unit of work, as a route's dependencies


def test_the_messaging_library_knows_the_web_only_where_a_route_meets_the_outbox() -> None:
    """Issue 19, item 2: the app, the caller, connections and idempotency keys are the
    servicekit's (`contacts_servicekit.web`); messaging is outbox, relay, inbox,
    subscriptions and the service host's Kafka side."""
    modules = [p for p in MESSAGING.rglob("*.py") if p != ROUTE_GLUE]
    assert len(modules) > 20
    offenders = {str(p.relative_to(ROOT)): sorted(_web_imports(p)) for p in modules}
    assert {name: found for name, found in offenders.items() if found} == {}
