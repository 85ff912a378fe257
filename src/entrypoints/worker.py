"""The background worker: Dramatiq actors over the use cases, and the outbox relay beside them.

`creditdesk worker` runs this against Redis (`CREDITDESK_BROKER_URL`); the embedded default runs
the same thing in process. Each actor takes ids, builds its use case with a fresh unit of work
and calls it: nothing global is looked up, and every actor is idempotent, because delivery is
at least once (rule 7 of DESIGN.md). The relay runs in the same loop, so a worker alone moves
committed outbox messages to the queue; several workers relaying at once queue a message at
most a few times, and the job's idempotency makes that harmless.

A job whose error cannot go away by waiting (the application is gone, a permission is
missing, the input is invalid) fails at once instead of being retried; others are retried with
backoff and, failing for good, recorded as dead jobs (`creditdesk jobs dead`).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable

import dramatiq
import redis
from attrs import frozen

from adapters.queue.broker import QUEUE, RetryPolicy, build_broker
from adapters.queue.job_queue import DramatiqJobQueue, MemorySeenKeys, RedisSeenKeys, SeenKeys
from application.credit.dead_jobs import FailedJob, RecordDeadJob
from application.credit.recording import Topic
from application.credit.relay_outbox import RelayOutbox
from application.credit.score_application import ScoreApplication
from application.ports import RecordNotFound
from domain.audit import ChainMismatch
from domain.errors import IllegalTransition, PermissionDenied, ValidationFailed
from domain.identity import Permission, Principal, Role
from entrypoints.composition import Deps

_log = logging.getLogger(__name__)

#: Errors that retrying cannot cure: the job fails at once and is recorded as dead.
PERMANENT = (RecordNotFound, PermissionDenied, ValidationFailed)
WORKER_USER = "system:worker"


def worker_principal(tenant_id: str) -> Principal:
    """Who a job acts as in its tenant: a system user that may score and nothing more."""
    return Principal(
        WORKER_USER,
        tenant_id,
        Role.READONLY,
        extra_grants=frozenset({Permission.APPLICATION_SCORE}),
    )


def _again_on_race(call: Callable[[], object], attempts: int = 8) -> None:
    """Run `call`, again at once when it lost a race for the tenant's audit chain.

    Every change in a tenant appends to one hash chain, so two jobs of a tenant committing at
    the same moment conflict and one is rolled back whole (`ChainMismatch`). Running it again
    right away is safe (use cases are idempotent) and much cheaper than a broker retry with
    backoff; a job that keeps losing is left to those retries.
    """
    for attempt in range(attempts):
        try:
            call()
            return
        except ChainMismatch:
            if attempt == attempts - 1:
                raise
            time.sleep(0.002 * (attempt + 1) * random.random())  # noqa: S311 - jitter only


def register_actors(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    """Declare every actor on `broker`; returns the topics they handle (the relay's topics)."""

    def score_application(tenant_id: str, application_id: str) -> None:
        score = ScoreApplication(
            deps.uow(), deps.clock, deps.ids, deps.models, shadow_share=deps.settings.shadow_share
        )
        try:
            _again_on_race(lambda: score(worker_principal(tenant_id), application_id))
        except IllegalTransition:  # routed or cancelled meanwhile: nothing left to do
            _log.info("application %s is no longer pending; scoring skipped", application_id)

    dramatiq.actor(
        actor_name=Topic.SCORE_APPLICATION, queue_name=QUEUE, broker=broker, throws=PERMANENT
    )(score_application)
    return frozenset({Topic.SCORE_APPLICATION})


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
    seen: SeenKeys = MemorySeenKeys() if url is None else RedisSeenKeys(redis.Redis.from_url(url))
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
