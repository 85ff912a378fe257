"""The outbox relay: hand committed outbox messages to the job queue, at least once.

Use cases write a message in the same transaction as the change that needs it (rule 3 of
DESIGN.md); this relay, run often by the worker and the scheduler, enqueues each pending message
as a job named by its topic, with the message id as the job's idempotency key, and then marks it
sent. A crash between the enqueue and the mark sends the message again on the next run, which
the queue drops (same idempotency key) or the job ignores (every job is idempotent): a message
is never lost, and never acted on twice.

Only the topics some worker handles are relayed (`topics`); the others wait in the outbox for
the component that delivers them, without holding up the rest.
"""

from __future__ import annotations

from attrs import field, frozen, validators

from application.credit.ports import OutboxMessage, UnitOfWork
from application.ports import Job, JobQueue


def job_of(message: OutboxMessage) -> Job:
    """The job a message asks for: named by its topic, its payload plus the tenant."""
    return Job(
        name=message.topic,
        payload={**message.payload, "tenant_id": message.tenant_id},
        idempotency_key=message.id,
    )


@frozen
class RelayOutbox:
    uow: UnitOfWork
    queue: JobQueue
    topics: frozenset[str]
    batch: int = field(default=100, validator=validators.ge(1))

    def __call__(self, *, limit: int = 10_000) -> int:
        """Relay up to `limit` pending messages, a batch per transaction; how many were sent.

        Each message is marked sent after its enqueue, in its batch's transaction: a failure of
        the queue stops the run and leaves the batch pending, so its messages already enqueued
        go again next time (and are dropped by the queue as duplicates).
        """
        relayed = 0
        while relayed < limit:
            with self.uow:
                pending = self.uow.outbox.pending(
                    min(self.batch, limit - relayed), topics=self.topics
                )
                for message in pending:
                    self.queue.enqueue(job_of(message))
                    self.uow.outbox.mark_sent(message.id)
                    relayed += 1
                self.uow.commit()
            if len(pending) < self.batch:
                break
        return relayed
