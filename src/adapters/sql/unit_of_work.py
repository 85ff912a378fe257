"""The unit of work over SQL: one connection and one transaction per `with` block."""

from __future__ import annotations

from types import TracebackType
from typing import Self

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
from adapters.sql.transaction import Transaction
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


class SqlUnitOfWork:
    """`with uow:` checks a connection out of the engine's pool and begins a transaction;
    `commit()` makes its writes durable, and leaving the block rolls back whatever was not
    committed (an exception included, which then propagates) and returns the connection.

    One unit of work serves one thread at a time; make one per request or job.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._db: Transaction | None = None
        self._repositories: _Repositories | None = None

    def _open(self) -> _Repositories:
        if self._repositories is None:
            raise RuntimeError("use the repositories inside `with uow:`")
        return self._repositories

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

    def __enter__(self) -> Self:
        if self._db is not None:
            raise RuntimeError("this unit of work is already open")
        self._db = Transaction(self._engine.connect())
        self._repositories = _Repositories(self._db)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        db, self._db, self._repositories = self._db, None, None
        if db is None:
            return
        try:
            db.rollback()
        finally:
            db.connection.close()

    def commit(self) -> None:
        self._transaction().commit()

    def rollback(self) -> None:
        self._transaction().rollback()

    def _transaction(self) -> Transaction:
        if self._db is None:
            raise RuntimeError("commit and rollback happen inside `with uow:`")
        return self._db


def _conforms(engine: Engine) -> UnitOfWork:
    """mypy checks here that SqlUnitOfWork, and so every repository, satisfies its port."""
    return SqlUnitOfWork(engine)
