"""Ports of the credit-decision context: where its records live and what scores them.

Every repository method names the tenant, either as an argument or inside the value it stores.
There is no "get by id" without a tenant, so no code path can read another lender's data by
guessing an id: a record of another tenant is simply not found (None, 0 or an empty list).

Repositories are reached only through a `UnitOfWork`, which makes one transaction of a use
case's writes: the application, its audit event and its outbox message are stored together or
not at all (rule 3 of DESIGN.md).
"""

from application.credit.ports.analytics import AnalyticsQueries
from application.credit.ports.auth import (
    ApiKeyRepository,
    RefreshTokenRepository,
    SecretSource,
    TokenDenylist,
)
from application.credit.ports.batches import BatchRepository
from application.credit.ports.history import OutcomeRepository
from application.credit.ports.journal import (
    AuditLog,
    DeadJob,
    DeadJobRepository,
    IdempotencyRecord,
    IdempotencyRepository,
    Outbox,
    OutboxMessage,
)
from application.credit.ports.models import Explainer, ModelLoader, Scorer, ServingModel
from application.credit.ports.notifications import (
    DeliveryRepository,
    InboxRepository,
    WebhookEndpointRepository,
)
from application.credit.ports.registry import ModelRegistry, ModelTrainer, TrainedArtifact
from application.credit.ports.repositories import (
    ApplicationRepository,
    DecisionRepository,
    MonitoringReportRepository,
    QueueRepository,
    RoutingPolicyRepository,
    ScoringResultRepository,
    ShadowScoreRepository,
)
from application.credit.ports.schedules import ScheduleClaims
from application.credit.ports.tenancy import TenantRepository, UserRepository
from application.credit.ports.unit_of_work import UnitOfWork

__all__ = [
    "AnalyticsQueries",
    "ApiKeyRepository",
    "ApplicationRepository",
    "AuditLog",
    "BatchRepository",
    "DeadJob",
    "DeadJobRepository",
    "DecisionRepository",
    "DeliveryRepository",
    "Explainer",
    "IdempotencyRecord",
    "IdempotencyRepository",
    "InboxRepository",
    "ModelLoader",
    "ModelRegistry",
    "ModelTrainer",
    "MonitoringReportRepository",
    "Outbox",
    "OutboxMessage",
    "OutcomeRepository",
    "QueueRepository",
    "RefreshTokenRepository",
    "RoutingPolicyRepository",
    "ScheduleClaims",
    "Scorer",
    "ScoringResultRepository",
    "SecretSource",
    "ServingModel",
    "ShadowScoreRepository",
    "TenantRepository",
    "TokenDenylist",
    "TrainedArtifact",
    "UnitOfWork",
    "UserRepository",
    "WebhookEndpointRepository",
]
