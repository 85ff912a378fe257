"""In-memory fakes of every port, for unit tests of use cases (fakes, not mocks: DESIGN.md).

Each fake behaves like the real adapter as far as a use case can tell, and passes the same
contract tests (tests/contracts), so a test that passes against a fake means something. The
few extras (`FixedClock.advance`, `FakeJobQueue.jobs`, `InMemoryUnitOfWork.committed`) let a
test see what happened; they are not part of any port.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import math
from collections.abc import Hashable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from types import MappingProxyType, TracebackType
from typing import Any, Generic, Self, TypeVar

from application.credit.ports import Explainer, OutboxMessage, Scorer, UnitOfWork
from application.ports import (
    AlreadyExists,
    Clock,
    IdGenerator,
    InvalidToken,
    Job,
    JobQueue,
    Notification,
    Notifier,
    ObjectNotFound,
    ObjectStore,
    PasswordHasher,
    RecordNotFound,
    StoredObject,
    TokenClaims,
    TokenIssuer,
)
from domain.audit import GENESIS_HASH, AuditEvent, ChainMismatch
from domain.credit.application import Application
from domain.credit.decisions import Decision, DecisionStatus
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.queue import QueueEntry
from domain.credit.routing import RoutingPolicy
from domain.credit.scorecard import MissingFeature
from domain.credit.scoring import ModelScore, ScoringResult

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FixedClock:
    """A clock that moves only when told to, so a test can step past a deadline or an expiry."""

    def __init__(self, now: datetime = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)) -> None:
        self.set(now)

    def set(self, now: datetime) -> None:
        if now.utcoffset() is None:
            raise ValueError("a clock tells timezone-aware time")
        self._now = now

    def advance(self, by: timedelta) -> None:
        self._now += by

    def now(self) -> datetime:
        return self._now


class SequentialIds:
    """Ids a test can predict: prefix + 1, 2, 3..."""

    def __init__(self, prefix: str = "id-") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def new_id(self) -> str:
        return f"{self._prefix}{next(self._counter)}"


class FakeJobQueue:
    """Records jobs instead of running them; drops a repeated idempotency key, as the broker."""

    def __init__(self) -> None:
        self.jobs: list[Job] = []
        self._keys: set[str] = set()

    def enqueue(self, job: Job) -> None:
        if job.idempotency_key not in self._keys:
            self._keys.add(job.idempotency_key)
            self.jobs.append(job)


class InMemoryObjectStore:
    """Objects in a dict; stores a copy, so a caller reusing its buffer changes nothing."""

    def __init__(self) -> None:
        self._objects: dict[str, bytes] = {}

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        self._objects[key] = bytes(data)
        return StoredObject(key, len(data), hashlib.sha256(data).hexdigest(), content_type)

    def get(self, key: str) -> bytes:
        try:
            return self._objects[key]
        except KeyError:
            raise ObjectNotFound(f"no object under {key!r}") from None

    def exists(self, key: str) -> bool:
        return key in self._objects

    def delete(self, key: str) -> None:
        self._objects.pop(key, None)

    def keys(self, prefix: str) -> list[str]:
        return sorted(key for key in self._objects if key.startswith(prefix))


class FakeNotifier:
    """Records what would have been sent."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)


_FAKE_SCHEME = "fake$"


class FakePasswordHasher:
    """Fast and deterministic, yet never the plain password, so a test can't pass by accident
    comparing a stored hash with the password."""

    def hash(self, password: str) -> str:
        digest = hashlib.sha256(password.encode("utf-8", "surrogatepass")).hexdigest()
        return _FAKE_SCHEME + digest

    def verify(self, hashed: str, password: str) -> bool:
        expected = self.hash(password).encode()
        return hmac.compare_digest(hashed.encode("utf-8", "surrogatepass"), expected)

    def needs_rehash(self, hashed: str) -> bool:
        return not hashed.startswith(_FAKE_SCHEME)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class FakeTokenIssuer:
    """HMAC-SHA256 over canonical JSON: a JWT's guarantees without the library."""

    def __init__(self, secret: bytes = b"fake-token-secret") -> None:
        self._secret = secret

    def _sign(self, payload: str) -> str:
        return _b64(hmac.new(self._secret, payload.encode(), hashlib.sha256).digest())

    def issue(self, claims: TokenClaims) -> str:
        if claims.issued_at.utcoffset() is None or claims.expires_at.utcoffset() is None:
            raise ValueError("token times must be timezone-aware")
        body = {
            "sub": claims.subject,
            "tid": claims.tenant_id,
            "perms": sorted(claims.permissions),
            "iat": claims.issued_at.isoformat(),
            "exp": claims.expires_at.isoformat(),
            "jti": claims.token_id,
        }
        payload = _b64(json.dumps(body, sort_keys=True, separators=(",", ":")).encode())
        return f"{payload}.{self._sign(payload)}"

    def verify(self, token: str, now: datetime) -> TokenClaims:
        payload, _, signature = token.partition(".")
        expected = self._sign(payload).encode()
        if not hmac.compare_digest(signature.encode("utf-8", "surrogatepass"), expected):
            raise InvalidToken("the token is not genuine")
        try:
            body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            claims = TokenClaims(
                subject=str(body["sub"]),
                tenant_id=str(body["tid"]),
                permissions=frozenset(str(p) for p in body["perms"]),
                issued_at=datetime.fromisoformat(body["iat"]),
                expires_at=datetime.fromisoformat(body["exp"]),
                token_id=str(body["jti"]),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise InvalidToken("the token is malformed") from error
        if now >= claims.expires_at:
            raise InvalidToken("the token has expired")
        return claims


DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "debt_to_income": 2.5,
        "payment_to_income": 3.0,
        "savings_ratio": -0.8,
        "employment_stability": -0.15,
    }
)
DEFAULT_BASE_VALUE = -3.2


def _logistic(log_odds: float) -> float:
    """1 / (1 + e^-x), computed without overflow at either extreme."""
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    tail = math.exp(log_odds)
    return tail / (1.0 + tail)


class FakeExplainer:
    """Exact contributions of a linear model in log-odds: weight times value, per feature."""

    def __init__(
        self, weights: Mapping[str, float] = DEFAULT_WEIGHTS, base_value: float = DEFAULT_BASE_VALUE
    ) -> None:
        self.weights = dict(weights)
        self.base_value = base_value

    def explain(self, features: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
        missing = sorted(name for name in self.weights if name not in features)
        if missing:
            raise MissingFeature(f"the model needs {', '.join(missing)}")
        return tuple((name, weight * features[name]) for name, weight in self.weights.items())


class FakeScorer:
    """A logistic model over a few features: deterministic, explainable to the last digit."""

    def __init__(
        self,
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
        base_value: float = DEFAULT_BASE_VALUE,
        model_version: str = "fake-logistic-1",
    ) -> None:
        self.explainer = FakeExplainer(weights, base_value)
        self._model_version = model_version

    @property
    def model_version(self) -> str:
        return self._model_version

    def score(self, features: Mapping[str, float]) -> ModelScore:
        contributions = self.explainer.explain(features)
        base = self.explainer.base_value
        log_odds_default = base + math.fsum(value for _name, value in contributions)
        return ModelScore(
            model_version=self._model_version,
            probability_of_default=_logistic(log_odds_default),
            score=DEFAULT_SCALE.score_from_log_odds(-log_odds_default),
            contributions=contributions,
            base_value=base,
        )

    def score_batch(self, rows: Sequence[Mapping[str, float]]) -> list[ModelScore]:
        return [self.score(row) for row in rows]


class _Table(Generic[K, V]):
    """The committed rows of one table, in the order they were first written."""

    def __init__(self) -> None:
        self.rows: dict[K, V] = {}


class _Staged(Generic[K, V]):
    """One transaction's view of a table: its own writes laid over the committed rows.

    Other transactions see committed rows as they are committed (read committed, PostgreSQL's
    default); the fake does not detect conflicting concurrent writes, the integration tests do.
    """

    def __init__(self, table: _Table[K, V]) -> None:
        self._table = table
        self._writes: dict[K, V] = {}

    def get(self, key: K) -> V | None:
        return self._writes[key] if key in self._writes else self._table.rows.get(key)

    def put(self, key: K, value: V) -> None:
        self._writes[key] = value

    def insert(self, key: K, value: V, what: str) -> None:
        if self.get(key) is not None:
            raise AlreadyExists(f"{what} already exists")
        self.put(key, value)

    def replace(self, key: K, value: V, what: str) -> None:
        if self.get(key) is None:
            raise RecordNotFound(f"{what} does not exist")
        self.put(key, value)

    def items(self) -> list[tuple[K, V]]:
        return list({**self._table.rows, **self._writes}.items())

    def values(self) -> list[V]:
        return [value for _key, value in self.items()]

    def commit(self) -> None:
        self._table.rows.update(self._writes)
        self._writes.clear()

    def discard(self) -> None:
        self._writes.clear()


class InMemoryDatabase:
    """The committed state that every `InMemoryUnitOfWork` over it shares: the fake server."""

    def __init__(self) -> None:
        self.applications: _Table[tuple[str, str], Application] = _Table()
        self.scoring_results: _Table[int, ScoringResult] = _Table()
        self.queue: _Table[tuple[str, str], QueueEntry] = _Table()
        self.decisions: _Table[tuple[str, str], Decision] = _Table()
        self.policies: _Table[tuple[str, int], RoutingPolicy] = _Table()
        self.active_policies: _Table[str, int] = _Table()
        self.audit: _Table[tuple[str, int], AuditEvent] = _Table()
        self.outbox: _Table[str, OutboxMessage] = _Table()
        self.sent: _Table[str, bool] = _Table()
        self.row_ids: Iterator[int] = itertools.count(1)


class InMemoryApplicationRepository:
    def __init__(self, rows: _Staged[tuple[str, str], Application]) -> None:
        self._rows = rows

    def add(self, application: Application) -> None:
        external_id = application.form.external_id
        if self.get_by_external_id(application.tenant_id, external_id) is not None:
            raise AlreadyExists(f"an application with external id {external_id!r} exists")
        key = (application.tenant_id, application.id)
        self._rows.insert(key, application, f"application {application.id}")

    def get(self, tenant_id: str, application_id: str) -> Application | None:
        return self._rows.get((tenant_id, application_id))

    def update(self, application: Application) -> None:
        key = (application.tenant_id, application.id)
        self._rows.replace(key, application, f"application {application.id}")

    def get_by_external_id(self, tenant_id: str, external_id: str) -> Application | None:
        return next(
            (
                a
                for a in self._rows.values()
                if a.tenant_id == tenant_id and a.form.external_id == external_id
            ),
            None,
        )


class InMemoryScoringResultRepository:
    def __init__(self, rows: _Staged[int, ScoringResult], row_ids: Iterator[int]) -> None:
        self._rows = rows
        self._row_ids = row_ids

    def add(self, result: ScoringResult) -> None:
        self._rows.insert(next(self._row_ids), result, "scoring result")

    def latest(self, tenant_id: str, application_id: str) -> ScoringResult | None:
        mine = [
            (result.scored_at, row_id, result)
            for row_id, result in self._rows.items()
            if result.tenant_id == tenant_id and result.application_id == application_id
        ]
        return max(mine, key=lambda found: found[:2])[2] if mine else None


class InMemoryQueueRepository:
    def __init__(self, rows: _Staged[tuple[str, str], QueueEntry]) -> None:
        self._rows = rows

    def add(self, entry: QueueEntry) -> None:
        self._rows.insert((entry.tenant_id, entry.id), entry, f"queue entry {entry.id}")

    def get(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        return self._rows.get((tenant_id, entry_id))

    def update(self, entry: QueueEntry) -> None:
        self._rows.replace((entry.tenant_id, entry.id), entry, f"queue entry {entry.id}")

    def open_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        return next(
            (
                e
                for e in self._rows.values()
                if e.tenant_id == tenant_id and e.application_id == application_id and e.is_open
            ),
            None,
        )

    def active_count(self, tenant_id: str, analyst_id: str) -> int:
        return sum(
            1
            for e in self._rows.values()
            if e.tenant_id == tenant_id and e.analyst_id == analyst_id and e.is_active
        )


class InMemoryDecisionRepository:
    def __init__(self, rows: _Staged[tuple[str, str], Decision]) -> None:
        self._rows = rows

    def add(self, decision: Decision) -> None:
        self._rows.insert((decision.tenant_id, decision.id), decision, f"decision {decision.id}")

    def get(self, tenant_id: str, decision_id: str) -> Decision | None:
        return self._rows.get((tenant_id, decision_id))

    def update(self, decision: Decision) -> None:
        self._rows.replace((decision.tenant_id, decision.id), decision, f"decision {decision.id}")

    def for_application(self, tenant_id: str, application_id: str) -> list[Decision]:
        mine = (
            d
            for d in self._rows.values()
            if d.tenant_id == tenant_id and d.application_id == application_id
        )
        return sorted(mine, key=lambda d: d.decided_at)

    def awaiting_override(self, tenant_id: str) -> list[Decision]:
        waiting = (
            d
            for d in self._rows.values()
            if d.tenant_id == tenant_id and d.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
        )
        return sorted(waiting, key=lambda d: d.decided_at)


class InMemoryRoutingPolicyRepository:
    def __init__(
        self, versions: _Staged[tuple[str, int], RoutingPolicy], active: _Staged[str, int]
    ) -> None:
        self._versions = versions
        self._active = active

    def active(self, tenant_id: str) -> RoutingPolicy | None:
        version = self._active.get(tenant_id)
        return None if version is None else self._versions.get((tenant_id, version))

    def add(self, tenant_id: str, policy: RoutingPolicy) -> None:
        key = (tenant_id, policy.version)
        self._versions.insert(key, policy, f"routing policy version {policy.version}")

    def activate(self, tenant_id: str, version: int) -> None:
        if self._versions.get((tenant_id, version)) is None:
            raise RecordNotFound(f"routing policy version {version} does not exist")
        self._active.put(tenant_id, version)


class InMemoryAuditLog:
    def __init__(self, rows: _Staged[tuple[str, int], AuditEvent]) -> None:
        self._rows = rows

    def append(self, event: AuditEvent) -> None:
        head = self.head(event.tenant_id)
        follows = (1, GENESIS_HASH) if head is None else (head.sequence + 1, head.hash)
        if (event.sequence, event.previous_hash) != follows:
            raise ChainMismatch(
                f"event {event.sequence} does not follow the head of the chain of tenant "
                f"{event.tenant_id}"
            )
        self._rows.insert((event.tenant_id, event.sequence), event, f"event {event.sequence}")

    def head(self, tenant_id: str) -> AuditEvent | None:
        mine = self.events(tenant_id)
        return mine[-1] if mine else None

    def events(self, tenant_id: str) -> list[AuditEvent]:
        mine = (e for e in self._rows.values() if e.tenant_id == tenant_id)
        return sorted(mine, key=lambda e: e.sequence)


class InMemoryOutbox:
    def __init__(self, messages: _Staged[str, OutboxMessage], sent: _Staged[str, bool]) -> None:
        self._messages = messages
        self._sent = sent

    def add(self, message: OutboxMessage) -> None:
        self._messages.insert(message.id, message, f"outbox message {message.id}")

    def pending(self, limit: int) -> list[OutboxMessage]:
        unsent = (m for m in self._messages.values() if self._sent.get(m.id) is None)
        return sorted(unsent, key=lambda m: m.created_at)[: max(limit, 0)]

    def mark_sent(self, message_id: str) -> None:
        if self._messages.get(message_id) is None:
            raise RecordNotFound(f"outbox message {message_id} does not exist")
        self._sent.put(message_id, True)


class _Transaction:
    """The repositories of one open unit of work, over staged views of every table."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self._staged: list[_Staged[Any, Any]] = []
        self.applications = InMemoryApplicationRepository(self._stage(db.applications))
        self.scoring_results = InMemoryScoringResultRepository(
            self._stage(db.scoring_results), db.row_ids
        )
        self.queue = InMemoryQueueRepository(self._stage(db.queue))
        self.decisions = InMemoryDecisionRepository(self._stage(db.decisions))
        self.policies = InMemoryRoutingPolicyRepository(
            self._stage(db.policies), self._stage(db.active_policies)
        )
        self.audit = InMemoryAuditLog(self._stage(db.audit))
        self.outbox = InMemoryOutbox(self._stage(db.outbox), self._stage(db.sent))

    def _stage(self, table: _Table[K, V]) -> _Staged[K, V]:
        staged = _Staged(table)
        self._staged.append(staged)
        return staged

    def commit(self) -> None:
        for staged in self._staged:
            staged.commit()

    def discard(self) -> None:
        for staged in self._staged:
            staged.discard()


class InMemoryUnitOfWork:
    """A unit of work with real transactional semantics over an `InMemoryDatabase`.

    Writes are staged and reach the database only on `commit()`; leaving `with` otherwise
    discards them. `committed` gets one flag per `with` block (did it commit?), so a test can
    assert that a use case committed, or that a failing one did not.
    """

    def __init__(self, database: InMemoryDatabase | None = None) -> None:
        self.database = database or InMemoryDatabase()
        self.committed: list[bool] = []
        self._transaction: _Transaction | None = None
        self._did_commit = False

    def _open(self) -> _Transaction:
        if self._transaction is None:
            raise RuntimeError("use the repositories inside `with uow:`")
        return self._transaction

    @property
    def applications(self) -> InMemoryApplicationRepository:
        return self._open().applications

    @property
    def scoring_results(self) -> InMemoryScoringResultRepository:
        return self._open().scoring_results

    @property
    def queue(self) -> InMemoryQueueRepository:
        return self._open().queue

    @property
    def decisions(self) -> InMemoryDecisionRepository:
        return self._open().decisions

    @property
    def policies(self) -> InMemoryRoutingPolicyRepository:
        return self._open().policies

    @property
    def audit(self) -> InMemoryAuditLog:
        return self._open().audit

    @property
    def outbox(self) -> InMemoryOutbox:
        return self._open().outbox

    def __enter__(self) -> Self:
        if self._transaction is not None:
            raise RuntimeError("this unit of work is already open")
        self._transaction = _Transaction(self.database)
        self._did_commit = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._open().discard()
        self._transaction = None
        self.committed.append(self._did_commit)

    def commit(self) -> None:
        self._open().commit()
        self._did_commit = True

    def rollback(self) -> None:
        self._open().discard()


# Conformance: mypy checks each fake against its port here (the repositories through the
# unit of work's property types).
_clock: Clock = FixedClock()
_ids: IdGenerator = SequentialIds()
_jobs: JobQueue = FakeJobQueue()
_store: ObjectStore = InMemoryObjectStore()
_notifier: Notifier = FakeNotifier()
_hasher: PasswordHasher = FakePasswordHasher()
_tokens: TokenIssuer = FakeTokenIssuer()
_scorer: Scorer = FakeScorer()
_explainer: Explainer = FakeExplainer()
_uow: UnitOfWork = InMemoryUnitOfWork()
