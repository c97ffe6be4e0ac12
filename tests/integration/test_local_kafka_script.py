"""deploy/local/kafka.sh as the tests use it: a broker that cannot start fails fast and says
why; the shared test broker starts without the topics of earlier runs, unless it is running."""

from __future__ import annotations

import shutil
import socket

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from contacts_messaging.kafka import ensure_topics
from contacts_messaging.topic_plan import TopicSpec
from contacts_testing.infra import TEST_STATE_DIR, LocalKafka, LocalScriptFailed

pytestmark = pytest.mark.integration


def test_a_broker_that_cannot_start_fails_at_once_with_the_reason():
    state = TEST_STATE_DIR / "unstartable-broker"
    shutil.rmtree(state, ignore_errors=True)
    broker = LocalKafka(29342, state)
    with socket.socket() as taken:  # the controller's port (broker port + 1)
        taken.bind(("127.0.0.1", 29343))
        taken.listen()
        with pytest.raises(LocalScriptFailed) as failed:
            broker.start()
    reason = str(failed.value)
    assert reason.startswith("kafka.sh start exited 1: ")
    assert "kafka exited with status 1 before opening 127.0.0.1:29342, twice" in reason
    assert "Unable to start acceptor for CONTROLLER" in reason  # the first error in its log
    assert not broker.running()


async def topic_names(broker: LocalKafka) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


async def test_a_fresh_start_drops_a_stopped_brokers_topics_but_not_a_running_ones():
    state = TEST_STATE_DIR / "fresh-broker"
    shutil.rmtree(state, ignore_errors=True)
    broker = LocalKafka(29352, state)
    broker.start()
    try:
        await ensure_topics(broker.bootstrap, [TopicSpec("left_by_an_earlier_run", 1)])
        broker.start(fresh=True)  # running: kept as it is
        assert "left_by_an_earlier_run" in await topic_names(broker)
        broker.kill()
        broker.start(fresh=True)
        assert "left_by_an_earlier_run" not in await topic_names(broker)
    finally:
        broker.kill()
