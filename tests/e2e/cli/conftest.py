"""The `contacts` console script run as a person runs it (a subprocess, prompts answered on
stdin, the sign-in code read from the development SMS channel) against the four services as
processes on the tests' Kafka and Postgres: one platform (shared events, the directory's keys
accepted everywhere)."""

from __future__ import annotations

import itertools
import os
import random
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from contacts_testing.all_services import platform_for_people
from contacts_testing.codes import wait_for_code

CONTACTS = str(Path(sys.executable).parent / "contacts")
_phones = itertools.count(random.randrange(0, 90_000))


def new_phone() -> str:
    """A UK mobile number no other test of this run uses (the numbers the tests import and
    paste are +4474007..., +4474009...)."""
    return f"+4474008{next(_phones) % 100_000:05d}"


@dataclass
class Platform:
    urls: dict[str, str]  # CONTACTS_<SERVICE>_URL -> the service's address
    messages: Path  # the development SMS channel's folder


@pytest.fixture(scope="package")
async def platform(
    postgres_admin_url: str, kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    folder = tmp_path_factory.mktemp("cli-e2e")
    async with platform_for_people(postgres_admin_url, kafka_bootstrap, folder) as services:
        urls = {f"CONTACTS_{name.upper()}_URL": s.process.url for name, s in services.items()}
        yield Platform(urls, folder / "messages")


@dataclass
class Cli:
    """One person's `contacts`: their own config directory (so their own session file)."""

    platform: Platform
    config: Path

    @property
    def env(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items() if name != "CONTACTS_TOKEN"}
        return {**env, **self.platform.urls, "XDG_CONFIG_HOME": str(self.config),
                "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}  # fmt: skip

    @property
    def tokens_file(self) -> Path:
        return self.config / "contacts-platform" / "tokens.json"

    def run(
        self, *args: str, input: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [CONTACTS, *args], input=input, capture_output=True, text=True,
            env={**self.env, **(env or {})}, timeout=300, check=False,
        )  # fmt: skip

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [CONTACTS, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True, env=self.env,
        )  # fmt: skip

    def login(self, phone: str, name: str) -> subprocess.CompletedProcess[str]:
        """`contacts login --phone PHONE`, typing the SMS code (and the name at sign-up)."""
        login = self.start("login", "--phone", phone)
        code = wait_for_code(self.platform.messages, phone, seconds=30)
        stdout, stderr = login.communicate(f"{code}\n{name}\n", timeout=60)
        return subprocess.CompletedProcess(login.args, login.returncode, stdout, stderr)


@pytest.fixture
def cli(platform: Platform, tmp_path: Path) -> Cli:
    return Cli(platform, tmp_path / "config")


@pytest.fixture
def signed_in(cli: Cli) -> Cli:
    """A new person, signed up by code."""
    signed = cli.login(new_phone(), "Robin")
    assert signed.returncode == 0, signed.stderr
    return cli
