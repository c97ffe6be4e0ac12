"""Migration discovery refuses what would make the order of migrations an accident."""

from __future__ import annotations

from pathlib import Path

import pytest
from contacts_servicekit.migrations import MigrationError, discover

pytestmark = pytest.mark.unit


def _folder(tmp_path: Path, *names: str) -> Path:
    for name in names:
        (tmp_path / name).write_text(f"-- {name}\n")
    return tmp_path


def test_migrations_are_found_in_number_order(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "0002_second.sql", "0001_first.sql", "README.md")
    assert [m.id for m in discover("svc", folder)] == ["svc/0001_first.sql", "svc/0002_second.sql"]


def test_two_migrations_sharing_a_number_are_refused_naming_both(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "0001_first.sql", "0002_mine.sql", "0002_theirs.sql")
    with pytest.raises(MigrationError, match=r"svc/0002_mine\.sql, svc/0002_theirs\.sql share"):
        discover("svc", folder)


@pytest.mark.parametrize("name", ["2_short.sql", "0003_Upper.sql", "0003-dash.sql", "0003.sql"])
def test_a_sql_file_the_pattern_would_skip_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(MigrationError, match=r"NNNN_description\.sql"):
        discover("svc", _folder(tmp_path, "0001_first.sql", name))


def test_only_the_pair_shipped_before_the_rule_may_share_a_number(tmp_path: Path) -> None:
    shipped = ("0002_chunk_checks.sql", "0002_phone_match_quota.sql")
    assert len(discover("importer", _folder(tmp_path, *shipped))) == 2
    with pytest.raises(MigrationError, match="share the number 0002"):
        discover("contacts", tmp_path)
    (tmp_path / "0002_a_third.sql").write_text("--\n")
    with pytest.raises(MigrationError, match="share the number 0002"):
        discover("importer", tmp_path)


def test_every_service_migration_folder_passes() -> None:
    root = Path(__file__).resolve().parents[3]
    folders = sorted(root.glob("services/*/src/*/adapters/migrations"))
    folders += sorted(root.glob("libs/*/src/*/migrations"))
    assert len(folders) >= 5
    for folder in folders:
        component = folder.relative_to(root).parts[1]  # services/<name>/..., libs/<name>/...
        assert discover(component, folder)
