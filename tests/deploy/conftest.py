"""The chart's tests need helm: scripts/install_helm.sh builds it (scripts/test.sh starts that
in the background). Without it they skip, saying why; on CI (`CI` set) they fail instead, so
that a broken install cannot pass as green."""

from __future__ import annotations

import os

import pytest

from .helm_chart import build_log, helm_binary


@pytest.fixture(autouse=True)
def helm_installed() -> None:
    if helm_binary() is not None:
        return
    why = f"helm is not installed (scripts/install_helm.sh); its build log ends:\n{build_log()}"
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)
