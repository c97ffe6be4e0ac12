"""The fault platform on a three-node Kafka cluster (replication 3, min ISR 2), on ports of its
own: the fixture `platform` here replaces the single-broker one of tests/faults for the cases
of this package, so that one does not start for them (`fault_case` and `sms` are tests/faults').

Ports: Kafka nodes 27492-27494 (their controllers 27495-27497), Postgres 27432, services
27401-27404; state under <test state>/faults-cluster."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from contacts_testing.infra import TEST_STATE_DIR
from contacts_testing.local_platform import LocalPlatform, Ports
from contacts_testing.sms_standin import SmsStandIn

from ..conftest import FULL, QUICK, service_env

CLUSTER_PORTS = Ports(kafka=27492, postgres=27432, http_base=27400)
CLUSTER_SIZES = [
    pytest.param(QUICK, marks=pytest.mark.slow),
    pytest.param(FULL, marks=[pytest.mark.slow, pytest.mark.timeout(2400)]),
]
"""Both sizes are `slow` (`make test-slow`, not `make test`): the three quick cases take about
3.5 minutes with the cluster's start, more than the CI budget has left (docs/testing.md)."""


@pytest.fixture(scope="package")
def platform(sms: SmsStandIn) -> Iterator[LocalPlatform]:
    on_cluster = LocalPlatform(
        CLUSTER_PORTS, TEST_STATE_DIR / "faults-cluster", service_env(sms), kafka_nodes=3
    )
    with on_cluster.running() as running:
        yield running
