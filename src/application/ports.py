"""Cross-cutting ports: what every use case may need from the world, whatever its context.

A use case never reads the system clock, makes up an id, talks to a broker or signs a token
itself. It asks a port, so tests pass a fake with the same shape and production passes an
adapter; which one is decided once, in `entrypoints.composition`. Ports are structural
(`typing.Protocol`): an adapter satisfies one by having the methods, not by inheriting.

The values that cross these ports (`Job`, `StoredObject`, `EmailMessage`, `TokenClaims`...) are
frozen so that what a use case handed over cannot change under it afterwards.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Protocol

from attrs import frozen

from domain.errors import ConflictError

__all__ = [
    "AlreadyExists",
    "ApplicationError",
    "Clock",
    "DeliveryFailed",
    "EmailMessage",
    "EmailSender",
    "IdGenerator",
    "InvalidToken",
    "Job",
    "JobQueue",
    "ObjectCorrupted",
    "ObjectNotFound",
    "ObjectStore",
    "PasswordHasher",
    "RecordNotFound",
    "StoredObject",
    "TokenClaims",
    "TokenIssuer",
    "WebhookRequest",
    "WebhookSender",
]


class ApplicationError(Exception):
    """Base of errors a port raises that are not business rules (those are `DomainError`s).

    Kept apart from `DomainError` so a handler can tell "the caller broke a rule" from "the
    thing asked for is not there or not genuine" and answer each correctly.
    """


class ObjectNotFound(ApplicationError):
    """No object is stored under the key asked for."""


class InvalidToken(ApplicationError):
    """A token that is malformed, not signed by this issuer, tampered with or expired.

    One error for all of these on purpose: telling a caller *why* a token failed helps an
    attacker more than it helps a legitimate client, who just logs in again.
    """


class RecordNotFound(ApplicationError):
    """An update or activation named a record the tenant does not have."""


class AlreadyExists(ConflictError):
    """An add would duplicate a record that must be unique (an id, a version, an external id).

    A `ConflictError`, because it is how a retried request learns that its first attempt
    already went through.
    """


class Clock(Protocol):
    """The current time; passed in so that tests and replays control it."""

    def now(self) -> datetime:
        """The current instant, always timezone-aware (naive datetimes are a bug here)."""
        ...


class IdGenerator(Protocol):
    """New identifiers; passed in so that tests get predictable ids and the domain stays pure."""

    def new_id(self) -> str:
        """A fresh id, never returned before by this generator (nor, in production, anywhere)."""
        ...


@frozen
class Job:
    """A unit of background work: which job, with which arguments.

    The payload carries ids and small scalars only, never whole records: a worker looks the
    record up again, so it always acts on the current state. `idempotency_key` lets the
    queue drop a job enqueued twice (a retried request, a replayed outbox message).
    """

    name: str
    payload: Mapping[str, str | int]
    idempotency_key: str


class JobQueue(Protocol):
    """Hands jobs to background workers (Dramatiq in production).

    Use cases do not call this directly: they write an outbox message in their transaction and
    the outbox relay enqueues it, so a crash between commit and enqueue never loses a job.
    """

    def enqueue(self, job: Job) -> None:
        """Queue `job`; a job whose idempotency key was already queued is silently dropped."""
        ...


@frozen
class StoredObject:
    """What was stored: enough to find it again and to check it was not corrupted."""

    key: str
    size: int
    sha256: str
    content_type: str


class ObjectStore(Protocol):
    """Blobs by key: uploaded CSV batches, model artifacts, exported reports.

    Keys are '/'-separated paths such as "tenant-a/batches/2026-11-22.csv"; putting a key
    again replaces its object.
    """

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        """Store `data` under `key` and report its size and SHA-256 (lowercase hex)."""
        ...

    def get(self, key: str) -> bytes:
        """The bytes stored under `key`; raises `ObjectNotFound` when there are none."""
        ...

    def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""
        ...

    def delete(self, key: str) -> None:
        """Remove the object under `key`; deleting a missing key is not an error (retries)."""
        ...

    def keys(self, prefix: str) -> list[str]:
        """Every stored key that starts with `prefix`, sorted; "" lists them all."""
        ...


class DeliveryFailed(ApplicationError):
    """A sender could not hand a message over (refused, timed out, answered with an error).

    Its message says why in words an operator can act on, and holds no secret and no personal
    data (no address, no URL, no response body): it is kept on the delivery and in dead jobs.
    """


@frozen
class EmailMessage:
    """One email to one address; `reference` (the delivery id) travels in a header, so a
    copy can be traced back to its delivery."""

    to: str
    subject: str
    text: str
    html: str | None
    reference: str


class EmailSender(Protocol):
    """Hands emails to a mail server (SMTP in production)."""

    def send(self, message: EmailMessage) -> None:
        """Send `message`, or raise `DeliveryFailed`."""
        ...


@frozen
class WebhookRequest:
    """An HTTP POST, signed already: the sender needs no secret (`domain.webhooks`)."""

    url: str
    body: bytes
    headers: Mapping[str, str]


class WebhookSender(Protocol):
    """Posts webhook calls to the endpoints tenants registered."""

    def post(self, request: WebhookRequest) -> None:
        """Post `request`; raise `DeliveryFailed` unless the endpoint answers 2xx in time."""
        ...


class PasswordHasher(Protocol):
    """One-way password hashing (Argon2 in production); the plain password is never stored."""

    def hash(self, password: str) -> str:
        """A self-describing hash of `password` (scheme and parameters included)."""
        ...

    def verify(self, hashed: str, password: str) -> bool:
        """Whether `password` matches `hashed`; False, never an error, for a foreign hash."""
        ...

    def needs_rehash(self, hashed: str) -> bool:
        """Whether `hashed` uses an older scheme or weaker parameters than this hasher's.

        Checked after a successful login, the one moment the plain password is at hand to
        upgrade the stored hash.
        """
        ...


@frozen
class TokenClaims:
    """What a bearer token asserts: who, in which tenant, may do what, until when.

    `permissions` are strings rather than `domain.identity.Permission` so that a token from
    an older release, naming a permission since retired, still verifies; the caller decides
    which ones it recognises. Times are timezone-aware; issuers may keep them to the second.
    """

    subject: str
    tenant_id: str
    permissions: frozenset[str]
    issued_at: datetime
    expires_at: datetime
    token_id: str


class TokenIssuer(Protocol):
    """Issues and checks signed bearer tokens for the API and the web session."""

    def issue(self, claims: TokenClaims) -> str:
        """A signed token carrying `claims`."""
        ...

    def verify(self, token: str, now: datetime) -> TokenClaims:
        """The claims of a genuine token that has not expired at `now` (`now < expires_at`).

        Raises `InvalidToken` for anything else: malformed, signed with another key,
        altered in any byte, or expired. `now` is passed in, not read, so expiry is testable.
        """
        ...


class ObjectCorrupted(ApplicationError):
    """The bytes under a key no longer match the SHA-256 recorded when they were put.

    An `ObjectStore` raises this on read instead of returning them: a model artifact or a CSV
    batch that changed on disk without anyone putting it is worse than one that is missing.
    """

    def __init__(self, key: str, detail: str) -> None:
        self.key = key
        super().__init__(f"object {key!r} is corrupted: {detail}")
