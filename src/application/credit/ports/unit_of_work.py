"""One transaction over every repository (rule 3 of DESIGN.md)."""

from __future__ import annotations

from types import TracebackType
from typing import Protocol, Self

from application.credit.ports.analytics import AnalyticsQueries
from application.credit.ports.auth import (
    ApiKeyRepository,
    RefreshTokenRepository,
    TokenDenylist,
)
from application.credit.ports.batches import BatchRepository
from application.credit.ports.case_flags import CaseFlagRepository
from application.credit.ports.exports import ExportRepository
from application.credit.ports.history import OutcomeRepository
from application.credit.ports.journal import (
    AuditLog,
    DeadJobRepository,
    IdempotencyRepository,
    Outbox,
)
from application.credit.ports.notifications import (
    DeliveryRepository,
    InboxRepository,
    WebhookEndpointRepository,
)
from application.credit.ports.registry import ModelRegistry
from application.credit.ports.repositories import (
    ApplicationRepository,
    DecisionRepository,
    MonitoringReportRepository,
    QueueRepository,
    RoutingPolicyRepository,
    ScoringResultRepository,
    ShadowScoreRepository,
)
from application.credit.ports.second_opinions import SecondOpinionRepository
from application.credit.ports.tenancy import TenantRepository, UserRepository


class UnitOfWork(Protocol):
    """One transaction over every credit repository.

    `with uow:` begins a transaction; `commit()` makes its writes durable and visible to other
    units of work; leaving the block without committing, or by an exception, discards every
    write since the last commit, so nothing is ever half written. The repositories may be used
    only inside the block. A unit of work can be entered again for a new transaction.
    """

    @property
    def applications(self) -> ApplicationRepository: ...

    @property
    def scoring_results(self) -> ScoringResultRepository: ...

    @property
    def shadow_scores(self) -> ShadowScoreRepository: ...

    @property
    def monitoring(self) -> MonitoringReportRepository: ...

    @property
    def queue(self) -> QueueRepository: ...

    @property
    def analytics(self) -> AnalyticsQueries: ...

    @property
    def decisions(self) -> DecisionRepository: ...

    @property
    def policies(self) -> RoutingPolicyRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def idempotency(self) -> IdempotencyRepository: ...

    @property
    def dead_jobs(self) -> DeadJobRepository: ...

    @property
    def outcomes(self) -> OutcomeRepository: ...

    @property
    def models(self) -> ModelRegistry: ...

    @property
    def tenants(self) -> TenantRepository: ...

    @property
    def users(self) -> UserRepository: ...

    @property
    def batches(self) -> BatchRepository: ...

    @property
    def inbox(self) -> InboxRepository: ...

    @property
    def deliveries(self) -> DeliveryRepository: ...

    @property
    def webhooks(self) -> WebhookEndpointRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def denylist(self) -> TokenDenylist: ...

    @property
    def api_keys(self) -> ApiKeyRepository: ...

    @property
    def exports(self) -> ExportRepository: ...

    @property
    def case_flags(self) -> CaseFlagRepository: ...

    @property
    def second_opinions(self) -> SecondOpinionRepository: ...

    def __enter__(self) -> Self:
        """Begin a transaction."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """End the transaction, discarding whatever was not committed; never swallows errors."""
        ...

    def commit(self) -> None:
        """Make every write so far durable; later writes start a new transaction."""
        ...

    def rollback(self) -> None:
        """Discard every write since the last commit."""
        ...
