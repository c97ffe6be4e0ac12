"""A closed account in the directory: refused at once by the process that closed it, and by
another process of the service as soon as the closing transaction's NOTIFY reached it (no
consumer involved: the directory records its own closures)."""

from __future__ import annotations

import time

import httpx
import pytest

from .conftest import bearer
from .test_directory_users_api import register

pytestmark = pytest.mark.integration


def test_every_directory_process_refuses_a_closed_account(start_directory, directory, new_phone):
    me = bearer(register(directory, new_phone()).json()["user_id"])
    with httpx.Client(base_url=start_directory().url, timeout=10) as other:
        assert other.get("/v1/users/me", headers=me).status_code == 200
        assert directory.delete("/v1/users/me", headers=me).status_code == 204
        assert refused(directory.get("/v1/users/me", headers=me))  # the closing process: at once
        deadline = time.monotonic() + 30
        while not refused(other.get("/v1/users/me", headers=me)):
            assert time.monotonic() < deadline, "the other process never heard of the closure"
            time.sleep(0.05)


def refused(answer: httpx.Response) -> bool:
    return answer.status_code == 401 and answer.json()["error"] == "account_closed"
