#!/usr/bin/env bash
# The whole test suite: lint, format check, type check, then every test (unit, integration,
# fault) against real Kafka and Postgres (see libs/testing for where they come from).
# Extra arguments go to pytest, e.g. scripts/test.sh -m unit
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/setup.sh
export PATH="$PWD/.tools/bin:$PATH"  # uv, when setup.sh installed it here
scripts/install_helm.sh --background  # minutes of Go build, overlapping what runs before tests/deploy
echo "== ruff" && uv run ruff check . && uv run ruff format --check .
echo "== mypy" && uv run mypy
# The long fault cases (marked `slow`, see docs/testing.md) run only with RUN_SLOW=1;
# TEST_MARKERS chooses otherwise (CI: the `ci` sizes of five fault cases instead of their
# quick ones, see .ci/run); a `-m`
# given here replaces this default.
markers=(-m "${TEST_MARKERS:-not slow}")
[[ ${RUN_SLOW:-0} == 1 ]] && markers=()
# Two pytest-xdist workers by default (TEST_WORKERS=1: one process): most tests wait on
# services, brokers and browsers, so two run side by side on two cores; tests sharing a
# platform or fixed ports stay on one worker (contacts_testing.parallel).
workers=(-n "${TEST_WORKERS:-2}" --dist loadgroup)
[[ ${TEST_WORKERS:-2} == 1 ]] && workers=(-p no:xdist)
# --durations: the slowest tests, printed at the end, so that CI time can be watched.
echo "== pytest" && uv run pytest --durations=40 "${workers[@]}" "${markers[@]}" "$@"
