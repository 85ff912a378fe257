"""A person's in-app notifications: listed (unread first) and marked read.

Everyone has an inbox, so reading one's own needs no permission; nobody reads or marks another
person's. A message of someone else is reported exactly like a missing one, so an id guessed
from a colleague's inbox learns nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.queries import Page, page_problems
from application.errors import NotFound
from application.ports import Clock
from domain.errors import ValidationFailed
from domain.identity import Principal
from domain.notifications import InboxMessage, mark_read


@frozen
class Inbox:
    """One page of a person's messages, and how many of all of them are unread."""

    messages: Page[InboxMessage]
    unread: int


@frozen
class ListNotifications:
    uow: UnitOfWork

    def __call__(
        self, principal: Principal, *, unread_only: bool = False, page: int = 1, page_size: int = 20
    ) -> Inbox:
        problems = page_problems(page, page_size)
        if problems:
            raise ValidationFailed(problems)
        tenant_id, user_id = principal.tenant_id, principal.user_id
        with self.uow:
            return Inbox(
                self.uow.inbox.page(
                    tenant_id, user_id, unread_only=unread_only, page=page, page_size=page_size
                ),
                self.uow.inbox.unread_count(tenant_id, user_id),
            )


@frozen
class MarkNotificationsRead:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, message_ids: Sequence[str] | None = None) -> int:
        """Mark the messages read (every unread one when `message_ids` is None); how many were
        unread. All or nothing: one id that is not the person's marks none."""
        tenant_id, user_id = principal.tenant_id, principal.user_id
        now = self.clock.now()
        with self.uow:
            if message_ids is None:
                marked = self.uow.inbox.mark_all_read(tenant_id, user_id, now)
            else:
                marked = 0
                for message_id in dict.fromkeys(message_ids):
                    message = self.uow.inbox.get(tenant_id, message_id)
                    if message is None or message.user_id != user_id:
                        raise NotFound("notification", message_id)
                    if not message.is_read:
                        self.uow.inbox.update(mark_read(message, now))
                        marked += 1
            self.uow.commit()
            return marked
