"""The Dramatiq broker from a URL, with the retry policy and the dead-job report built in.

No URL means the embedded default: Dramatiq's in-process broker, served by worker threads in
the same process, so nothing external is needed. A `redis://` URL means Redis, where jobs
survive a crash of any process: a job a worker took but did not finish is given to another
worker once the first one's heartbeat stops (Dramatiq's redis broker requeues unacked messages).
An `amqp://` URL means RabbitMQ, the other broker Dramatiq speaks: there a job is acknowledged
only once done, and RabbitMQ itself hands a job back to the queue when the connection of the
worker that held it drops.

Retries: a failing job is tried again with exponential backoff (`RetryPolicy`, 3 retries by
default). When the last attempt fails, `DeadJobs` reports it to a callback (which records it,
`application.credit.dead_jobs`), with the error's type and message, never the traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import dramatiq
from attrs import frozen
from dramatiq.brokers.rabbitmq import RabbitmqBroker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import CurrentMessage, Middleware, Retries, default_middleware

from application.credit.dead_jobs import FailedJob

QUEUE = "default"
#: The URL schemes `build_broker` knows: Redis (the production default) and RabbitMQ.
BROKER_SCHEMES = ("redis://", "rediss://", "amqp://", "amqps://")
_log = logging.getLogger(__name__)


@frozen
class RetryPolicy:
    max_retries: int = 3
    min_backoff_ms: int = 1_000
    max_backoff_ms: int = 5 * 60_000


class DeadJobs(Middleware):
    """Reports a job whose last attempt failed; its hook runs after `Retries`', which decides
    that (see the order in `build_broker`)."""

    def __init__(self, report: Callable[[FailedJob], object]) -> None:
        self._report = report

    def after_process_message(
        self,
        broker: dramatiq.Broker,
        message: dramatiq.MessageProxy,
        *,
        result: object = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is None or not message.failed:
            return
        failed = FailedJob(
            message_id=message.message_id,
            job_name=message.actor_name,
            payload=dict(message.kwargs),
            error=f"{type(exception).__name__}: {exception}",
            # Retries counts failed attempts; a job that throws a permanent error is failed
            # on its first attempt without being counted.
            attempts=int(message.options.get("retries") or 1),
        )
        try:
            self._report(failed)
        except Exception:  # the broker keeps its own dead letter; log and carry on
            _log.exception("could not record dead job %s", failed.message_id)


#: One in this many Redis commands (per million) also requeues the jobs of workers whose
#: heartbeat stopped; Dramatiq's default (1,000) can leave a crashed worker's jobs waiting for
#: minutes on a quiet queue, and the check is cheap.
MAINTENANCE_CHANCE = 20_000


def build_broker(
    url: str | None,
    report_dead: Callable[[FailedJob], object],
    policy: RetryPolicy = RetryPolicy(),  # a frozen value
    *,
    heartbeat_timeout_ms: int = 60_000,
) -> dramatiq.Broker:
    """The broker for `url` (None: in process), with the queue declared.

    With Redis, a worker that stops sending heartbeats for `heartbeat_timeout_ms` (killed, or
    its machine gone) is taken for dead, and the jobs it held go back to the queue.
    """
    middleware = [m() for m in default_middleware if m is not Retries]
    # An actor may ask which message it is running (`CurrentMessage.get_current_message()`):
    # its id is the outbox message's, and its retry count tells whether another try follows.
    middleware.append(CurrentMessage())
    # "after" hooks run in reverse order: DeadJobs comes before Retries in the list so that it
    # sees each message after Retries has decided whether that was the last attempt.
    middleware += [
        DeadJobs(report_dead),
        Retries(
            max_retries=policy.max_retries,
            min_backoff=policy.min_backoff_ms,
            max_backoff=policy.max_backoff_ms,
        ),
    ]
    broker: dramatiq.Broker
    if url is None:
        broker = StubBroker(middleware=middleware)
    elif url.startswith(("redis://", "rediss://")):
        broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=url,
            middleware=middleware,
            heartbeat_timeout=heartbeat_timeout_ms,
            maintenance_chance=MAINTENANCE_CHANCE,
        )
    elif url.startswith(("amqp://", "amqps://")):
        broker = RabbitmqBroker(url=url, middleware=middleware)
    else:
        raise ValueError(f"a broker URL starts with {' or '.join(BROKER_SCHEMES)}")
    broker.declare_queue(QUEUE)
    return broker
