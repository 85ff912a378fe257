"""Notifications: fan each notifying message out, then send each delivery on its own.

One actor per notifying topic fans the message out (`FanOutNotification`), keyed by the message's
id so that a message handled twice notifies nobody twice. `notification.deliver` sends one
delivery (`DeliverNotification`): a failure is recorded on the delivery and raised, so the
broker retries it with its backoff; the actor tells the use case when that next try comes, or
that there is none (the last attempt), from the broker's own retry count, so the delivery's
record and the broker agree. A delivery that fails for good is also a dead job, and can be sent
again by hand (`creditdesk jobs retry`).

Email is on only with a mail server (CREDITDESK_SMTP_HOST); without one no email delivery is
made at all, which is logged once, when the actors are declared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

import dramatiq
from dramatiq.middleware import CurrentMessage, Retries

from adapters.queue.broker import QUEUE
from application.credit.deliver_notification import DeliverNotification
from application.credit.notify import EXTERNAL_CHANNELS, NOTIFYING_TOPICS, FanOutNotification
from application.credit.recording import Topic
from domain.notifications import Channel
from entrypoints.actors.common import PERMANENT
from entrypoints.composition import Deps

_log = logging.getLogger(__name__)


def current_message_id() -> str:
    message = CurrentMessage.get_current_message()
    if message is None:
        raise RuntimeError("a notification job runs inside a worker, with CurrentMessage")
    return str(message.message_id)


def next_try_in(broker: dramatiq.Broker) -> timedelta | None:
    """When the broker will try the running job again if it fails now; None if never.

    The least of Dramatiq's backoff (it adds up to as much again as jitter): an estimate for
    people reading the delivery, never used to schedule anything.
    """
    retries = next((m for m in broker.middleware if isinstance(m, Retries)), None)
    message = CurrentMessage.get_current_message()
    if retries is None or message is None:
        return None
    done = int(message.options.get("retries") or 0)
    if retries.max_retries is None or done >= retries.max_retries:
        return None
    backoff_ms = min(retries.min_backoff * 2**done, retries.max_backoff)
    return timedelta(milliseconds=backoff_ms)


def register(broker: dramatiq.Broker, deps: Deps) -> frozenset[str]:
    channels = EXTERNAL_CHANNELS
    if deps.email is None:
        channels -= {Channel.EMAIL}
        _log.info("email notifications are off: no mail server (CREDITDESK_SMTP_HOST) is set")

    def fan_out_of(topic: str) -> Callable[..., None]:
        def fan_out(tenant_id: str, **payload: str | int) -> None:
            fan = FanOutNotification(deps.uow(), deps.clock, deps.ids, channels)
            fan(tenant_id, current_message_id(), topic, payload)

        return fan_out

    for topic in sorted(NOTIFYING_TOPICS):
        dramatiq.actor(actor_name=topic, queue_name=QUEUE, broker=broker, throws=PERMANENT)(
            fan_out_of(topic)
        )

    def deliver(tenant_id: str, delivery_id: str) -> None:
        send = DeliverNotification(deps.uow(), deps.clock, deps.email, deps.webhooks)
        send(tenant_id, delivery_id, retry_in=next_try_in(broker))

    dramatiq.actor(
        actor_name=Topic.NOTIFICATION_DELIVER, queue_name=QUEUE, broker=broker, throws=PERMANENT
    )(deliver)
    return NOTIFYING_TOPICS | {Topic.NOTIFICATION_DELIVER}
