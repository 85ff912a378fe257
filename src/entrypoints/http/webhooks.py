"""`/api/v1/webhooks`: a tenant's administrators register, list and disable webhook endpoints.

The secret signs every call, so it is chosen by whoever registers the endpoint and answered
once, at registration, for them to keep; no listing or later answer carries it again.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Controller, Response, delete, get, post
from litestar.params import FromPath

from adapters.serialization import structure, unstructure
from application.credit.webhooks import (
    DEFAULT_EVENTS,
    DisableWebhook,
    ListWebhooks,
    RegisterWebhook,
)
from domain.identity import Permission
from domain.webhooks import WebhookEndpoint
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON

BASE = "/api/v1/webhooks"
_P = Permission


@frozen
class WebhookRequest:
    """The body of a registration."""

    url: str
    secret: str
    events: frozenset[str] = DEFAULT_EVENTS


def endpoint_json(endpoint: WebhookEndpoint) -> dict[str, Any]:
    """The endpoint without its secret."""
    body: dict[str, Any] = unstructure(endpoint)
    body.pop("secret", None)
    body["events"] = sorted(endpoint.events)
    return body


class WebhooksController(Controller):
    path = BASE
    tags = ["webhooks"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="The tenant's webhook endpoints", operation_id="listWebhooks",
         sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def list_webhooks(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        found = ListWebhooks(deps.uow())(principal)
        return {"items": [endpoint_json(endpoint) for endpoint in found]}

    @post(summary="Register a webhook endpoint", operation_id="registerWebhook",
          sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def register(
        self, deps: AppDeps, principal: CurrentPrincipal, data: DocumentedJSON[WebhookRequest]
    ) -> Response[dict[str, Any]]:
        """201 with the endpoint and, this once, its secret."""
        asked = structure(data, WebhookRequest)
        endpoint = RegisterWebhook(deps.uow(), deps.clock, deps.ids)(
            principal, asked.url, asked.secret, asked.events
        )
        return Response(
            {**endpoint_json(endpoint), "secret": endpoint.secret},
            status_code=201,
            headers={"Location": f"{BASE}/{endpoint.id}"},
        )

    @delete("/{endpoint_id:str}", summary="Disable a webhook endpoint",
            operation_id="disableWebhook", status_code=200, sync_to_thread=True,
            **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def disable(
        self, deps: AppDeps, principal: CurrentPrincipal, endpoint_id: FromPath[str]
    ) -> dict[str, Any]:
        return endpoint_json(DisableWebhook(deps.uow(), deps.clock)(principal, endpoint_id))
