"""Each service SIGKILLed in the middle of its share of a bulk import with invitations (and two
at once), then restarted: nothing acknowledged is lost, nothing happens twice."""

from __future__ import annotations

import asyncio

import pytest

from .conftest import SIZES, SIZES_IN_CI, block

pytestmark = [pytest.mark.fault, pytest.mark.e2e]  # the larger variants are `slow`


async def kill_and_restart(case, *names: str) -> None:
    case.platform.kill(*names)
    await asyncio.sleep(1)
    await asyncio.to_thread(case.restart, *names)


@pytest.mark.parametrize("rows", SIZES)
async def test_importer_killed_mid_import(fault_case, rows):
    case = fault_case(rows, block(rows, 1))
    await case.run(on_import=lambda: kill_and_restart(case, "importer"))


@pytest.mark.parametrize("rows", SIZES)
async def test_contacts_killed_while_it_adds_the_matched_users(fault_case, rows):
    case = fault_case(rows, block(rows, 2))
    await case.run(on_import=lambda: kill_and_restart(case, "contacts"))


@pytest.mark.parametrize("rows", SIZES)
async def test_invitations_killed_while_it_sends(fault_case, rows):
    case = fault_case(rows, block(rows, 3))
    await case.run(on_sending=lambda: kill_and_restart(case, "invitations"))


@pytest.mark.parametrize("rows", SIZES)
async def test_directory_killed_while_invitees_register(fault_case, rows):
    case = fault_case(rows, block(rows, 4))
    await case.run(on_joining=lambda: kill_and_restart(case, "directory"))


@pytest.mark.parametrize("rows", SIZES_IN_CI)
async def test_importer_and_contacts_killed_at_once_mid_import(fault_case, rows):
    case = fault_case(rows, block(rows, 5))
    await case.run(on_import=lambda: kill_and_restart(case, "importer", "contacts"))
