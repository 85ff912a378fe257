"""CREDITDESK_DB_POOL_SIZE: the database connections a process keeps open."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.pool import QueuePool

from domain.errors import ValidationFailed
from entrypoints.composition import build
from entrypoints.settings import DEFAULT_DB_POOL_SIZE, load


def test_by_default_a_process_keeps_a_connection_for_each_request_thread() -> None:
    assert DEFAULT_DB_POOL_SIZE == 40  # anyio's default number of worker threads
    assert load({"HOME": "/home/ana"}).db_pool_size == DEFAULT_DB_POOL_SIZE


def test_the_pool_size_can_be_set() -> None:
    assert load({"CREDITDESK_DB_POOL_SIZE": " 8 "}).db_pool_size == 8


@pytest.mark.parametrize("text", ["0", "-3", "1001", "ten", "2.5", "٣"])
def test_a_pool_size_that_is_not_1_to_1000_is_named(text: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        load({"CREDITDESK_DB_POOL_SIZE": text, "CREDITDESK_SHADOW_SHARE": "2"})
    fields = [problem.path for problem in refused.value.problems]
    assert fields == ["CREDITDESK_SHADOW_SHARE", "CREDITDESK_DB_POOL_SIZE"]


def test_the_engine_keeps_that_many_connections(tmp_path: Path) -> None:
    settings = load({"CREDITDESK_DATA_DIR": str(tmp_path), "CREDITDESK_DB_POOL_SIZE": "12"})
    deps = build(settings, migrate=False)
    try:
        pool = deps.engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() == 12
    finally:
        deps.close()
