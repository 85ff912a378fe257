"""In-memory fakes of every port, for unit tests of use cases (fakes, not mocks: DESIGN.md).

Each fake behaves like the real adapter as far as a use case can tell, and passes the same
contract tests (tests/contracts), so a test that passes against a fake means something. The
few extras (`FixedClock.advance`, `FakeJobQueue.jobs`, `InMemoryUnitOfWork.committed`) let a
test see what happened; they are not part of any port.
"""

from __future__ import annotations

import base64
import bisect
import functools
import hashlib
import hmac
import itertools
import json
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Generic, TypeVar

from attrs import evolve, frozen

from application.credit.ports import (
    DeadJob,
    Explainer,
    IdempotencyRecord,
    ModelTrainer,
    OutboxMessage,
    ScheduleClaims,
    Scorer,
    TrainedArtifact,
    UnitOfWork,
)
from application.credit.queries import (
    ApplicationQuery,
    ApplicationSort,
    AuditQuery,
    Cursor,
    ListedApplication,
    Page,
    PriorityBandBounds,
    QueueCounts,
    QueueQuery,
    QueueSort,
    SimilarCase,
    SortOrder,
    capped_total,
)
from application.errors import ModelUnavailable
from application.ports import (
    AlreadyExists,
    Clock,
    DeliveryFailed,
    EmailMessage,
    EmailSender,
    IdGenerator,
    InvalidToken,
    Job,
    JobQueue,
    ObjectNotFound,
    ObjectStore,
    PasswordHasher,
    RecordNotFound,
    StoredObject,
    TokenClaims,
    TokenIssuer,
    WebhookRequest,
    WebhookSender,
)
from domain.audit import GENESIS_HASH, AuditEvent, ChainAnchor, ChainMismatch
from domain.auth import ApiKey, RefreshToken
from domain.credit.application import Application, ApplicationForm
from domain.credit.batches import Batch, BatchChunk, RowError
from domain.credit.case_flags import CaseFlag, HelpRequest
from domain.credit.decisions import Decision, DecisionStatus
from domain.credit.defaults import DEFAULT_SCALE
from domain.credit.exports import Export
from domain.credit.factors import FeatureReading
from domain.credit.features import Features, derive_features
from domain.credit.history import LoanOutcome
from domain.credit.model_monitoring import FeatureProfile, MonitoringReport
from domain.credit.model_registry import ModelStage, ModelVersion
from domain.credit.policy_versions import PolicyVersion
from domain.credit.queue import QueueEntry, QueueStatus
from domain.credit.routing import RoutingPolicy
from domain.credit.scorecard import MissingFeature
from domain.credit.scoring import ModelScore, ScoringResult, ShadowScore
from domain.credit.second_opinion_record import SecondOpinionRecord
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from domain.notifications import Delivery, DeliveryStatus, InboxMessage, mark_read
from domain.tenancy import Tenant, User
from domain.webhooks import WebhookEndpoint
from tests.auth_fakes import (
    InMemoryApiKeyRepository,
    InMemoryRefreshTokenRepository,
    InMemoryTokenDenylist,
)
from tests.case_flag_fakes import InMemoryCaseFlagRepository
from tests.export_fakes import InMemoryExportRepository
from tests.fake_analytics import InMemoryAnalyticsQueries
from tests.fake_scope import FakeTransactionScope
from tests.second_opinion_fakes import InMemorySecondOpinionRepository

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


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


#: The fake's probabilities stay inside [floor, 1 - floor], as the real calibrator's do.
FAKE_PD_FLOOR = 1e-6


def _logistic(log_odds: float) -> float:
    """1 / (1 + e^-x), computed without overflow at either extreme."""
    if log_odds >= 0:
        return 1.0 / (1.0 + math.exp(-log_odds))
    tail = math.exp(log_odds)
    return tail / (1.0 + tail)


def _attribute_number(form: ApplicationForm, name: str) -> float | None:
    """The form's attribute `name` if it reads as a finite number, else None."""
    try:
        value = float(form.attributes[name])
    except (KeyError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _input_value(
    form: ApplicationForm, name: str, features: Mapping[str, float] | None = None
) -> float | None:
    """A domain feature of the form by that name, else its numeric attribute, else None."""
    features = derive_features(form).as_mapping() if features is None else features
    return features[name] if name in features else _attribute_number(form, name)


class FakeExplainer:
    """Exact contributions of a linear model in log-odds: weight times value, per input.

    An input is one of the domain's features of the form (`derive_features`) or, for any other
    name, a numeric attribute of the form (a purchase price, say); one it lacks is an error.
    """

    def __init__(
        self, weights: Mapping[str, float] = DEFAULT_WEIGHTS, base_value: float = DEFAULT_BASE_VALUE
    ) -> None:
        self.weights = dict(weights)
        self.base_value = base_value

    def explain(self, form: ApplicationForm) -> tuple[tuple[str, float], ...]:
        features = derive_features(form).as_mapping()
        contributions: list[tuple[str, float]] = []
        missing: list[str] = []
        for name, weight in self.weights.items():
            value = _input_value(form, name, features)
            if value is None:
                missing.append(name)
            else:
                contributions.append((name, weight * value))
        if missing:
            raise MissingFeature(f"the model needs {', '.join(sorted(missing))}")
        return tuple(contributions)


class FakeScorer:
    """A logistic model over a few inputs: deterministic, explainable to the last digit.

    Its calibration is the logistic function (kept off 0 and 1 by `FAKE_PD_FLOOR`), so the
    probability of default is the logistic of base value plus contributions.
    """

    def __init__(
        self,
        weights: Mapping[str, float] = DEFAULT_WEIGHTS,
        base_value: float = DEFAULT_BASE_VALUE,
        model_version: str = "fake-logistic-1",
        profiles: Sequence[FeatureProfile] = (),
    ) -> None:
        self.explainer = FakeExplainer(weights, base_value)
        self._model_version = model_version
        self._profiles = tuple(profiles)

    @property
    def model_version(self) -> str:
        return self._model_version

    def score(self, form: ApplicationForm) -> ModelScore:
        contributions = self.explainer.explain(form)
        base = self.explainer.base_value
        log_odds_default = base + math.fsum(value for _name, value in contributions)
        pd = min(max(_logistic(log_odds_default), FAKE_PD_FLOOR), 1.0 - FAKE_PD_FLOOR)
        return ModelScore(
            model_version=self._model_version,
            probability_of_default=pd,
            score=DEFAULT_SCALE.score_from_pd(pd),
            contributions=contributions,
            base_value=base,
        )

    def score_batch(self, forms: Sequence[ApplicationForm]) -> list[ModelScore]:
        return [self.score(form) for form in forms]

    # --- what a served model says about itself (`ServingModel`) ----------------------------

    @property
    def feature_names(self) -> tuple[str, ...]:
        return tuple(self.explainer.weights)

    def feature_importance(self) -> dict[str, float]:
        """Each input's share of the total absolute weight."""
        total = math.fsum(abs(w) for w in self.explainer.weights.values())
        return {n: abs(w) / total if total else 0.0 for n, w in self.explainer.weights.items()}

    def readings(self, form: ApplicationForm) -> dict[str, FeatureReading]:
        by_name = {p.feature: p for p in self._profiles}
        readings: dict[str, FeatureReading] = {}
        for name in self.explainer.weights:
            value = _input_value(form, name)
            profile = by_name.get(name)
            percentile = None if value is None or profile is None else profile.percentile(value)
            readings[name] = FeatureReading(value, percentile=percentile)
        return readings

    def profiles(self) -> tuple[FeatureProfile, ...]:
        return self._profiles

    def columns(self, forms: Sequence[ApplicationForm]) -> dict[str, list[float]]:
        def read(form: ApplicationForm, name: str) -> float:
            value = _input_value(form, name)
            return math.nan if value is None else value

        return {name: [read(form, name) for form in forms] for name in self.explainer.weights}


class FakeModelLoader:
    """Serves fake models by version name, counting loads; a version it lacks is unavailable."""

    def __init__(self, *models: FakeScorer) -> None:
        self.models = {model.model_version: model for model in models}
        self.loads: Counter[str] = Counter()

    def add(self, model: FakeScorer) -> None:
        self.models[model.model_version] = model

    def load(self, version: ModelVersion) -> FakeScorer:
        self.loads[version.version] += 1
        model = self.models.get(version.version)
        if model is None:
            raise ModelUnavailable(version.version, "no such artifact in the fake store")
        return model


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
        self._deleted: set[K] = set()

    def get(self, key: K) -> V | None:
        if key in self._deleted:
            return None
        return self._writes[key] if key in self._writes else self._table.rows.get(key)

    def put(self, key: K, value: V) -> None:
        self._deleted.discard(key)
        self._writes[key] = value

    def delete(self, key: K) -> None:
        """Remove the row under `key` (if any) when the transaction commits."""
        self._writes.pop(key, None)
        self._deleted.add(key)

    def insert(self, key: K, value: V, what: str) -> None:
        if self.get(key) is not None:
            raise AlreadyExists(f"{what} already exists")
        self.put(key, value)

    def replace(self, key: K, value: V, what: str) -> None:
        if self.get(key) is None:
            raise RecordNotFound(f"{what} does not exist")
        self.put(key, value)

    def ensure_unique(self, key: K, clashes: Callable[[V], bool], what: str) -> None:
        """What a unique index does: refuse a row under `key` that clashes with another row."""
        if any(clashes(value) for other, value in self.items() if other != key):
            raise AlreadyExists(f"{what} already exists")

    def items(self) -> list[tuple[K, V]]:
        merged = {**self._table.rows, **self._writes}
        return [(key, value) for key, value in merged.items() if key not in self._deleted]

    def values(self) -> list[V]:
        return [value for _key, value in self.items()]

    def where(self, predicate: Callable[[V], bool]) -> list[V]:
        return [value for value in self.values() if predicate(value)]

    def first(self, predicate: Callable[[V], bool]) -> V | None:
        return next((value for value in self.values() if predicate(value)), None)

    def commit(self) -> None:
        self._table.rows.update(self._writes)
        for key in self._deleted:
            self._table.rows.pop(key, None)
        self._writes.clear()
        self._deleted.clear()

    def discard(self) -> None:
        self._writes.clear()
        self._deleted.clear()

    @contextmanager
    def all_or_none(self) -> Iterator[None]:
        """Writes inside the block stay only if it finishes: a bulk write stores all or none."""
        before, deleted = dict(self._writes), set(self._deleted)
        try:
            yield
        except BaseException:
            self._writes.clear()
            self._writes.update(before)
            self._deleted.clear()
            self._deleted.update(deleted)
            raise


# Paging, as `application.credit.queries` describes it, shared by every list screen.


@functools.total_ordering
class _Backwards:
    """A value that sorts in reverse, so that one ascending sort serves both orders."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Backwards) and bool(self.value == other.value)

    def __lt__(self, other: _Backwards) -> bool:
        return bool(other.value < self.value)

    def __hash__(self) -> int:
        return hash(self.value)


@frozen
class _SortColumn(Generic[T]):
    """What a row sorts by (None: no value, sorted last either way) and how that value travels
    in a `Cursor` (JSON-safe: a string or a number)."""

    value: Callable[[T], Any]
    to_cursor: Callable[[Any], str | float]
    from_cursor: Callable[[str | float], Any]


def _time_column(value: Callable[[T], datetime]) -> _SortColumn[T]:
    return _SortColumn(value, datetime.isoformat, lambda text: datetime.fromisoformat(str(text)))


def _decimal_column(value: Callable[[T], Decimal]) -> _SortColumn[T]:
    return _SortColumn(value, str, lambda text: Decimal(str(text)))


def _number_column(value: Callable[[T], float | None]) -> _SortColumn[T]:
    return _SortColumn(value, float, float)


def _position(value: Any, row_id: str, order: SortOrder) -> tuple[bool, Any, Any]:
    """Where a row sorts: rows with a value by value then id, in `order`; then the rest by id."""
    if order is SortOrder.DESC:
        return (value is None, None if value is None else _Backwards(value), _Backwards(row_id))
    return (value is None, value, row_id)


def _paginate(
    rows: Iterable[T],
    column: _SortColumn[T],
    id_of: Callable[[T], str],
    *,
    order: SortOrder,
    page: int,
    page_size: int,
    cursor: Cursor | None,
    count_limit: int,
) -> Page[T]:
    """One page of `rows`: by number, or after `cursor` when given; `next_cursor` names the
    page's last row whenever more rows follow it."""

    def position(row: T) -> tuple[bool, Any, Any]:
        return _position(column.value(row), id_of(row), order)

    ordered = sorted(rows, key=position)
    if cursor is None:
        start = max(page - 1, 0) * page_size
    else:
        value = None if cursor.value is None else column.from_cursor(cursor.value)
        start = bisect.bisect_right(ordered, _position(value, cursor.id, order), key=position)
    items = ordered[start : start + page_size]
    next_cursor = None
    if items and start + page_size < len(ordered):
        last_value = column.value(items[-1])
        next_cursor = Cursor(
            None if last_value is None else column.to_cursor(last_value), id_of(items[-1])
        )
    total, exact = capped_total(len(ordered), count_limit)
    return Page(tuple(items), total=total, next_cursor=next_cursor, total_exact=exact)


def _numbered_page(rows: Sequence[T], page: int, page_size: int, count_limit: int) -> Page[T]:
    start = max(page - 1, 0) * page_size
    total, exact = capped_total(len(rows), count_limit)
    return Page(tuple(rows[start : start + page_size]), total=total, total_exact=exact)


def _recency(row: tuple[int, ScoringResult]) -> tuple[datetime, int]:
    """Later `scored_at` is newer; among equals, the last added (the higher row id)."""
    row_id, result = row
    return (result.scored_at, row_id)


def _newest(found: Iterable[tuple[int, ScoringResult]]) -> ScoringResult | None:
    newest = max(found, key=_recency, default=None)
    return None if newest is None else newest[1]


def _latest_results(rows: _Staged[int, ScoringResult], tenant_id: str) -> dict[str, ScoringResult]:
    """Each of the tenant's scored applications -> its newest result."""
    by_application: dict[str, list[tuple[int, ScoringResult]]] = defaultdict(list)
    for row_id, result in rows.items():
        if result.tenant_id == tenant_id:
            by_application[result.application_id].append((row_id, result))
    return {app: max(found, key=_recency)[1] for app, found in by_application.items()}


class InMemoryDatabase:
    """The committed state that every `InMemoryUnitOfWork` over it shares: the fake server."""

    def __init__(self) -> None:
        self.applications: _Table[tuple[str, str], Application] = _Table()
        self.scoring_results: _Table[int, ScoringResult] = _Table()
        self.shadow_scores: _Table[tuple[str, str, str], ShadowScore] = _Table()
        self.monitoring: _Table[tuple[str, str], MonitoringReport] = _Table()
        self.queue: _Table[tuple[str, str], QueueEntry] = _Table()
        self.decisions: _Table[tuple[str, str], Decision] = _Table()
        self.policies: _Table[tuple[str, int], PolicyVersion] = _Table()
        self.active_policies: _Table[str, int] = _Table()
        self.audit: _Table[tuple[str, int], AuditEvent] = _Table()
        self.outbox: _Table[str, OutboxMessage] = _Table()
        self.sent: _Table[str, bool] = _Table()
        self.idempotency: _Table[tuple[str, str], IdempotencyRecord] = _Table()
        self.dead_jobs: _Table[str, DeadJob] = _Table()
        self.outcomes: _Table[tuple[str, str], LoanOutcome] = _Table()
        self.models: _Table[tuple[str, str], ModelVersion] = _Table()
        self.tenants: _Table[str, Tenant] = _Table()
        self.users: _Table[tuple[str, str], User] = _Table()
        self.inbox: _Table[tuple[str, str], InboxMessage] = _Table()
        self.deliveries: _Table[tuple[str, str], Delivery] = _Table()
        self.webhooks: _Table[tuple[str, str], WebhookEndpoint] = _Table()
        self.batches: _Table[tuple[str, str], Batch] = _Table()
        self.batch_chunks: _Table[tuple[str, str, int], BatchChunk] = _Table()
        self.batch_rows: _Table[tuple[str, str, int], str] = _Table()
        self.batch_errors: _Table[tuple[str, str, int, int], RowError] = _Table()
        self.refresh_tokens: _Table[str, RefreshToken] = _Table()
        self.denylist: _Table[str, datetime] = _Table()
        self.api_keys: _Table[str, ApiKey] = _Table()
        self.exports: _Table[tuple[str, str], Export] = _Table()
        self.case_flags: _Table[tuple[str, str], CaseFlag] = _Table()
        self.help_requests: _Table[tuple[str, str], HelpRequest] = _Table()
        self.second_opinions: _Table[tuple[str, str], SecondOpinionRecord] = _Table()
        self.row_ids: Iterator[int] = itertools.count(1)


_APPLICATION_SORTS: Mapping[ApplicationSort, _SortColumn[ListedApplication]] = {
    ApplicationSort.CREATED_AT: _time_column(lambda listed: listed.application.submitted_at),
    ApplicationSort.AMOUNT: _decimal_column(
        lambda listed: listed.application.form.loan.amount.amount
    ),
    ApplicationSort.SCORE: _number_column(lambda listed: listed.score),
}


def _matches(application: Application, query: ApplicationQuery) -> bool:
    personal = application.form.applicant.personal
    prefix = query.search.lower()
    names = (application.form.external_id, personal.first_name, personal.last_name)
    return (
        (not query.statuses or application.status in query.statuses)
        and (query.created_from is None or application.submitted_at >= query.created_from)
        and (query.created_to is None or application.submitted_at < query.created_to)
        and any(name.lower().startswith(prefix) for name in names)
    )


class InMemoryApplicationRepository:
    def __init__(
        self, rows: _Staged[tuple[str, str], Application], results: _Staged[int, ScoringResult]
    ) -> None:
        self._rows = rows
        self._results = results

    def add(self, application: Application) -> None:
        key = (application.tenant_id, application.id)
        self._ensure_external_id_unique(key, application)
        self._rows.insert(key, application, f"application {application.id}")

    def add_many(self, applications: Sequence[Application]) -> None:
        taken = {(a.tenant_id, a.form.external_id) for a in self._rows.values()}
        with self._rows.all_or_none():
            for application in applications:
                external = (application.tenant_id, application.form.external_id)
                if external in taken:
                    raise AlreadyExists(f"an application with external id {external[1]!r} exists")
                taken.add(external)
                key = (application.tenant_id, application.id)
                self._rows.insert(key, application, f"application {application.id}")

    def get(self, tenant_id: str, application_id: str) -> Application | None:
        return self._rows.get((tenant_id, application_id))

    def get_many(self, tenant_id: str, application_ids: Collection[str]) -> dict[str, Application]:
        found = (self.get(tenant_id, application_id) for application_id in application_ids)
        return {application.id: application for application in found if application is not None}

    def update(self, application: Application) -> None:
        key = (application.tenant_id, application.id)
        self._ensure_external_id_unique(key, application)
        self._rows.replace(key, application, f"application {application.id}")

    def update_many(self, applications: Sequence[Application]) -> None:
        with self._rows.all_or_none():
            for application in applications:
                self.update(application)

    def search(self, tenant_id: str, query: ApplicationQuery) -> Page[ListedApplication]:
        latest = _latest_results(self._results, tenant_id)
        listed = [
            ListedApplication(a, latest[a.id].model.score if a.id in latest else None)
            for a in self._rows.where(lambda a: a.tenant_id == tenant_id and _matches(a, query))
            if not query.scored_only or a.id in latest
        ]
        return _paginate(
            listed,
            _APPLICATION_SORTS[query.sort],
            lambda item: item.application.id,
            order=query.order,
            page=query.page,
            page_size=query.page_size,
            cursor=query.cursor,
            count_limit=query.count_limit,
        )

    def get_by_external_id(self, tenant_id: str, external_id: str) -> Application | None:
        return self._rows.first(
            lambda a: a.tenant_id == tenant_id and a.form.external_id == external_id
        )

    def ids_by_external_id(self, tenant_id: str, external_ids: Collection[str]) -> dict[str, str]:
        wanted = set(external_ids)
        return {
            a.form.external_id: a.id
            for a in self._rows.values()
            if a.tenant_id == tenant_id and a.form.external_id in wanted
        }

    def _ensure_external_id_unique(self, key: tuple[str, str], application: Application) -> None:
        external_id = application.form.external_id
        self._rows.ensure_unique(
            key,
            lambda a: a.tenant_id == application.tenant_id and a.form.external_id == external_id,
            f"an application with external id {external_id!r}",
        )


_DECIDED = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.DECLINED})


def _similarity_point(features: Features) -> tuple[float, ...]:
    """The coordinates `ScoringResultRepository.similar` measures distance in."""
    return (
        features.debt_to_income,
        features.payment_to_income,
        features.loan_to_income,
        features.savings_ratio,
        features.existing_debt_ratio,
        features.employment_stability / 10,
    )


class InMemoryScoringResultRepository:
    def __init__(
        self,
        rows: _Staged[int, ScoringResult],
        row_ids: Iterator[int],
        applications: _Staged[tuple[str, str], Application],
    ) -> None:
        self._rows = rows
        self._row_ids = row_ids
        self._applications = applications

    def add(self, result: ScoringResult) -> None:
        self._rows.insert(next(self._row_ids), result, "scoring result")

    def add_many(self, results: Sequence[ScoringResult]) -> None:
        for result in results:  # nothing can refuse one
            self.add(result)

    def for_model_many(
        self, tenant_id: str, application_ids: Collection[str], model_version: str
    ) -> dict[str, ScoringResult]:
        found = {i: self.for_model(tenant_id, i, model_version) for i in application_ids}
        return {i: result for i, result in found.items() if result is not None}

    def latest(self, tenant_id: str, application_id: str) -> ScoringResult | None:
        return _newest(
            (row_id, result)
            for row_id, result in self._rows.items()
            if result.tenant_id == tenant_id and result.application_id == application_id
        )

    def for_model(
        self, tenant_id: str, application_id: str, model_version: str
    ) -> ScoringResult | None:
        return _newest(
            (row_id, result)
            for row_id, result in self._rows.items()
            if result.tenant_id == tenant_id
            and result.application_id == application_id
            and result.model.model_version == model_version
        )

    def similar(
        self, tenant_id: str, features: Features, *, exclude_application_id: str, limit: int
    ) -> list[SimilarCase]:
        latest = _latest_results(self._rows, tenant_id)
        target = _similarity_point(features)
        cases = [
            SimilarCase(
                application_id=a.id,
                external_id=a.form.external_id,
                status=a.status,
                score=latest[a.id].model.score,
                distance=math.dist(target, _similarity_point(latest[a.id].features)),
            )
            for a in self._applications.where(
                lambda a: (
                    a.tenant_id == tenant_id
                    and a.status in _DECIDED
                    and a.id != exclude_application_id
                    and a.id in latest
                )
            )
        ]
        cases.sort(key=lambda case: (case.distance, case.application_id))
        return cases[: max(limit, 0)]


_QUEUE_SORTS: Mapping[QueueSort, _SortColumn[QueueEntry]] = {
    QueueSort.PRIORITY: _number_column(lambda entry: entry.priority),
    QueueSort.CREATED_AT: _time_column(lambda entry: entry.entered_at),
    QueueSort.SLA_DEADLINE: _time_column(lambda entry: entry.sla_deadline),
}


def _listed_in_queue(entry: QueueEntry, query: QueueQuery) -> bool:
    return (
        (query.include_completed or entry.is_open)
        and (not query.statuses or entry.status in query.statuses)
        and (query.analyst_id is None or entry.analyst_id == query.analyst_id)
        and (query.max_priority is None or entry.priority <= query.max_priority)
    )


class InMemoryQueueRepository:
    def __init__(self, rows: _Staged[tuple[str, str], QueueEntry]) -> None:
        self._rows = rows

    def add(self, entry: QueueEntry) -> None:
        if entry.is_open:  # like the SQL table's partial unique index
            self._rows.ensure_unique(
                (entry.tenant_id, entry.id),
                lambda e: (
                    e.tenant_id == entry.tenant_id
                    and e.application_id == entry.application_id
                    and e.is_open
                ),
                f"an open queue entry of application {entry.application_id}",
            )
        self._rows.insert((entry.tenant_id, entry.id), entry, f"queue entry {entry.id}")

    def add_many(self, entries: Sequence[QueueEntry]) -> None:
        with self._rows.all_or_none():
            for entry in entries:
                self.add(entry)

    def get(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        return self._rows.get((tenant_id, entry_id))

    def update(self, entry: QueueEntry) -> None:
        self._rows.replace((entry.tenant_id, entry.id), entry, f"queue entry {entry.id}")

    def open_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        return self._rows.first(
            lambda e: e.tenant_id == tenant_id and e.application_id == application_id and e.is_open
        )

    def latest_for_application(self, tenant_id: str, application_id: str) -> QueueEntry | None:
        mine = self._rows.where(
            lambda e: e.tenant_id == tenant_id and e.application_id == application_id
        )
        return max(mine, key=lambda e: (e.entered_at, e.id), default=None)

    def active_count(self, tenant_id: str, analyst_id: str) -> int:
        return len(
            self._rows.where(
                lambda e: e.tenant_id == tenant_id and e.analyst_id == analyst_id and e.is_active
            )
        )

    def lock(self, tenant_id: str, entry_id: str) -> QueueEntry | None:
        """A plain read: one in-memory transaction at a time cannot race another."""
        return self.get(tenant_id, entry_id)

    def search(self, tenant_id: str, query: QueueQuery) -> Page[QueueEntry]:
        return _paginate(
            self._rows.where(lambda e: e.tenant_id == tenant_id and _listed_in_queue(e, query)),
            _QUEUE_SORTS[query.sort],
            lambda entry: entry.id,
            order=query.order,
            page=query.page,
            page_size=query.page_size,
            cursor=query.cursor,
            count_limit=query.count_limit,
        )

    def counts(
        self,
        tenant_id: str,
        *,
        now: datetime,
        approaching_before: datetime,
        bands: PriorityBandBounds,
    ) -> QueueCounts:
        entries = self._rows.where(lambda e: e.tenant_id == tenant_id and e.is_open)
        statuses = Counter(e.status for e in entries)
        priorities = [e.priority for e in entries]
        return QueueCounts(
            pending=statuses[QueueStatus.PENDING],
            assigned=statuses[QueueStatus.ASSIGNED],
            in_progress=statuses[QueueStatus.IN_PROGRESS],
            approaching_sla=sum(now < e.sla_deadline < approaching_before for e in entries),
            breached_sla=sum(e.sla_deadline <= now for e in entries),
            high=sum(p <= bands.high_max for p in priorities),
            medium=sum(bands.high_max < p <= bands.medium_max for p in priorities),
            low=sum(p > bands.medium_max for p in priorities),
        )

    def sla_due(
        self, tenant_id: str, *, now: datetime, warn_before: datetime, limit: int
    ) -> list[QueueEntry]:
        due = self._rows.where(
            lambda e: (
                e.tenant_id == tenant_id
                and e.is_open
                and e.sla_breached_at is None
                and e.sla_deadline < warn_before
                and (e.sla_deadline <= now or e.sla_warned_at is None)
            )
        )
        return sorted(due, key=lambda e: (e.sla_deadline, e.id))[: max(limit, 0)]

    def pending_due(self, tenant_id: str, *, before: datetime, limit: int) -> list[QueueEntry]:
        due = self._rows.where(
            lambda e: (
                e.tenant_id == tenant_id
                and e.status is QueueStatus.PENDING
                and e.sla_deadline <= before
            )
        )
        return sorted(due, key=lambda e: (e.sla_deadline, e.id))[: max(limit, 0)]

    def active_counts(self, tenant_id: str) -> dict[str, int]:
        held = self._rows.where(lambda e: e.tenant_id == tenant_id and e.is_active)
        return dict(Counter(e.analyst_id for e in held if e.analyst_id is not None))


class InMemoryDecisionRepository:
    def __init__(self, rows: _Staged[tuple[str, str], Decision]) -> None:
        self._rows = rows

    def add(self, decision: Decision) -> None:
        self._refuse_second_final(decision)
        self._rows.insert((decision.tenant_id, decision.id), decision, f"decision {decision.id}")

    def add_many(self, decisions: Sequence[Decision]) -> None:
        with self._rows.all_or_none():
            for decision in decisions:
                self.add(decision)

    def _refuse_second_final(self, decision: Decision) -> None:
        if not decision.is_final:
            return
        finals = self._rows.where(
            lambda d: (
                d.tenant_id == decision.tenant_id
                and d.application_id == decision.application_id
                and d.is_final
                and d.id != decision.id
            )
        )
        if finals:
            raise AlreadyExists(
                f"application {decision.application_id} already has a final decision"
            )

    def get(self, tenant_id: str, decision_id: str) -> Decision | None:
        return self._rows.get((tenant_id, decision_id))

    def update(self, decision: Decision) -> None:
        if self._rows.get((decision.tenant_id, decision.id)) is not None:
            self._refuse_second_final(decision)
        self._rows.replace((decision.tenant_id, decision.id), decision, f"decision {decision.id}")

    def for_application(self, tenant_id: str, application_id: str) -> list[Decision]:
        mine = self._rows.where(
            lambda d: d.tenant_id == tenant_id and d.application_id == application_id
        )
        return sorted(mine, key=lambda d: d.decided_at)

    def awaiting_override(self, tenant_id: str) -> list[Decision]:
        waiting = self._rows.where(
            lambda d: (
                d.tenant_id == tenant_id and d.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL
            )
        )
        return sorted(waiting, key=lambda d: d.decided_at)


class InMemoryRoutingPolicyRepository:
    def __init__(
        self, versions: _Staged[tuple[str, int], PolicyVersion], active: _Staged[str, int]
    ) -> None:
        self._versions = versions
        self._active = active

    def add(self, version: PolicyVersion) -> None:
        key = (version.tenant_id, version.version)
        self._versions.insert(key, version, f"routing policy version {version.version}")

    def get(self, tenant_id: str, version: int) -> PolicyVersion | None:
        return self._versions.get((tenant_id, version))

    def update(self, version: PolicyVersion) -> None:
        key = (version.tenant_id, version.version)
        self._versions.replace(key, version, f"routing policy version {version.version}")

    def versions(self, tenant_id: str) -> list[PolicyVersion]:
        mine = self._versions.where(lambda v: v.tenant_id == tenant_id)
        return sorted(mine, key=lambda v: v.version, reverse=True)

    def active(self, tenant_id: str) -> RoutingPolicy | None:
        number = self._active.get(tenant_id)
        found = None if number is None else self.get(tenant_id, number)
        return None if found is None else found.policy

    def activate(self, tenant_id: str, version: int) -> None:
        if self.get(tenant_id, version) is None:
            raise RecordNotFound(f"routing policy version {version} does not exist")
        self._active.put(tenant_id, version)


def _audit_matches(event: AuditEvent, query: AuditQuery) -> bool:
    wanted = {"entity_type": query.entity_type, "entity_id": query.entity_id, "actor": query.actor}
    return (
        all(value is None or getattr(event, name) == value for name, value in wanted.items())
        and (query.occurred_from is None or event.occurred_at >= query.occurred_from)
        and (query.occurred_to is None or event.occurred_at < query.occurred_to)
    )


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

    def append_many(self, events: Sequence[AuditEvent]) -> None:
        with self._rows.all_or_none():
            for event in events:
                self.append(event)

    def head(self, tenant_id: str, *, for_append: bool = False) -> AuditEvent | None:
        mine = self.events(tenant_id)  # one thread at a time: nothing to lock
        return mine[-1] if mine else None

    def anchor(self, tenant_id: str, *, for_append: bool = False) -> ChainAnchor:
        head = self.head(tenant_id)
        return ChainAnchor.empty(tenant_id) if head is None else ChainAnchor.at(head)

    def events(self, tenant_id: str) -> list[AuditEvent]:
        return sorted(
            self._rows.where(lambda e: e.tenant_id == tenant_id), key=lambda e: e.sequence
        )

    def query(self, tenant_id: str, query: AuditQuery) -> Page[AuditEvent]:
        newest_first = [e for e in reversed(self.events(tenant_id)) if _audit_matches(e, query)]
        return _numbered_page(newest_first, query.page, query.page_size, query.count_limit)


class InMemoryOutbox:
    def __init__(self, messages: _Staged[str, OutboxMessage], sent: _Staged[str, bool]) -> None:
        self._messages = messages
        self._sent = sent

    def add(self, message: OutboxMessage) -> None:
        self._messages.insert(message.id, message, f"outbox message {message.id}")

    def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        with self._messages.all_or_none():
            for message in messages:
                self.add(message)

    def pending(self, limit: int, *, topics: Collection[str] | None = None) -> list[OutboxMessage]:
        unsent = self._messages.where(
            lambda m: self._sent.get(m.id) is None and (topics is None or m.topic in topics)
        )
        return sorted(unsent, key=lambda m: m.created_at)[: max(limit, 0)]

    def mark_sent(self, message_id: str) -> None:
        if self._messages.get(message_id) is None:
            raise RecordNotFound(f"outbox message {message_id} does not exist")
        self._sent.put(message_id, True)

    def purge_sent(self, created_before: datetime, limit: int) -> int:
        old = self._messages.where(
            lambda m: self._sent.get(m.id) is not None and m.created_at < created_before
        )
        purged = sorted(old, key=lambda m: m.created_at)[: max(limit, 0)]
        for message in purged:
            self._messages.delete(message.id)
            self._sent.delete(message.id)
        return len(purged)


class InMemoryIdempotencyRepository:
    def __init__(self, rows: _Staged[tuple[str, str], IdempotencyRecord]) -> None:
        self._rows = rows

    def get(self, tenant_id: str, key: str) -> IdempotencyRecord | None:
        return self._rows.get((tenant_id, key))

    def add(self, record: IdempotencyRecord) -> None:
        self._rows.insert((record.tenant_id, record.key), record, f"idempotency key {record.key}")

    def purge(self, tenant_id: str, created_before: datetime, limit: int) -> int:
        old = self._rows.where(lambda r: r.tenant_id == tenant_id and r.created_at < created_before)
        purged = sorted(old, key=lambda r: (r.created_at, r.key))[: max(limit, 0)]
        for record in purged:
            self._rows.delete((record.tenant_id, record.key))
        return len(purged)


class InMemoryDeadJobRepository:
    def __init__(self, rows: _Staged[str, DeadJob]) -> None:
        self._rows = rows

    def add(self, job: DeadJob) -> None:
        self._rows.insert(job.id, job, f"dead job {job.id}")

    def get(self, job_id: str) -> DeadJob | None:
        return self._rows.get(job_id)

    def list(self, *, limit: int, include_retried: bool = False) -> list[DeadJob]:
        jobs = self._rows.where(lambda j: include_retried or j.retried_at is None)
        jobs.sort(key=lambda j: (j.failed_at, j.id), reverse=True)
        return jobs[: max(limit, 0)]

    def mark_retried(self, job_id: str, at: datetime) -> None:
        job = self._rows.get(job_id)
        if job is None:
            raise RecordNotFound(f"dead job {job_id} does not exist")
        self._rows.put(job_id, evolve(job, retried_at=at))


class InMemoryTenantRepository:
    def __init__(self, rows: _Staged[str, Tenant]) -> None:
        self._rows = rows

    def add(self, tenant: Tenant) -> None:
        self._ensure_slug_unique(tenant)
        self._rows.insert(tenant.id, tenant, f"tenant {tenant.id}")

    def get(self, tenant_id: str) -> Tenant | None:
        return self._rows.get(tenant_id)

    def get_by_slug(self, slug: str) -> Tenant | None:
        return self._rows.first(lambda t: t.slug == slug)

    def update(self, tenant: Tenant) -> None:
        self._ensure_slug_unique(tenant)
        self._rows.replace(tenant.id, tenant, f"tenant {tenant.id}")

    def list(self) -> list[Tenant]:
        return sorted(self._rows.values(), key=lambda t: t.slug)

    def _ensure_slug_unique(self, tenant: Tenant) -> None:
        self._rows.ensure_unique(
            tenant.id, lambda t: t.slug == tenant.slug, f"a tenant with slug {tenant.slug!r}"
        )


class InMemoryUserRepository:
    """Emails compare ignoring case, as SQL's lower() does."""

    def __init__(self, rows: _Staged[tuple[str, str], User]) -> None:
        self._rows = rows

    def add(self, user: User) -> None:
        self._ensure_email_unique(user)
        self._rows.insert((user.tenant_id, user.id), user, f"user {user.id}")

    def get(self, tenant_id: str, user_id: str) -> User | None:
        return self._rows.get((tenant_id, user_id))

    def get_by_email(self, tenant_id: str, email: str) -> User | None:
        return self._rows.first(
            lambda u: u.tenant_id == tenant_id and u.email.lower() == email.lower()
        )

    def update(self, user: User) -> None:
        self._ensure_email_unique(user)
        self._rows.replace((user.tenant_id, user.id), user, f"user {user.id}")

    def active_with_roles(self, tenant_id: str, roles: Collection[Role]) -> list[User]:
        found = self._rows.where(
            lambda u: u.tenant_id == tenant_id and u.active and u.role in roles
        )
        return sorted(found, key=lambda u: u.id)

    def list(self, tenant_id: str) -> list[User]:
        return sorted(self._rows.where(lambda u: u.tenant_id == tenant_id), key=lambda u: u.email)

    def _ensure_email_unique(self, user: User) -> None:
        self._rows.ensure_unique(
            (user.tenant_id, user.id),
            lambda u: u.tenant_id == user.tenant_id and u.email.lower() == user.email.lower(),
            f"a user with email {user.email!r}",
        )


class _Transaction:
    """The repositories of one open unit of work, over staged views of every table."""

    def __init__(self, db: InMemoryDatabase) -> None:
        self._staged: list[_Staged[Any, Any]] = []
        applications, results = self._stage(db.applications), self._stage(db.scoring_results)
        self.applications = InMemoryApplicationRepository(applications, results)
        self.scoring_results = InMemoryScoringResultRepository(results, db.row_ids, applications)
        self.shadow_scores = InMemoryShadowScoreRepository(
            self._stage(db.shadow_scores), applications
        )
        self.monitoring = InMemoryMonitoringReportRepository(self._stage(db.monitoring))
        queue = self._stage(db.queue)
        self.queue = InMemoryQueueRepository(queue)
        decisions = self._stage(db.decisions)
        self.decisions = InMemoryDecisionRepository(decisions)
        self.analytics = InMemoryAnalyticsQueries(applications, results, queue, decisions)
        self.policies = InMemoryRoutingPolicyRepository(
            self._stage(db.policies), self._stage(db.active_policies)
        )
        self.audit = InMemoryAuditLog(self._stage(db.audit))
        self.outbox = InMemoryOutbox(self._stage(db.outbox), self._stage(db.sent))
        self.idempotency = InMemoryIdempotencyRepository(self._stage(db.idempotency))
        self.dead_jobs = InMemoryDeadJobRepository(self._stage(db.dead_jobs))
        self.outcomes = InMemoryOutcomeRepository(self._stage(db.outcomes), applications)
        self.models = InMemoryModelRegistry(self._stage(db.models))
        self.tenants = InMemoryTenantRepository(self._stage(db.tenants))
        self.users = InMemoryUserRepository(self._stage(db.users))
        self.inbox = InMemoryInboxRepository(self._stage(db.inbox), self.users)
        self.deliveries = InMemoryDeliveryRepository(self._stage(db.deliveries))
        self.webhooks = InMemoryWebhookEndpointRepository(self._stage(db.webhooks))
        self.batches = InMemoryBatchRepository(
            self._stage(db.batches),
            self._stage(db.batch_chunks),
            self._stage(db.batch_rows),
            self._stage(db.batch_errors),
            applications,
        )
        self.refresh_tokens = InMemoryRefreshTokenRepository(self._stage(db.refresh_tokens))
        self.denylist = InMemoryTokenDenylist(self._stage(db.denylist))
        self.api_keys = InMemoryApiKeyRepository(self._stage(db.api_keys))
        self.exports = InMemoryExportRepository(
            self._stage(db.exports), applications, results, decisions
        )
        self.case_flags = InMemoryCaseFlagRepository(
            self._stage(db.case_flags), self._stage(db.help_requests), queue
        )
        self.second_opinions = InMemorySecondOpinionRepository(
            self._stage(db.second_opinions), applications
        )

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


class InMemoryUnitOfWork(FakeTransactionScope["_Transaction"]):
    """A unit of work with real transactional semantics over an `InMemoryDatabase`.

    Writes are staged and reach the database only on `commit()`; leaving `with` otherwise
    discards them. `committed` gets one flag per `with` block (did it commit?), so a test can
    assert that a use case committed, or that a failing one did not.
    """

    def __init__(self, database: InMemoryDatabase | None = None) -> None:
        super().__init__()
        self.database = database or InMemoryDatabase()

    def _begin(self) -> _Transaction:
        return _Transaction(self.database)

    @property
    def applications(self) -> InMemoryApplicationRepository:
        return self._open().applications

    @property
    def scoring_results(self) -> InMemoryScoringResultRepository:
        return self._open().scoring_results

    @property
    def shadow_scores(self) -> InMemoryShadowScoreRepository:
        return self._open().shadow_scores

    @property
    def monitoring(self) -> InMemoryMonitoringReportRepository:
        return self._open().monitoring

    @property
    def queue(self) -> InMemoryQueueRepository:
        return self._open().queue

    @property
    def analytics(self) -> InMemoryAnalyticsQueries:
        return self._open().analytics

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

    @property
    def idempotency(self) -> InMemoryIdempotencyRepository:
        return self._open().idempotency

    @property
    def dead_jobs(self) -> InMemoryDeadJobRepository:
        return self._open().dead_jobs

    @property
    def outcomes(self) -> InMemoryOutcomeRepository:
        return self._open().outcomes

    @property
    def models(self) -> InMemoryModelRegistry:
        return self._open().models

    @property
    def tenants(self) -> InMemoryTenantRepository:
        return self._open().tenants

    @property
    def users(self) -> InMemoryUserRepository:
        return self._open().users

    @property
    def inbox(self) -> InMemoryInboxRepository:
        return self._open().inbox

    @property
    def deliveries(self) -> InMemoryDeliveryRepository:
        return self._open().deliveries

    @property
    def webhooks(self) -> InMemoryWebhookEndpointRepository:
        return self._open().webhooks

    @property
    def batches(self) -> InMemoryBatchRepository:
        return self._open().batches

    @property
    def refresh_tokens(self) -> InMemoryRefreshTokenRepository:
        return self._open().refresh_tokens

    @property
    def denylist(self) -> InMemoryTokenDenylist:
        return self._open().denylist

    @property
    def api_keys(self) -> InMemoryApiKeyRepository:
        return self._open().api_keys

    @property
    def exports(self) -> InMemoryExportRepository:
        return self._open().exports

    @property
    def case_flags(self) -> InMemoryCaseFlagRepository:
        return self._open().case_flags

    @property
    def second_opinions(self) -> InMemorySecondOpinionRepository:
        return self._open().second_opinions


# Conformance: mypy checks each fake against its port here (the repositories through the
# unit of work's property types).
_clock: Clock = FixedClock()
_ids: IdGenerator = SequentialIds()
_jobs: JobQueue = FakeJobQueue()
_store: ObjectStore = InMemoryObjectStore()
_hasher: PasswordHasher = FakePasswordHasher()
_tokens: TokenIssuer = FakeTokenIssuer()
_scorer: Scorer = FakeScorer()
_explainer: Explainer = FakeExplainer()
_uow: UnitOfWork = InMemoryUnitOfWork()


# Known outcomes of granted loans (application.credit.ports.history).


class InMemoryOutcomeRepository:
    """Like the SQL table, an outcome needs its stored application (a foreign key)."""

    def __init__(
        self,
        rows: _Staged[tuple[str, str], LoanOutcome],
        applications: _Staged[tuple[str, str], Application],
    ) -> None:
        self._rows = rows
        self._applications = applications

    def add(self, outcome: LoanOutcome) -> None:
        key = (outcome.tenant_id, outcome.application_id)
        if self._applications.get(key) is None:
            raise RecordNotFound(f"application {outcome.application_id} does not exist")
        self._rows.insert(key, outcome, f"the outcome of application {outcome.application_id}")

    def get(self, tenant_id: str, application_id: str) -> LoanOutcome | None:
        return self._rows.get((tenant_id, application_id))

    def labelled(
        self, tenant_id: str, source: str | None = None
    ) -> list[tuple[Application, LoanOutcome]]:
        found = self._rows.where(
            lambda o: o.tenant_id == tenant_id and (source is None or o.source == source)
        )
        pairs: list[tuple[Application, LoanOutcome]] = []
        for outcome in sorted(found, key=lambda o: o.application_id):
            application = self._applications.get((tenant_id, outcome.application_id))
            if application is not None:
                pairs.append((application, outcome))
        return pairs


# The model registry and what trains models (application.credit.ports.registry).


class InMemoryModelRegistry:
    """Like the SQL table: one version per (tenant, name), and at most one champion a tenant
    (its partial unique index), so storing a new champion before retiring the old one fails."""

    def __init__(self, rows: _Staged[tuple[str, str], ModelVersion]) -> None:
        self._rows = rows

    def add(self, version: ModelVersion) -> None:
        self._ensure_one_champion(version)
        key = (version.tenant_id, version.version)
        self._rows.insert(key, version, f"model version {version.version}")

    def get(self, tenant_id: str, version: str) -> ModelVersion | None:
        return self._rows.get((tenant_id, version))

    def update(self, version: ModelVersion) -> None:
        self._ensure_one_champion(version)
        key = (version.tenant_id, version.version)
        self._rows.replace(key, version, f"model version {version.version}")

    def champion(self, tenant_id: str) -> ModelVersion | None:
        return next((v for v in self.list(tenant_id) if v.stage is ModelStage.CHAMPION), None)

    def challengers(self, tenant_id: str) -> list[ModelVersion]:
        return [v for v in self.list(tenant_id) if v.stage is ModelStage.CHALLENGER]

    def _ensure_one_champion(self, version: ModelVersion) -> None:
        if version.stage is ModelStage.CHAMPION:
            self._rows.ensure_unique(
                (version.tenant_id, version.version),
                lambda v: v.tenant_id == version.tenant_id and v.stage is ModelStage.CHAMPION,
                f"a champion of tenant {version.tenant_id}",
            )

    def list(self, tenant_id: str) -> list[ModelVersion]:
        mine = self._rows.where(lambda v: v.tenant_id == tenant_id)
        return sorted(mine, key=lambda v: (v.created_at, v.version), reverse=True)


# Challengers' shadow scores and monitoring reports (application.credit.ports.repositories).


class InMemoryShadowScoreRepository:
    """Like the SQL table: one score per (tenant, application, model version), and it needs
    its stored application (a foreign key)."""

    def __init__(
        self,
        rows: _Staged[tuple[str, str, str], ShadowScore],
        applications: _Staged[tuple[str, str], Application],
    ) -> None:
        self._rows = rows
        self._applications = applications

    def add(self, shadow: ShadowScore) -> None:
        if self._applications.get((shadow.tenant_id, shadow.application_id)) is None:
            raise RecordNotFound(f"application {shadow.application_id} does not exist")
        version = shadow.model.model_version
        key = (shadow.tenant_id, shadow.application_id, version)
        what = f"a shadow score of application {shadow.application_id} by {version}"
        self._rows.insert(key, shadow, what)

    def add_many(self, shadows: Sequence[ShadowScore]) -> None:
        with self._rows.all_or_none():
            for shadow in shadows:
                self.add(shadow)

    def for_application(self, tenant_id: str, application_id: str) -> list[ShadowScore]:
        found = self._rows.where(
            lambda s: s.tenant_id == tenant_id and s.application_id == application_id
        )
        return sorted(found, key=lambda s: (s.scored_at, s.model.model_version))

    def for_model(self, tenant_id: str, model_version: str, *, limit: int) -> list[ShadowScore]:
        found = self._rows.where(
            lambda s: s.tenant_id == tenant_id and s.model.model_version == model_version
        )
        found.sort(key=lambda s: (_Backwards(s.scored_at), s.application_id))
        return found[: max(limit, 0)]


class InMemoryMonitoringReportRepository:
    def __init__(self, rows: _Staged[tuple[str, str], MonitoringReport]) -> None:
        self._rows = rows

    def add(self, report: MonitoringReport) -> None:
        key = (report.tenant_id, report.id)
        self._rows.insert(key, report, f"monitoring report {report.id}")

    def get(self, tenant_id: str, report_id: str) -> MonitoringReport | None:
        return self._rows.get((tenant_id, report_id))

    def recent(self, tenant_id: str, *, limit: int) -> list[MonitoringReport]:
        mine = self._rows.where(lambda r: r.tenant_id == tenant_id)
        mine.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        return mine[: max(limit, 0)]


class FakeTrainer:
    """Trains nothing: fixed model bytes, report and metrics, with a version and data hash
    that follow the rows and seed it is given (as the real trainer's do), so the same call
    twice names the same model. `calls` records (external ids, outcomes, seed) of each call;
    set `error` to make training fail with it."""

    REPORT_FILES: Mapping[str, bytes] = MappingProxyType(
        {"report.html": b'<html><img src="roc.png"></html>', "roc.png": b"\x89PNG fake plot"}
    )
    METRICS = (("auc", 0.81), ("gini", 0.62), ("brier", 0.16))

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], list[bool], int]] = []
        self.error: Exception | None = None

    def train(
        self, forms: Sequence[ApplicationForm], defaulted: Sequence[bool], seed: int
    ) -> TrainedArtifact:
        self.calls.append(([form.external_id for form in forms], list(defaulted), seed))
        if self.error is not None:
            raise self.error
        digest = hashlib.sha256()
        for form, bad in zip(forms, defaulted, strict=True):
            digest.update(f"{form.external_id}:{int(bad)}\n".encode())
        data_hash = digest.hexdigest()
        version = "fake-" + hashlib.sha256(f"{data_hash}:{seed}".encode()).hexdigest()[:12]
        return TrainedArtifact(
            model=b"fake model " + version.encode(),
            report_files=self.REPORT_FILES,
            metrics=self.METRICS,
            training_data_hash=data_hash,
            version=version,
        )


_trainer: ModelTrainer = FakeTrainer()


# Claims of periodic jobs' slots (application.credit.ports.schedules).


class InMemoryScheduleClaims:
    """Claims in a dict behind a lock, so schedulers on several threads can race for a slot."""

    def __init__(self) -> None:
        self.claims: dict[tuple[str, datetime], str] = {}
        self._lock = threading.Lock()

    def claim(self, job: str, slot: datetime, *, holder: str, at: datetime) -> bool:
        with self._lock:
            if (job, slot) in self.claims:
                return False
            self.claims[(job, slot)] = holder
            return True

    def forget_before(self, slot: datetime) -> int:
        with self._lock:
            old = [key for key in self.claims if key[1] < slot]
            for key in old:
                del self.claims[key]
            return len(old)


_claims: ScheduleClaims = InMemoryScheduleClaims()


# CSV batches (application.credit.ports.batches).


class InMemoryBatchRepository:
    """Like the SQL tables, chunks, rows and errors need their stored batch, and a row its
    stored application (foreign keys)."""

    def __init__(
        self,
        batches: _Staged[tuple[str, str], Batch],
        chunks: _Staged[tuple[str, str, int], BatchChunk],
        rows: _Staged[tuple[str, str, int], str],
        errors: _Staged[tuple[str, str, int, int], RowError],
        applications: _Staged[tuple[str, str], Application],
    ) -> None:
        self._batches = batches
        self._chunks = chunks
        self._rows = rows
        self._errors = errors
        self._applications = applications

    def add(self, batch: Batch) -> None:
        key = (batch.tenant_id, batch.id)
        if batch.idempotency_key is not None:
            self._batches.ensure_unique(
                key,
                lambda b: (
                    b.tenant_id == batch.tenant_id and b.idempotency_key == batch.idempotency_key
                ),
                f"a batch with idempotency key {batch.idempotency_key!r}",
            )
        self._batches.insert(key, batch, f"batch {batch.id}")

    def get(self, tenant_id: str, batch_id: str) -> Batch | None:
        return self._batches.get((tenant_id, batch_id))

    def lock(self, tenant_id: str, batch_id: str) -> Batch | None:
        return self.get(tenant_id, batch_id)

    def by_idempotency_key(self, tenant_id: str, key: str) -> Batch | None:
        return self._batches.first(lambda b: b.tenant_id == tenant_id and b.idempotency_key == key)

    def update(self, batch: Batch) -> None:
        self._batches.replace((batch.tenant_id, batch.id), batch, f"batch {batch.id}")

    def recent(self, tenant_id: str, *, limit: int) -> list[Batch]:
        mine = self._batches.where(lambda b: b.tenant_id == tenant_id)
        return sorted(mine, key=lambda b: (b.created_at, b.id), reverse=True)[: max(limit, 0)]

    def _ensure_batch(self, tenant_id: str, batch_id: str) -> None:
        if self.get(tenant_id, batch_id) is None:
            raise RecordNotFound(f"batch {batch_id} does not exist")

    def add_chunks(self, chunks: Sequence[BatchChunk]) -> None:
        with self._chunks.all_or_none():
            for chunk in chunks:
                self._ensure_batch(chunk.tenant_id, chunk.batch_id)
                key = (chunk.tenant_id, chunk.batch_id, chunk.first_row)
                what = f"rows from {chunk.first_row} of {chunk.batch_id}"
                self._chunks.insert(key, chunk, what)

    def chunk(self, tenant_id: str, batch_id: str, first_row: int) -> BatchChunk | None:
        return self._chunks.get((tenant_id, batch_id, first_row))

    def chunk_at(self, tenant_id: str, batch_id: str, offset: int) -> BatchChunk | None:
        return self._chunks.first(
            lambda c: (c.tenant_id, c.batch_id, c.offset) == (tenant_id, batch_id, offset)
        )

    def update_chunk(self, chunk: BatchChunk) -> None:
        key = (chunk.tenant_id, chunk.batch_id, chunk.first_row)
        self._chunks.replace(key, chunk, f"rows from {chunk.first_row} of {chunk.batch_id}")

    def add_rows(self, tenant_id: str, batch_id: str, rows: Sequence[tuple[int, str]]) -> None:
        self._ensure_batch(tenant_id, batch_id)
        with self._rows.all_or_none():
            for number, application_id in rows:
                if self._applications.get((tenant_id, application_id)) is None:
                    raise RecordNotFound(f"application {application_id} does not exist")
                key = (tenant_id, batch_id, number)
                self._rows.insert(key, application_id, f"row {number} of batch {batch_id}")

    def _in_rows(self, tenant_id: str, batch_id: str, first: int, last: int) -> list[str]:
        found = [
            (key[2], application_id)
            for key, application_id in self._rows.items()
            if key[:2] == (tenant_id, batch_id) and first <= key[2] <= last
        ]
        return [application_id for _row, application_id in sorted(found)]

    def applications_in_rows(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[str]:
        return self._in_rows(tenant_id, batch_id, first_row, last_row)

    def count_settled(self, tenant_id: str, batch_id: str, first_row: int, last_row: int) -> int:
        unsettled = (ApplicationStatus.PENDING, ApplicationStatus.SCORING)
        found = (
            self._applications.get((tenant_id, application_id))
            for application_id in self._in_rows(tenant_id, batch_id, first_row, last_row)
        )
        return sum(1 for a in found if a is not None and a.status not in unsettled)

    def add_errors(self, tenant_id: str, batch_id: str, errors: Sequence[RowError]) -> None:
        if errors:
            self._ensure_batch(tenant_id, batch_id)
        positions: Counter[int] = Counter()
        with self._errors.all_or_none():
            for error in errors:
                positions[error.row] += 1
                key = (tenant_id, batch_id, error.row, positions[error.row])
                self._errors.insert(key, error, f"problem {key[3]} of row {error.row}")

    def errors(
        self, tenant_id: str, batch_id: str, first_row: int, last_row: int
    ) -> list[RowError]:
        found = [
            (key, error)
            for key, error in self._errors.items()
            if key[:2] == (tenant_id, batch_id) and first_row <= key[2] <= last_row
        ]
        return [error for _key, error in sorted(found, key=lambda item: item[0])]


# Notifications (application.credit.ports.notifications) and their senders.


def _inbox_order(message: InboxMessage) -> tuple[bool, _Backwards, _Backwards]:
    return (message.is_read, _Backwards(message.created_at), _Backwards(message.id))


class InMemoryInboxRepository:
    """Like the SQL table: one message per (tenant, source, user), and the user must exist
    (a foreign key)."""

    def __init__(
        self, rows: _Staged[tuple[str, str], InboxMessage], users: InMemoryUserRepository
    ) -> None:
        self._rows = rows
        self._users = users

    def add(self, message: InboxMessage) -> None:
        if self._users.get(message.tenant_id, message.user_id) is None:
            raise RecordNotFound(f"user {message.user_id} does not exist")
        key = (message.tenant_id, message.id)
        self._rows.ensure_unique(
            key,
            lambda m: (
                (m.tenant_id, m.source_id, m.user_id)
                == (message.tenant_id, message.source_id, message.user_id)
            ),
            f"a message from {message.source_id} to {message.user_id}",
        )
        self._rows.insert(key, message, f"message {message.id}")

    def get(self, tenant_id: str, message_id: str) -> InboxMessage | None:
        return self._rows.get((tenant_id, message_id))

    def update(self, message: InboxMessage) -> None:
        self._rows.replace((message.tenant_id, message.id), message, f"message {message.id}")

    def page(
        self, tenant_id: str, user_id: str, *, unread_only: bool, page: int, page_size: int
    ) -> Page[InboxMessage]:
        mine = sorted(self._of(tenant_id, user_id, unread_only=unread_only), key=_inbox_order)
        start = max(page - 1, 0) * page_size
        return Page(tuple(mine[start : start + page_size]), len(mine))

    def unread_count(self, tenant_id: str, user_id: str) -> int:
        return len(self._of(tenant_id, user_id, unread_only=True))

    def mark_all_read(self, tenant_id: str, user_id: str, at: datetime) -> int:
        unread = self._of(tenant_id, user_id, unread_only=True)
        for message in unread:
            self._rows.put((tenant_id, message.id), mark_read(message, at))
        return len(unread)

    def from_source(self, tenant_id: str, source_id: str) -> list[InboxMessage]:
        found = self._rows.where(lambda m: m.tenant_id == tenant_id and m.source_id == source_id)
        return sorted(found, key=lambda m: m.user_id)

    def _of(self, tenant_id: str, user_id: str, *, unread_only: bool) -> list[InboxMessage]:
        return self._rows.where(
            lambda m: (
                m.tenant_id == tenant_id
                and m.user_id == user_id
                and not (unread_only and m.is_read)
            )
        )


class InMemoryDeliveryRepository:
    """Like the SQL table: one delivery per (tenant, source, channel, recipient)."""

    def __init__(self, rows: _Staged[tuple[str, str], Delivery]) -> None:
        self._rows = rows

    def add(self, delivery: Delivery) -> None:
        key = (delivery.tenant_id, delivery.id)
        same = (delivery.tenant_id, delivery.source_id, delivery.channel, delivery.recipient)
        self._rows.ensure_unique(
            key,
            lambda d: (d.tenant_id, d.source_id, d.channel, d.recipient) == same,
            f"a {delivery.channel.value} delivery of {delivery.source_id}",
        )
        self._rows.insert(key, delivery, f"delivery {delivery.id}")

    def get(self, tenant_id: str, delivery_id: str) -> Delivery | None:
        return self._rows.get((tenant_id, delivery_id))

    def update(self, delivery: Delivery) -> None:
        self._rows.replace((delivery.tenant_id, delivery.id), delivery, f"delivery {delivery.id}")

    def from_source(self, tenant_id: str, source_id: str) -> list[Delivery]:
        found = self._rows.where(lambda d: d.tenant_id == tenant_id and d.source_id == source_id)
        return sorted(found, key=lambda d: (d.channel.value, d.recipient))

    def recent(
        self, tenant_id: str, *, limit: int, status: DeliveryStatus | None = None
    ) -> list[Delivery]:
        found = self._rows.where(
            lambda d: d.tenant_id == tenant_id and (status is None or d.status is status)
        )
        found.sort(key=lambda d: (d.created_at, d.id), reverse=True)
        return found[: max(limit, 0)]


class InMemoryWebhookEndpointRepository:
    def __init__(self, rows: _Staged[tuple[str, str], WebhookEndpoint]) -> None:
        self._rows = rows

    def add(self, endpoint: WebhookEndpoint) -> None:
        key = (endpoint.tenant_id, endpoint.id)
        self._rows.insert(key, endpoint, f"webhook endpoint {endpoint.id}")

    def get(self, tenant_id: str, endpoint_id: str) -> WebhookEndpoint | None:
        return self._rows.get((tenant_id, endpoint_id))

    def update(self, endpoint: WebhookEndpoint) -> None:
        key = (endpoint.tenant_id, endpoint.id)
        self._rows.replace(key, endpoint, f"webhook endpoint {endpoint.id}")

    def list(self, tenant_id: str) -> list[WebhookEndpoint]:
        mine = self._rows.where(lambda e: e.tenant_id == tenant_id)
        return sorted(mine, key=lambda e: (e.created_at, e.id))


class FakeEmailSender:
    """Keeps what it sends; each of `failures` (reasons, in order) fails one send first."""

    def __init__(self, *failures: str) -> None:
        self.sent: list[EmailMessage] = []
        self.failures = list(failures)

    def send(self, message: EmailMessage) -> None:
        if self.failures:
            raise DeliveryFailed(self.failures.pop(0))
        self.sent.append(message)


class FakeWebhookSender:
    """Keeps what it posts; each of `failures` (reasons, in order) fails one post first."""

    def __init__(self, *failures: str) -> None:
        self.posted: list[WebhookRequest] = []
        self.failures = list(failures)

    def post(self, request: WebhookRequest) -> None:
        if self.failures:
            raise DeliveryFailed(self.failures.pop(0))
        self.posted.append(request)


_email: EmailSender = FakeEmailSender()
_webhooks: WebhookSender = FakeWebhookSender()
