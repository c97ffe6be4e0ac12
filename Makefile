# The two set-up commands are `make up` (run the platform) and `make test` (run the tests).
# uv from scripts/setup.sh's project-local install when the machine has none of its own.
export PATH := $(CURDIR)/.tools/bin:$(PATH)

.PHONY: up down status test test-slow test-slow-ci test-unit lint fmt docs translations token logs clean-state

up:            ## start Kafka, Postgres and the four services on this machine
	deploy/local/platform.sh up

down:          ## stop everything `make up` started
	deploy/local/platform.sh down

status:        ## the platform at a glance: services up/ready, outbox backlogs, consumer lag, dead letters (JSON=1 for JSON)
	deploy/local/platform.sh status $(if $(JSON),--json)

test:          ## lint, type-check and run the whole test suite against real Kafka and Postgres
	scripts/test.sh

test-slow:     ## only the `slow` tests: the fault cases with 200,000-row imports (~35 min)
	RUN_SLOW=1 scripts/test.sh -m "slow and not ci"

test-slow-ci:  ## the `slow` cases CI runs (~6 min; marked `ci`): five fault cases with 50,000-row imports
	RUN_SLOW=1 scripts/test.sh -m "slow and ci"

test-unit:     ## only the tests without I/O
	scripts/test.sh -m unit

lint:
	uv run ruff check . && uv run ruff format --check . && uv run mypy

fmt:
	uv run ruff check --fix . && uv run ruff format .

docs:          ## generate the AsyncAPI event catalogue and each service's OpenAPI into docs/generated/
	uv run python scripts/generate_docs.py

translations:  ## the web app's words: extract them into its catalogue (then translate the empty French ones)
	cd services/web && uv run pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header -o src/contacts_web/locale/messages.pot . \
	  && uv run pybabel update -l fr -i src/contacts_web/locale/messages.pot -d src/contacts_web/locale --no-fuzzy-matching --ignore-obsolete --width 100

token:         ## mint a development JWT: make token USER_ID=<user-id> [TENANT=..] [COMPANY=..]
	@uv run contacts-token --user "$(USER_ID)" $(if $(TENANT),--tenant $(TENANT)) $(if $(COMPANY),--company $(COMPANY))

logs:          ## follow the platform's logs
	tail -F /var/tmp/contacts-platform/logs/*.log

clean-state:   ## stop and delete all local data (Kafka logs, Postgres cluster)
	deploy/local/platform.sh down; rm -rf /var/tmp/contacts-platform /var/tmp/contacts-platform-test
