"""The clean-up's cleaner of expired credentials (see `clean_up`).

A denylist entry outlives its use once its token expires: an expired token is refused anyway.
So does an expired refresh token. Replaying one after it is purged is refused as unknown
rather than revoking its family, which costs nothing: the token itself is worthless by then,
and the family's live tokens are the ones rotated after it, held by whoever rotated them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from attrs import frozen

from application.credit.ports import UnitOfWork

_BATCH = 1_000


@frozen
class ExpiredTokenCleaner:
    uow: UnitOfWork
    name: str = "expired_tokens"
    batch: int = _BATCH

    def __call__(self, now: datetime) -> int:
        """Denylist entries and refresh tokens expired at `now`, removed a batch per
        transaction so no transaction holds many rows."""
        denied = self._drain(lambda n: self.uow.denylist.purge_expired(now, n))
        return denied + self._drain(lambda n: self.uow.refresh_tokens.purge_expired(now, n))

    def _drain(self, purge: Callable[[int], int]) -> int:
        total = 0
        while True:
            with self.uow:
                removed = purge(self.batch)
                self.uow.commit()
            total += removed
            if removed < self.batch:
                return total
