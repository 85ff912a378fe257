"""The names of the people an analytics report counts, for screens that show the report.

The reports name people by user id (stable, and free of personal data in logs and exports);
a person reading the analyst table wants names. Only the caller's tenant is looked up, so an
id from elsewhere finds nothing, and an id with no user (a removed account) keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from application.credit.ports import UnitOfWork
from domain.identity import Permission, Principal, authorize


@frozen
class NameAnalysts:
    uow: UnitOfWork

    def __call__(self, principal: Principal, user_ids: Iterable[str]) -> dict[str, str]:
        """The display name of each id that is a user of the caller's tenant."""
        authorize(principal, Permission.ANALYTICS_VIEW)
        names: dict[str, str] = {}
        with self.uow:
            for user_id in dict.fromkeys(user_ids):
                user = self.uow.users.get(principal.tenant_id, user_id)
                if user is not None:
                    names[user_id] = user.display_name
        return names
