"""A Redis and a RabbitMQ server for the session, and a small real model every worker test can
promote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from adapters.ml.model import TrainedModel
from adapters.ml.training import fit_model
from adapters.queue.broker import QUEUE
from tests.services.rabbitmq import RabbitmqServer, empty_queues, running_rabbitmq
from tests.services.redis import RedisServer, running_redis
from tests.unit.ml.conftest import small_config
from tests.unit.ml.synthetic import synthetic_history


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    url = redis_server.url()
    redis.Redis.from_url(url).flushall()
    return url


@pytest.fixture(scope="session")
def rabbitmq_server() -> Iterator[RabbitmqServer]:
    with running_rabbitmq() as server:
        yield server


@pytest.fixture
def rabbitmq_url(rabbitmq_server: RabbitmqServer) -> str:
    """The session's RabbitMQ, without the queues an earlier test left."""
    empty_queues(rabbitmq_server, (QUEUE, f"{QUEUE}.DQ", f"{QUEUE}.XQ"))
    return rabbitmq_server.url()


@pytest.fixture(scope="session")
def small_model() -> TrainedModel:
    forms, defaulted = synthetic_history(400)
    model, _ = fit_model(forms, defaulted, small_config(blend_weights=(1.0,)), version="xgb-w1")
    return model
