"""Dead jobs as a tenant's administrator sees them: only the tenant's own, listed and retried.

`ListDeadJobs` and `RetryDeadJob` are the platform operator's (the CLI), across tenants. Over
HTTP a tenant's administrator sees and retries the jobs of their own tenant alone; another
tenant's job answers exactly like a missing one.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.dead_jobs import ListDeadJobs, RetryDeadJob
from application.credit.ports import DeadJob, OutboxMessage, UnitOfWork
from application.errors import NotFound
from application.ports import Clock, IdGenerator
from domain.identity import Permission, Principal, authorize


@frozen
class ListTenantDeadJobs:
    uow: UnitOfWork

    def __call__(
        self, principal: Principal, *, limit: int = 50, include_retried: bool = False
    ) -> list[DeadJob]:
        """The tenant's jobs among the latest `limit` dead jobs of the platform."""
        authorize(principal, Permission.CONFIG_MANAGE)
        found = ListDeadJobs(self.uow)(limit=limit, include_retried=include_retried)
        return [job for job in found if job.tenant_id == principal.tenant_id]


@frozen
class RetryTenantDeadJob:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator

    def __call__(self, principal: Principal, job_id: str) -> OutboxMessage:
        authorize(principal, Permission.CONFIG_MANAGE)
        with self.uow:
            job = self.uow.dead_jobs.get(job_id)
        if job is None or job.tenant_id != principal.tenant_id:
            raise NotFound("dead job", job_id)
        return RetryDeadJob(self.uow, self.clock, self.ids)(job_id, actor=principal.user_id)
