"""`/api/v1/notifications`: the caller's own in-app inbox, listed and marked read.

Everyone has an inbox, so the routes ask for the one permission every role holds
(application:view); the use cases serve only the caller's own messages, and a message of
someone else answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery

from adapters.serialization import unstructure
from application.credit.inbox import ListNotifications, MarkNotificationsRead
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import PageNumber, PageSize

BASE = "/api/v1/notifications"
_P = Permission


class NotificationsController(Controller):
    path = BASE
    tags = ["notifications"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="The caller's notifications", operation_id="listNotifications",
         sync_to_thread=True, **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def inbox(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        unread: FromQuery[bool] = False,
        page: PageNumber = 1,
        page_size: PageSize = 20,
    ) -> dict[str, Any]:
        found = ListNotifications(deps.uow())(
            principal, unread_only=unread, page=page, page_size=page_size
        )
        return {
            "items": [unstructure(message) for message in found.messages.items],
            "total": found.messages.total,
            "unread": found.unread,
        }

    @post("/{message_id:str}/read", summary="Mark one notification read",
          operation_id="markNotificationRead", status_code=200, sync_to_thread=True,
          **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def read(
        self, deps: AppDeps, principal: CurrentPrincipal, message_id: FromPath[str]
    ) -> dict[str, int]:
        marked = MarkNotificationsRead(deps.uow(), deps.clock)(principal, [message_id])
        return {"marked": marked}

    @post("/read-all", summary="Mark every notification read",
          operation_id="markAllNotificationsRead", status_code=200, sync_to_thread=True,
          **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def read_all(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, int]:
        return {"marked": MarkNotificationsRead(deps.uow(), deps.clock)(principal)}
