"""A tenant's administrator lists and retries the tenant's own dead jobs, and no one else's."""

from __future__ import annotations

import pytest

from application.credit.dead_jobs import FailedJob, RecordDeadJob
from application.credit.tenant_dead_jobs import ListTenantDeadJobs, RetryTenantDeadJob
from application.errors import NotFound
from domain.errors import PermissionDenied
from domain.identity import Role
from tests.builders import OTHER_TENANT, TENANT, a_principal
from tests.unit.application.helpers import Desk

ADMIN = a_principal(Role.ADMIN)


def _dead(desk: Desk, job_id: str, tenant_id: str) -> None:
    failed = FailedJob(job_id, "application.score", {"tenant_id": tenant_id}, "Boom", 5)
    RecordDeadJob(desk.uow, desk.clock)(failed)


def test_only_the_tenants_own_jobs_are_listed_and_retried() -> None:
    desk = Desk()
    _dead(desk, "mine", TENANT)
    _dead(desk, "theirs", OTHER_TENANT)

    assert [job.id for job in ListTenantDeadJobs(desk.uow)(ADMIN)] == ["mine"]
    retry = RetryTenantDeadJob(desk.uow, desk.clock, desk.ids)
    with pytest.raises(NotFound):
        retry(ADMIN, "theirs")
    message = retry(ADMIN, "mine")
    assert (message.tenant_id, message.topic) == (TENANT, "application.score")
    assert desk.events()[-1].actor == ADMIN.user_id
    assert ListTenantDeadJobs(desk.uow)(ADMIN) == []
    assert [job.id for job in ListTenantDeadJobs(desk.uow)(ADMIN, include_retried=True)] == ["mine"]


def test_it_takes_config_manage() -> None:
    desk = Desk()
    _dead(desk, "mine", TENANT)
    senior = a_principal(Role.SENIOR_ANALYST)
    with pytest.raises(PermissionDenied):
        ListTenantDeadJobs(desk.uow)(senior)
    with pytest.raises(PermissionDenied):
        RetryTenantDeadJob(desk.uow, desk.clock, desk.ids)(senior, "mine")
