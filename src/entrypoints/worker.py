"""The background worker: Dramatiq actors over the use cases, and the outbox relay beside them.

`creditdesk worker` runs this against Redis or RabbitMQ (`CREDITDESK_BROKER_URL`); the embedded
default runs the same thing in process. Each actor takes ids, builds its use case with a fresh
unit of work and calls it: nothing global is looked up, and every actor is idempotent, because
delivery is at least once (rule 7 of DESIGN.md). The relay runs in the same loop, so a worker
alone moves committed outbox messages to the queue; several workers relaying at once queue a
message at most a few times, and the job's idempotency makes that harmless.

A job whose error cannot go away by waiting (the application is gone, a permission is
missing, the input is invalid) fails at once instead of being retried; others are retried with
backoff and, failing for good, recorded as dead jobs (`creditdesk jobs dead`).
"""

from __future__ import annotations

import logging
import threading

import dramatiq
import redis
from attrs import frozen

from adapters.queue.broker import RetryPolicy, build_broker
from adapters.queue.job_queue import DramatiqJobQueue, MemorySeenKeys, RedisSeenKeys, SeenKeys
from application.credit.dead_jobs import FailedJob, RecordDeadJob
from application.credit.relay_outbox import RelayOutbox
from entrypoints.actors import batches, exports, notifications, scoring
from entrypoints.composition import Deps

_log = logging.getLogger(__name__)

#: Every kind of background work; each module declares its actors (see `entrypoints.actors`).
ACTOR_MODULES = (scoring, batches, notifications, exports)


def register_actors(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    """Declare every actor on `broker`; returns the topics they handle (the relay's topics)."""
    return frozenset().union(*(module.register(broker, deps) for module in ACTOR_MODULES))


@frozen
class Background:
    """A broker with the actors declared, the queue that feeds it and the relay's topics."""

    broker: dramatiq.Broker
    queue: DramatiqJobQueue
    topics: frozenset[str]

    def relay(self, deps: Deps) -> int:
        """Move pending outbox messages of the handled topics to the queue."""
        return RelayOutbox(deps.uow(), self.queue, self.topics)()


def background(deps: Deps, policy: RetryPolicy = RetryPolicy()) -> Background:  # noqa: B008
    """The broker of the settings (in process without a URL), its actors and its queue."""
    url = deps.settings.broker_url

    def report_dead(failed: FailedJob) -> None:
        RecordDeadJob(deps.uow(), deps.clock)(failed)

    heartbeat_ms = round(deps.settings.broker_heartbeat_timeout * 1000)
    broker = build_broker(url, report_dead, policy, heartbeat_timeout_ms=heartbeat_ms)
    seen: SeenKeys = MemorySeenKeys()  # per relay: in process, or beside RabbitMQ
    if url is not None and url.startswith(("redis://", "rediss://")):
        seen = RedisSeenKeys(redis.Redis.from_url(url))  # shared by every relay
    topics = register_actors(broker, deps)
    return Background(broker, DramatiqJobQueue(broker, seen), topics)


def run(
    deps: Deps,
    stop: threading.Event,
    *,
    threads: int = 4,
    relay_every: float = 0.5,
    policy: RetryPolicy = RetryPolicy(),  # noqa: B008  # a frozen value
) -> None:
    """Work until `stop` is set: actors on `threads` threads, the relay every `relay_every` s."""
    jobs = background(deps, policy)
    worker = dramatiq.Worker(jobs.broker, worker_threads=threads)
    worker.start()
    try:
        while not stop.wait(relay_every):
            try:
                jobs.relay(deps)
            except Exception:  # the database or broker is away: try again next round
                _log.exception("outbox relay failed; retrying")
    finally:
        worker.stop()
