"""A Redis server for the session, and a small real model every worker test can promote."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from adapters.ml.model import TrainedModel
from adapters.ml.training import fit_model
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
def small_model() -> TrainedModel:
    forms, defaulted = synthetic_history(400)
    model, _ = fit_model(forms, defaulted, small_config(blend_weights=(1.0,)), version="xgb-w1")
    return model
