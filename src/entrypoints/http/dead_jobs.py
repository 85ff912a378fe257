"""`/api/v1/jobs/dead`: the tenant's background jobs that failed on every attempt, and a retry.

Config:manage, as the other operations of a tenant's administrator; each tenant sees and
retries only its own jobs (`application.credit.tenant_dead_jobs`).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery

from adapters.serialization import unstructure
from application.credit.tenant_dead_jobs import ListTenantDeadJobs, RetryTenantDeadJob
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import UpTo1000

BASE = "/api/v1/jobs/dead"
_P = Permission


class DeadJobsController(Controller):
    path = BASE
    tags = ["jobs"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get(summary="The tenant's dead jobs, newest first", operation_id="listDeadJobs",
         sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def list_dead(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        limit: UpTo1000 = 50,
        include_retried: FromQuery[bool] = False,
    ) -> dict[str, Any]:
        found = ListTenantDeadJobs(deps.uow())(
            principal, limit=limit, include_retried=include_retried
        )
        return {"items": [unstructure(job) for job in found]}

    @post("/{job_id:str}/retry", summary="Send a dead job again", operation_id="retryDeadJob",
          status_code=202, sync_to_thread=True, **requires(_P.CONFIG_MANAGE))  # fmt: skip
    def retry(
        self, deps: AppDeps, principal: CurrentPrincipal, job_id: FromPath[str]
    ) -> dict[str, Any]:
        message = RetryTenantDeadJob(deps.uow(), deps.clock, deps.ids)(principal, job_id)
        return {"job_id": job_id, "message_id": message.id, "topic": message.topic}
