"""Which Postgres the operator tools read for each service: the command line, then
`<NAME>_DATABASE_URL`, then the one URL for all (today's single cluster)."""

from __future__ import annotations

import argparse

import pytest
from contacts_messaging.service_databases import (
    add_database_options,
    by_database,
    service_databases,
    service_of_group,
    where,
)

pytestmark = pytest.mark.unit

ONE = "postgresql://postgres:secret@db1:5432/contacts_platform"
TWO = "postgresql://postgres:secret@db2:6432/contacts_platform"
NAMES = ("directory", "contacts", "importer", "invitations")


def test_one_url_still_serves_every_service() -> None:
    assert service_databases(NAMES, [], ONE, environ={}) == dict.fromkeys(NAMES, ONE)


def test_the_command_line_wins_over_the_environment_which_wins_over_the_fallback() -> None:
    environ = {"CONTACTS_DATABASE_URL": TWO, "IMPORTER_DATABASE_URL": TWO}

    found = service_databases(NAMES, [("importer", ONE)], ONE, environ=environ)

    assert found == {"directory": ONE, "contacts": TWO, "importer": ONE, "invitations": ONE}
    assert by_database(found) == {ONE: ["directory", "importer", "invitations"], TWO: ["contacts"]}


def test_the_fallback_comes_from_the_tools_variables_then_database_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", ONE)
    monkeypatch.delenv("STATUS_DATABASE_URL", raising=False)
    parser = argparse.ArgumentParser()
    add_database_options(parser, "STATUS_DATABASE_URL")
    assert parser.parse_args([]).database_url == ONE

    monkeypatch.setenv("STATUS_DATABASE_URL", TWO)
    parser = argparse.ArgumentParser()
    add_database_options(parser, "STATUS_DATABASE_URL")
    args = parser.parse_args(["--database", f"contacts={ONE}", "--database", f"importer={ONE}"])
    assert args.database_url == TWO
    assert args.database == [("contacts", ONE), ("importer", ONE)]


def test_a_database_option_without_a_name_or_a_postgres_url_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = argparse.ArgumentParser()
    add_database_options(parser)
    for bad in (ONE, "contacts=http://db1:5432/x", f"={ONE}"):
        with pytest.raises(SystemExit):
            parser.parse_args(["--database", bad])
        assert "expected NAME=postgresql://" in capsys.readouterr().err


def test_a_report_names_a_cluster_without_its_credentials() -> None:
    assert where(TWO) == "db2:6432/contacts_platform"
    assert "secret" not in where(TWO)


@pytest.mark.parametrize(
    ("group", "service"),
    [
        ("contacts.directory", "contacts"),
        ("t1.invitations.requests", "invitations"),
        ("p0123456789.importer.workers", "importer"),
        ("audit.everything", None),
    ],
)
def test_a_consumer_group_names_its_service(group: str, service: str | None) -> None:
    assert service_of_group(group) == service
