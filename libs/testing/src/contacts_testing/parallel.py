"""Running the suite on several pytest-xdist workers (`scripts/test.sh`, `TEST_WORKERS`): which
tests must share a worker.

Most tests need only the shared Kafka and Postgres, where each makes topics and a schema of its
own, so any worker may run them. Two kinds must stay together:

- a file's tests: its module fixtures start services once per file, not once per worker, and
  a file's fixed ports (a broker of its own) are its alone;
- the tests using one of our package- or session-scoped fixtures (a platform on fixed ports, a
  three-node cluster): two workers would each start it on the same ports.

So the tests are joined into groups (a union of files and such fixtures), and each group gets
an `xdist_group` mark that `--dist loadgroup` keeps on one worker. The groups holding fault
cases (a platform killed and restarted under imports of up to 200,000 rows: the longest work)
go first, so that the other worker takes the rest meanwhile instead of waiting for them at
the end. `kafka_bootstrap` and
`postgres_admin_url` are the exception: every worker opens the same shared broker and cluster
(their start is behind a file lock, `contacts_testing.fixtures`).
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from contacts_testing.infra import REPO_ROOT

SHARED_BY_EVERY_WORKER = frozenset({"kafka_bootstrap", "postgres_admin_url"})
_WIDE_SCOPES = frozenset({"package", "session"})


@pytest.hookimpl(tryfirst=True)  # before xdist's own, which reads the marks into node ids
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.pluginmanager.hasplugin("xdist"):
        return
    groups = _Groups()
    keys_of = {item.nodeid: _keys(item) for item in items}
    for keys in keys_of.values():
        groups.join(keys)
    group_of = {item.nodeid: groups.name_of(keys_of[item.nodeid][0]) for item in items}
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group_of[item.nodeid]))
    longest = {group_of[item.nodeid] for item in items if item.get_closest_marker("fault")}
    items.sort(key=lambda item: group_of[item.nodeid] not in longest)  # stable: files stay whole


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Bytes longer than a short literal are named `bytes` (pytest numbers ids that repeat):
    every worker must collect the very same test ids, and a workbook's bytes, even their
    length once compressed, depend on the time it was written."""
    return "bytes" if isinstance(val, bytes) and len(val) > 32 else None


def _keys(item: pytest.Item) -> list[str]:
    """The item's file first, then each wide fixture of ours it uses."""
    keys = [item.nodeid.split("::", 1)[0]]
    info = getattr(item, "_fixtureinfo", None)
    for name, definitions in info.name2fixturedefs.items() if info else ():
        keys += [f"{d.baseid}::{name}" for d in definitions if _own_wide(name, d)]
    return keys


def _own_wide(name: str, definition: pytest.FixtureDef[object]) -> bool:
    wide = definition.scope in _WIDE_SCOPES and name not in SHARED_BY_EVERY_WORKER
    return wide and _ours(definition.func)


def _ours(function: object) -> bool:
    """Defined in this repository's code (not a plugin's, not an installed package's)."""
    try:
        source = Path(inspect.getsourcefile(function) or "")  # type: ignore[arg-type]
    except TypeError:
        return False
    return source.is_relative_to(REPO_ROOT) and ".venv" not in source.parts


class _Groups:
    """Union-find over keys; a group is named after its smallest key (stable across workers,
    which must all compute the same marks)."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def _root(self, key: str) -> str:
        self._parent.setdefault(key, key)
        while self._parent[key] != key:
            self._parent[key] = self._parent[self._parent[key]]
            key = self._parent[key]
        return key

    def join(self, keys: list[str]) -> None:
        first = self._root(keys[0])
        for key in keys[1:]:
            root = self._root(key)
            if root != first:
                low, high = sorted((first, root))
                self._parent[high] = low
                first = low

    def name_of(self, key: str) -> str:
        return self._root(key)
