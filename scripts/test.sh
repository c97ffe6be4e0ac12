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
# The long fault cases (marked `slow`, see docs/testing.md) run only with RUN_SLOW=1
# does; a `-m` given here replaces this default.
markers=(-m "not slow")
[[ ${RUN_SLOW:-0} == 1 ]] && markers=()
# --durations: the slowest tests, printed at the end, so that CI time can be watched.
echo "== pytest" && uv run pytest --durations=40 "${markers[@]}" "$@"
