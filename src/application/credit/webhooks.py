"""A tenant's webhook endpoints: registered, listed and disabled by its administrators.

An endpoint hears of the events it subscribes to (by default, decisions) with signed calls
(`domain.webhooks`). Its secret is chosen by whoever registers it (the CLI makes a random one)
and shown only then: listings carry it, because signing needs it, but every repr and audit
record leaves it out. The audit trail keeps where calls go without a query string, which
endpoints sometimes use to carry a token of their own.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Collection

from attrs import evolve, frozen

from application.credit.notify import NOTIFYING_TOPICS
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal, Topic
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.errors import ValidationFailed
from domain.identity import Permission, Principal, authorize
from domain.pii import JsonValue
from domain.webhooks import WebhookEndpoint, endpoint_problems

DEFAULT_EVENTS = frozenset({Topic.APPLICATION_DECIDED})


def _audited(endpoint: WebhookEndpoint) -> dict[str, JsonValue]:
    parts = urllib.parse.urlsplit(endpoint.url)
    events: list[JsonValue] = [*sorted(endpoint.events)]
    return {
        "url": urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")),
        "events": events,
        "active": endpoint.active,
    }


@frozen
class RegisterWebhook:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(
        self,
        principal: Principal,
        url: str,
        secret: str,
        events: Collection[str] = DEFAULT_EVENTS,
    ) -> WebhookEndpoint:
        authorize(principal, Permission.CONFIG_MANAGE)
        problems = endpoint_problems(url, secret, events, NOTIFYING_TOPICS)
        if problems:
            raise ValidationFailed(problems)
        now = self.clock.now()
        endpoint = WebhookEndpoint(
            id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            url=url,
            secret=secret,
            events=frozenset(events),
            created_at=now,
            created_by=principal.user_id,
        )
        with self.uow:
            self.uow.webhooks.add(endpoint)
            Journal.of(self.uow, principal, now).audit(
                "webhook.registered", "webhook_endpoint", endpoint.id, new=_audited(endpoint)
            )
            self.uow.commit()
        return endpoint


@frozen
class ListWebhooks:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> list[WebhookEndpoint]:
        """Every endpoint of the tenant, disabled ones included, oldest first."""
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            return self.uow.webhooks.list(principal.tenant_id)


@frozen
class DisableWebhook:
    """Stop calling an endpoint. Deliveries not yet sent to it fail, without another try."""

    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, endpoint_id: str) -> WebhookEndpoint:
        authorize(principal, Permission.CONFIG_MANAGE)
        now = self.clock.now()
        with self.uow:
            endpoint = self.uow.webhooks.get(principal.tenant_id, endpoint_id)
            if endpoint is None:
                raise NotFound("webhook endpoint", endpoint_id)
            if not endpoint.active:
                return endpoint
            disabled = evolve(endpoint, active=False)
            self.uow.webhooks.update(disabled)
            Journal.of(self.uow, principal, now).audit(
                "webhook.disabled",
                "webhook_endpoint",
                endpoint_id,
                old=_audited(endpoint),
                new=_audited(disabled),
            )
            self.uow.commit()
            return disabled
