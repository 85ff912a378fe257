"""Notifications: what a person reads in the app, and what leaves by email or webhook.

A notification starts as an outbox message (rule 3 of DESIGN.md). Fanning it out writes, in one
transaction, an `InboxMessage` for each person it concerns and a `Delivery` for each copy that
has to leave the system (an email, a webhook call). A delivery records its every attempt, so an
operator sees per channel what went out, what is still being tried and what failed, and why.

Wording lives in `Template`s, rendered from a context of strings. Like audit data, a context
carries ids and small facts, never an applicant's name or an amount: an email travels through
servers nobody here controls, and an inbox is read over a colleague's shoulder. An error kept
on a delivery follows the same rule, and never holds a secret (a webhook's signing secret, an
SMTP password) either: it is shown to operators and copied into dead-job records.
"""

from __future__ import annotations

import enum
import html
import string
from collections.abc import Iterable, Mapping
from datetime import datetime

from attrs import evolve, frozen

from domain.errors import IllegalTransition, Problem, ValidationFailed


class Channel(enum.StrEnum):
    """How a notification reaches its recipient."""

    IN_APP = "in_app"
    EMAIL = "email"
    WEBHOOK = "webhook"


class MissingVariables(ValidationFailed):
    """A template was rendered without some of its variables; `names` lists every one.

    A `ValidationFailed`, so a background job that hits it fails at once instead of being
    retried: the message it renders will not grow the missing values by waiting.
    """

    def __init__(self, template: str, names: Iterable[str]) -> None:
        self.template = template
        self.names = tuple(sorted(set(names)))
        super().__init__(
            tuple(Problem(name, f"is needed by template {template}") for name in self.names)
        )


@frozen
class Template:
    """A subject line and a plain-text body, with `$name` placeholders (`string.Template`).

    `$name` rather than `{name}`: a placeholder is a plain name, so a template can neither
    reach into an attribute of a value nor be broken by a brace in its own text.
    """

    name: str
    subject: str
    text: str

    @property
    def variables(self) -> frozenset[str]:
        """The names the template needs in its context."""
        return frozenset(
            string.Template(self.subject).get_identifiers()
            + string.Template(self.text).get_identifiers()
        )


@frozen
class Rendered:
    """A template filled in: what a person reads, in plain text (and as simple HTML)."""

    subject: str
    text: str

    @property
    def html(self) -> str:
        """The text as an HTML document: a paragraph per blank-line-separated block, every
        value escaped, so a context value can never inject markup into an email."""
        paragraphs = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in block.splitlines()) + "</p>"
            for block in self.text.split("\n\n")
            if block.strip()
        )
        return (
            '<!DOCTYPE html><html><head><meta charset="utf-8">'
            f"<title>{html.escape(self.subject)}</title></head><body>{paragraphs}</body></html>"
        )


def render(template: Template, context: Mapping[str, str]) -> Rendered:
    """Fill `template` from `context`; `MissingVariables` names every variable it lacks.

    The subject is kept to one line (any run of whitespace becomes one space): a line break in
    a value must not become a second header of an email.
    """
    missing = template.variables - context.keys()
    if missing:
        raise MissingVariables(template.name, missing)
    subject = string.Template(template.subject).substitute(context)
    return Rendered(" ".join(subject.split()), string.Template(template.text).substitute(context))


@frozen
class InboxMessage:
    """One notification in one person's in-app inbox.

    `source_id` is the outbox message it came from: a person gets at most one message per
    source, however often that source is handled (delivery is at least once).
    """

    id: str
    tenant_id: str
    user_id: str
    source_id: str
    template: str
    subject: str
    body: str
    created_at: datetime
    read_at: datetime | None = None

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


def mark_read(message: InboxMessage, now: datetime) -> InboxMessage:
    """The message read at `now`; one already read keeps the moment it was first read."""
    return message if message.read_at is not None else evolve(message, read_at=now)


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


#: The longest error kept on a delivery: the reason, never a response body or a traceback.
MAX_DELIVERY_ERROR = 500


@frozen
class Delivery:
    """One copy of a notification leaving by one channel, to one recipient, and its attempts.

    `recipient` is a reference, never an address: a user id for email (the address is looked
    up when sending, so a corrected address is used, and none is stored twice), a webhook
    endpoint id for webhooks. `event` is the topic that caused it ("application.decided"),
    `template` names the wording, `context` holds the template's variables (ids and small
    facts). `next_attempt_at` is when the next try is expected while one is planned; a failed
    delivery has none.
    """

    id: str
    tenant_id: str
    source_id: str
    event: str
    channel: Channel
    recipient: str
    template: str
    context: Mapping[str, str]
    created_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    attempts: int = 0
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    sent_at: datetime | None = None


def _refuse_sent(delivery: Delivery) -> None:
    if delivery.status is DeliveryStatus.SENT:
        raise IllegalTransition(f"delivery {delivery.id} was already sent")


def delivered(delivery: Delivery, now: datetime) -> Delivery:
    """The delivery after an attempt that went through. The last error, if any, is kept: it
    tells why earlier attempts failed."""
    _refuse_sent(delivery)
    return evolve(
        delivery,
        status=DeliveryStatus.SENT,
        attempts=delivery.attempts + 1,
        sent_at=now,
        next_attempt_at=None,
    )


def attempt_failed(
    delivery: Delivery, now: datetime, error: str, *, retry_at: datetime | None
) -> Delivery:
    """The delivery after a failed attempt: pending while another is planned (`retry_at`),
    failed when none is. A failed delivery may still be tried again by hand, and succeed."""
    _refuse_sent(delivery)
    if retry_at is not None and retry_at < now:
        raise ValueError("a retry is planned after the failure, not before")
    return evolve(
        delivery,
        status=DeliveryStatus.FAILED if retry_at is None else DeliveryStatus.PENDING,
        attempts=delivery.attempts + 1,
        last_error=" ".join(error.split())[:MAX_DELIVERY_ERROR] or "failed",
        next_attempt_at=retry_at,
    )
