"""Errors the use cases raise that are not business rules (those are `domain.errors`).

A record the acting person's tenant does not have, an idempotency key reused for a different
request, and a model that cannot serve (none promoted, or its artifact unreadable). A record of
another tenant is reported exactly like a missing one, so an id guessed across tenants learns
nothing.
"""

from __future__ import annotations

from application.ports import ApplicationError, RecordNotFound
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


class NoChampion(ConflictError):
    """The tenant has no champion model, so nothing can score its applications yet."""

    def __init__(self) -> None:
        super().__init__(
            "no champion model: train one (creditdesk model train) and promote it "
            "with a second person's approval before scoring"
        )


class ModelUnavailable(ApplicationError):
    """A registered model version whose artifact is missing or cannot be read."""

    def __init__(self, version: str, why: str) -> None:
        self.version = version
        super().__init__(f"model {version} cannot be loaded: {why}")


class Unauthenticated(ApplicationError):
    """The caller could not be identified: wrong credentials, or a token that is no longer good.

    One error, and one message, for every cause (unknown email, wrong password, inactive user
    or tenant, expired, revoked or reused token): telling them apart would tell an attacker
    which emails exist and which stolen tokens are still worth trying.
    """

    def __init__(self) -> None:
        super().__init__("not authenticated: log in again")
