"""The `JobQueue` port over a Dramatiq broker, dropping jobs already queued.

A job becomes a Dramatiq message for the actor named like the job, its payload as keyword
arguments, and its idempotency key as the message id (so a dead job, a log line and the outbox
row it came from share one id). A key is remembered only after its message was queued, in
`SeenKeys`: in Redis for a week in production (shared by every relay), in memory otherwise. Two
relays racing on one message may both queue it; the jobs are idempotent, so that costs a little
work and never a second effect, whereas remembering a key before the enqueue succeeded could
lose the job.
"""

from __future__ import annotations

import threading
from typing import Protocol

import dramatiq
import redis

from adapters.queue.broker import QUEUE
from application.ports import Job

WEEK_SECONDS = 7 * 24 * 3600


class SeenKeys(Protocol):
    def seen(self, key: str) -> bool: ...

    def remember(self, key: str) -> None: ...


class MemorySeenKeys:
    def __init__(self) -> None:
        self._keys: set[str] = set()
        self._lock = threading.Lock()

    def seen(self, key: str) -> bool:
        with self._lock:
            return key in self._keys

    def remember(self, key: str) -> None:
        with self._lock:
            self._keys.add(key)


class RedisSeenKeys:
    def __init__(
        self, client: redis.Redis, *, prefix: str = "creditdesk:queued:", ttl: int = WEEK_SECONDS
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._ttl = ttl

    def seen(self, key: str) -> bool:
        return bool(self._client.exists(self._prefix + key))

    def remember(self, key: str) -> None:
        self._client.set(self._prefix + key, b"1", ex=self._ttl)


class DramatiqJobQueue:
    def __init__(self, broker: dramatiq.Broker, seen: SeenKeys) -> None:
        self._broker = broker
        self._seen = seen

    def enqueue(self, job: Job) -> None:
        if self._seen.seen(job.idempotency_key):
            return
        message: dramatiq.Message[object] = dramatiq.Message(
            queue_name=QUEUE,
            actor_name=job.name,
            args=(),
            kwargs=dict(job.payload),
            options={},
            message_id=job.idempotency_key,
        )
        self._broker.enqueue(message)
        self._seen.remember(job.idempotency_key)
