"""One SQL repository per port of `application.credit.ports`, all over one `Transaction`."""

from adapters.sql.repositories.analytics import SqlAnalyticsQueries
from adapters.sql.repositories.applications import SqlApplicationRepository
from adapters.sql.repositories.auth import (
    SqlApiKeyRepository,
    SqlRefreshTokenRepository,
    SqlTokenDenylist,
)
from adapters.sql.repositories.batches import SqlBatchRepository
from adapters.sql.repositories.dead_jobs import SqlDeadJobRepository
from adapters.sql.repositories.decisions import SqlDecisionRepository
from adapters.sql.repositories.exports import SqlExportRepository
from adapters.sql.repositories.history import SqlOutcomeRepository
from adapters.sql.repositories.journal import SqlAuditLog, SqlIdempotencyRepository, SqlOutbox
from adapters.sql.repositories.monitoring import SqlMonitoringReportRepository
from adapters.sql.repositories.notifications import (
    SqlDeliveryRepository,
    SqlInboxRepository,
    SqlWebhookEndpointRepository,
)
from adapters.sql.repositories.policies import SqlRoutingPolicyRepository
from adapters.sql.repositories.queue import SqlQueueRepository
from adapters.sql.repositories.registry import SqlModelRegistry
from adapters.sql.repositories.scoring import SqlScoringResultRepository
from adapters.sql.repositories.shadow import SqlShadowScoreRepository
from adapters.sql.repositories.tenancy import SqlTenantRepository, SqlUserRepository

__all__ = [
    "SqlAnalyticsQueries",
    "SqlApiKeyRepository",
    "SqlApplicationRepository",
    "SqlAuditLog",
    "SqlBatchRepository",
    "SqlDeadJobRepository",
    "SqlDecisionRepository",
    "SqlDeliveryRepository",
    "SqlExportRepository",
    "SqlIdempotencyRepository",
    "SqlInboxRepository",
    "SqlModelRegistry",
    "SqlMonitoringReportRepository",
    "SqlOutbox",
    "SqlOutcomeRepository",
    "SqlQueueRepository",
    "SqlRefreshTokenRepository",
    "SqlRoutingPolicyRepository",
    "SqlScoringResultRepository",
    "SqlShadowScoreRepository",
    "SqlTenantRepository",
    "SqlTokenDenylist",
    "SqlUserRepository",
    "SqlWebhookEndpointRepository",
]
