"""`/metrics` of services run as real processes: request latency, events produced and
consumed, outbox backlog and consumer lag, after real events flowed through Kafka."""

from __future__ import annotations

import uuid

import pytest
from contacts_events import UserRegistered
from contacts_events.connect_id import generate
from contacts_testing.auth import bearer
from contacts_testing.running_service import running_service
from contacts_testing.scraped_metrics import Samples, scrape, value

pytestmark = pytest.mark.integration


async def test_directory_shows_request_latency_and_the_events_it_produced(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_service("directory", postgres_admin_url, kafka_bootstrap, tmp_path) as svc:
        created = await svc.http.post(
            "/v1/users",
            json={"display_name": "Mia", "phone": "+447400900001"},
            headers=bearer("signup-backend", "service"),
        )
        assert created.status_code == 201, created.text
        topic = f"{svc.namespace}.directory.users"

        async def produced() -> Samples | None:
            samples = await scrape(svc)
            sent = value(samples, "events_produced_total", topic=topic, type="UserRegistered")
            return samples if sent == 1 else None

        samples = await svc.until(produced)
        post = {"method": "POST", "route": "/v1/users", "status": "201"}
        assert value(samples, "http_request_duration_seconds_count", **post) == 1
        assert value(samples, "http_request_duration_seconds_sum", **post) > 0

        async def drained() -> Samples | None:
            # the event is counted once Kafka acknowledged it, and leaves the backlog once the
            # relay's transaction that marks it sent commits, a moment later
            samples = await scrape(svc)
            backlog = value(samples, "outbox_backlog_events", schema=svc.schema)
            return samples if backlog == 0 else None

        samples = await svc.until(drained)
        assert value(samples, "outbox_oldest_unsent_age_seconds", schema=svc.schema) == 0
        assert not [key for key in samples if "/v1/users/" in str(key)]  # templates only


async def test_contacts_shows_events_consumed_and_its_consumer_lag(
    postgres_admin_url, kafka_bootstrap, tmp_path
):
    async with running_service("contacts", postgres_admin_url, kafka_bootstrap, tmp_path) as svc:
        user = UserRegistered(user_id=uuid.uuid4(), connect_id=generate(), display_name="Noa",
                              phone_e164="+447400900002")  # fmt: skip
        await svc.events.publish(user, times=2)  # delivered twice: applied once
        group, topic = f"{svc.namespace}.contacts.directory", f"{svc.namespace}.directory.users"
        consumed = {"group": group, "topic": topic, "type": "UserRegistered"}

        async def applied() -> Samples | None:
            samples = await scrape(svc)
            done = value(samples, "events_consumed_total", outcome="ok", **consumed)
            again = value(samples, "events_consumed_total", outcome="duplicate", **consumed)
            return samples if (done, again) == (1, 1) else None

        samples = await svc.until(applied)
        lags = {dict(labels)["partition"]: lag for (name, labels), lag in samples.items()
                if name == "kafka_consumer_lag" and ("topic", topic) in labels
                and ("group", group) in labels}  # fmt: skip
        assert lags, "no consumer lag series for the partitions the group reads"
        assert set(lags.values()) == {0.0}  # everything read


async def test_importer_counts_the_rows_it_validated(postgres_admin_url, kafka_bootstrap, tmp_path):
    async with running_service("importer", postgres_admin_url, kafka_bootstrap, tmp_path,
                               FALLBACK_REGION="GB") as svc:  # fmt: skip
        before = value(await scrape(svc), "import_rows_validated_total")
        assert before == 0
        created = await svc.http.post(
            "/v1/imports/pasted",
            json={"text": "07400 700002, 07400 700003; 0207 123 4567"},
            headers=bearer(uuid.uuid4()),
        )
        assert created.status_code in (200, 201, 202), created.text

        async def validated() -> float | None:
            rows = value(await scrape(svc), "import_rows_validated_total")
            return rows if rows == 3 else None

        assert await svc.until(validated) == 3
