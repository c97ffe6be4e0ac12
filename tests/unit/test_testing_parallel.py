"""Which tests share a pytest-xdist worker (contacts_testing.parallel): files and wide fixtures
joined into one group, named the same on every worker; ids that do not change with the time a
test's bytes were made."""

from __future__ import annotations

import pytest
from contacts_testing.parallel import _Groups, pytest_make_parametrize_id

pytestmark = pytest.mark.unit


def test_files_sharing_a_platform_form_one_group_named_after_its_smallest_key() -> None:
    groups = _Groups()
    groups.join(["tests/e2e/web/test_b.py", "tests/e2e/web::platform"])
    groups.join(["tests/e2e/web/test_a.py", "tests/e2e/web::platform"])
    groups.join(["tests/unit/test_c.py"])
    assert groups.name_of("tests/e2e/web/test_b.py") == "tests/e2e/web/test_a.py"
    assert groups.name_of("tests/e2e/web::platform") == "tests/e2e/web/test_a.py"
    assert groups.name_of("tests/unit/test_c.py") == "tests/unit/test_c.py"


def test_two_groups_joined_by_a_later_test_become_one() -> None:
    groups = _Groups()
    groups.join(["b.py", "::cluster"])
    groups.join(["c.py", "pkg::platform"])
    groups.join(["d.py", "::cluster", "pkg::platform"])
    assert {groups.name_of(key) for key in ("b.py", "c.py", "d.py")} == {"::cluster"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [(b"PK\x03\x04" + bytes(60), "bytes"), (b"short", None), ("text", None), (42, None)],
)
def test_long_bytes_get_an_id_that_does_not_depend_on_their_content(
    value: object, expected: str | None
) -> None:
    assert pytest_make_parametrize_id(None, value, "content") == expected  # type: ignore[arg-type]
