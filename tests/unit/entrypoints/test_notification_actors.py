"""The notification actors: which topics they take, what they say once when email is off, and
how they read the broker's retries."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import dramatiq
import pytest
from dramatiq.middleware import CurrentMessage

from adapters.queue.broker import QUEUE, RetryPolicy, build_broker
from application.credit.notify import NOTIFYING_TOPICS
from application.credit.recording import Topic
from entrypoints.actors import notifications
from entrypoints.actors.notifications import current_message_id, next_try_in
from entrypoints.composition import Deps, build
from entrypoints.settings import Settings

POLICY = RetryPolicy(max_retries=3, min_backoff_ms=1_000, max_backoff_ms=3_000)


@pytest.fixture
def deps(tmp_path: Path) -> Iterator[Deps]:
    built = build(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'cd.db'}"))
    yield built
    built.close()


def _broker() -> dramatiq.Broker:
    return build_broker(None, lambda _failed: None, POLICY)


def test_every_notifying_topic_and_the_deliveries_have_an_actor(
    deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    broker = _broker()
    with caplog.at_level(logging.INFO, logger=notifications.__name__):
        topics = notifications.register(broker, deps)

    assert topics == NOTIFYING_TOPICS | {Topic.NOTIFICATION_DELIVER}
    assert topics <= set(broker.get_declared_actors())
    assert [r.getMessage() for r in caplog.records] == [
        "email notifications are off: no mail server (CREDITDESK_SMTP_HOST) is set"
    ]


@pytest.mark.parametrize(
    ("failed_before", "next_try"),
    [(0, timedelta(seconds=1)), (1, timedelta(seconds=2)), (2, timedelta(seconds=3)), (3, None)],
)
def test_the_next_try_follows_the_brokers_backoff_until_the_last_attempt(
    failed_before: int, next_try: timedelta | None
) -> None:
    broker = _broker()
    options = {"retries": failed_before} if failed_before else {}
    message: dramatiq.Message[object] = dramatiq.Message(
        queue_name=QUEUE, actor_name="x", args=(), kwargs={}, options=options, message_id="m-1"
    )
    current = CurrentMessage()
    current.before_process_message(broker, message)  # type: ignore[no-untyped-call]
    try:
        assert next_try_in(broker) == next_try
        assert current_message_id() == "m-1"
    finally:
        current.after_process_message(broker, message)  # type: ignore[no-untyped-call]


def test_outside_a_job_there_is_no_message_and_no_next_try() -> None:
    assert next_try_in(_broker()) is None
    with pytest.raises(RuntimeError, match="inside a worker"):
        current_message_id()
