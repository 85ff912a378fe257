"""The daily clean-up: remove what has outlived its use, a kind of record at a time.

Each kind has a `Cleaner`, which removes what expired before `now` and says how many went.
The clean-up runs every cleaner it is given, each on its own (one failing keeps no other from
running), so a new kind of expiring record (issued tokens, say) joins by adding a cleaner.

What expires:

* sent outbox messages, once older than the retention (they were delivered; the audit trail
  keeps the record of what happened). Unsent ones are never removed;
* idempotency keys, once older than the retention: a client retrying a request after that long
  is sending a new one (its external id still refuses a duplicate application);
* exported files under `<tenant id>/exports/<YYYY-MM-DD>/...` in the object store, once their
  day is older than the retention. A key that does not follow that layout is left alone;
* claims of scheduled slots, once older than the retention (they only matter while a slot is
  current).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from attrs import field, frozen, validators

from application.credit.every_tenant import tenant_ids
from application.credit.ports import ScheduleClaims, UnitOfWork
from application.ports import Clock, ObjectStore

EXPORTS = "exports"
_BATCH = 1_000


class Cleaner(Protocol):
    """Removes one kind of expired record."""

    @property
    def name(self) -> str:
        """What it cleans, for the report (`sent_outbox_messages`)."""
        ...

    def __call__(self, now: datetime) -> int:
        """Remove what has expired at `now`; how many records or objects went."""
        ...


@frozen
class CleanUpReport:
    removed: Mapping[str, int]
    failed: Mapping[str, Exception]


@frozen
class CleanUp:
    cleaners: Sequence[Cleaner]
    clock: Clock

    def __call__(self) -> CleanUpReport:
        now = self.clock.now()
        removed: dict[str, int] = {}
        failed: dict[str, Exception] = {}
        for cleaner in self.cleaners:
            try:
                removed[cleaner.name] = cleaner(now)
            except Exception as error:  # reported; the other cleaners still run
                failed[cleaner.name] = error
        return CleanUpReport(removed, failed)


def _in_batches(purge: Callable[[int], int]) -> int:
    """Call `purge(batch)` until a call removes less than a batch; the total removed."""
    total = 0
    while True:
        removed = purge(_BATCH)
        total += removed
        if removed < _BATCH:
            return total


_positive = validators.gt(timedelta(0))


@frozen
class SentOutboxCleaner:
    uow: UnitOfWork
    keep: timedelta = field(validator=_positive)
    name: str = "sent_outbox_messages"

    def __call__(self, now: datetime) -> int:
        def purge(batch: int) -> int:
            with self.uow:
                removed = self.uow.outbox.purge_sent(now - self.keep, batch)
                self.uow.commit()
                return removed

        return _in_batches(purge)


@frozen
class IdempotencyKeyCleaner:
    uow: UnitOfWork
    keep: timedelta = field(validator=_positive)
    name: str = "idempotency_keys"

    def __call__(self, now: datetime) -> int:
        def purge_in(tenant_id: str) -> Callable[[int], int]:
            def purge(batch: int) -> int:
                with self.uow:
                    removed = self.uow.idempotency.purge(tenant_id, now - self.keep, batch)
                    self.uow.commit()
                    return removed

            return purge

        return sum(_in_batches(purge_in(t)) for t in tenant_ids(self.uow, including_inactive=True))


def export_day(key: str) -> date | None:
    """The day of an export key `<tenant>/exports/<YYYY-MM-DD>/...`, or None for another key."""
    parts = key.split("/")
    if len(parts) < 4 or parts[1] != EXPORTS:
        return None
    try:
        return date.fromisoformat(parts[2]) if len(parts[2]) == 10 else None
    except ValueError:
        return None


@frozen
class ExportCleaner:
    uow: UnitOfWork
    store: ObjectStore
    keep: timedelta = field(validator=_positive)
    name: str = "exports"

    def __call__(self, now: datetime) -> int:
        oldest_kept = (now - self.keep).date()
        removed = 0
        for tenant_id in tenant_ids(self.uow, including_inactive=True):
            for key in self.store.keys(f"{tenant_id}/{EXPORTS}/"):
                day = export_day(key)
                if day is not None and day < oldest_kept:
                    self.store.delete(key)
                    removed += 1
        return removed


@frozen
class ScheduleClaimCleaner:
    claims: ScheduleClaims
    keep: timedelta = field(validator=_positive)
    name: str = "schedule_claims"

    def __call__(self, now: datetime) -> int:
        return self.claims.forget_before(now - self.keep)
