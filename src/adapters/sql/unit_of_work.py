"""The unit of work over SQL: one connection and one transaction per `with` block."""

from __future__ import annotations

from sqlalchemy import Engine

from adapters.sql.repositories import (
    SqlAnalyticsQueries,
    SqlApiKeyRepository,
    SqlApplicationRepository,
    SqlAuditLog,
    SqlBatchRepository,
    SqlDeadJobRepository,
    SqlDecisionRepository,
    SqlDeliveryRepository,
    SqlExportRepository,
    SqlIdempotencyRepository,
    SqlInboxRepository,
    SqlModelRegistry,
    SqlMonitoringReportRepository,
    SqlOutbox,
    SqlOutcomeRepository,
    SqlQueueRepository,
    SqlRefreshTokenRepository,
    SqlRoutingPolicyRepository,
    SqlScoringResultRepository,
    SqlShadowScoreRepository,
    SqlTenantRepository,
    SqlTokenDenylist,
    SqlUserRepository,
    SqlWebhookEndpointRepository,
)
from adapters.sql.repositories.case_flags import SqlCaseFlagRepository
from adapters.sql.repositories.second_opinions import SqlSecondOpinionRepository
from adapters.sql.transaction import Transaction
from adapters.sql.unit_of_work_base import SqlTransactionScope
from application.credit.ports import UnitOfWork


class _Repositories:
    def __init__(self, db: Transaction) -> None:
        self.applications = SqlApplicationRepository(db)
        self.scoring_results = SqlScoringResultRepository(db)
        self.shadow_scores = SqlShadowScoreRepository(db)
        self.monitoring = SqlMonitoringReportRepository(db)
        self.queue = SqlQueueRepository(db)
        self.analytics = SqlAnalyticsQueries(db)
        self.decisions = SqlDecisionRepository(db)
        self.policies = SqlRoutingPolicyRepository(db)
        self.audit = SqlAuditLog(db)
        self.outbox = SqlOutbox(db)
        self.idempotency = SqlIdempotencyRepository(db)
        self.dead_jobs = SqlDeadJobRepository(db)
        self.outcomes = SqlOutcomeRepository(db)
        self.models = SqlModelRegistry(db)
        self.tenants = SqlTenantRepository(db)
        self.users = SqlUserRepository(db)
        self.inbox = SqlInboxRepository(db)
        self.deliveries = SqlDeliveryRepository(db)
        self.webhooks = SqlWebhookEndpointRepository(db)
        self.batches = SqlBatchRepository(db)
        self.refresh_tokens = SqlRefreshTokenRepository(db)
        self.denylist = SqlTokenDenylist(db)
        self.api_keys = SqlApiKeyRepository(db)
        self.exports = SqlExportRepository(db)
        self.case_flags = SqlCaseFlagRepository(db)
        self.second_opinions = SqlSecondOpinionRepository(db)


class SqlUnitOfWork(SqlTransactionScope[_Repositories]):
    """The credit context's repositories in one transaction per `with` block (see
    `SqlTransactionScope` for the transaction's life)."""

    def _repositories_in(self, db: Transaction) -> _Repositories:
        return _Repositories(db)

    @property
    def applications(self) -> SqlApplicationRepository:
        return self._open().applications

    @property
    def scoring_results(self) -> SqlScoringResultRepository:
        return self._open().scoring_results

    @property
    def shadow_scores(self) -> SqlShadowScoreRepository:
        return self._open().shadow_scores

    @property
    def monitoring(self) -> SqlMonitoringReportRepository:
        return self._open().monitoring

    @property
    def queue(self) -> SqlQueueRepository:
        return self._open().queue

    @property
    def analytics(self) -> SqlAnalyticsQueries:
        return self._open().analytics

    @property
    def decisions(self) -> SqlDecisionRepository:
        return self._open().decisions

    @property
    def policies(self) -> SqlRoutingPolicyRepository:
        return self._open().policies

    @property
    def audit(self) -> SqlAuditLog:
        return self._open().audit

    @property
    def outbox(self) -> SqlOutbox:
        return self._open().outbox

    @property
    def idempotency(self) -> SqlIdempotencyRepository:
        return self._open().idempotency

    @property
    def dead_jobs(self) -> SqlDeadJobRepository:
        return self._open().dead_jobs

    @property
    def outcomes(self) -> SqlOutcomeRepository:
        return self._open().outcomes

    @property
    def models(self) -> SqlModelRegistry:
        return self._open().models

    @property
    def tenants(self) -> SqlTenantRepository:
        return self._open().tenants

    @property
    def users(self) -> SqlUserRepository:
        return self._open().users

    @property
    def inbox(self) -> SqlInboxRepository:
        return self._open().inbox

    @property
    def deliveries(self) -> SqlDeliveryRepository:
        return self._open().deliveries

    @property
    def webhooks(self) -> SqlWebhookEndpointRepository:
        return self._open().webhooks

    @property
    def batches(self) -> SqlBatchRepository:
        return self._open().batches

    @property
    def refresh_tokens(self) -> SqlRefreshTokenRepository:
        return self._open().refresh_tokens

    @property
    def denylist(self) -> SqlTokenDenylist:
        return self._open().denylist

    @property
    def api_keys(self) -> SqlApiKeyRepository:
        return self._open().api_keys

    @property
    def exports(self) -> SqlExportRepository:
        return self._open().exports

    @property
    def case_flags(self) -> SqlCaseFlagRepository:
        return self._open().case_flags

    @property
    def second_opinions(self) -> SqlSecondOpinionRepository:
        return self._open().second_opinions


def _conforms(engine: Engine) -> UnitOfWork:
    """mypy checks here that SqlUnitOfWork, and so every repository, satisfies its port."""
    return SqlUnitOfWork(engine)
