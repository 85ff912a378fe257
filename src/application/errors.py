"""Errors the use cases raise that are not business rules (those are `domain.errors`).

Kept to two: a record the acting person's tenant does not have, and an idempotency key reused
for a different request. A record of another tenant is reported exactly like a missing one, so
an id guessed across tenants learns nothing.
"""

from __future__ import annotations

from application.ports import RecordNotFound
from domain.errors import ConflictError


class NotFound(RecordNotFound):
    """The tenant has no record with this id (another tenant's record counts as none)."""

    def __init__(self, what: str, record_id: str) -> None:
        self.what = what
        self.record_id = record_id
        super().__init__(f"{what} {record_id} not found")


class IdempotencyKeyReused(ConflictError):
    """The key was used before with a different request; a retry must resend the same body."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(
            f"idempotency key {key!r} was already used for a different request; "
            "send the original request again, or use a new key for a new one"
        )
