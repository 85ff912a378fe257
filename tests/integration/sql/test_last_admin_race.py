"""Two admins stepping each other down at the same moment: one wins, the tenant keeps an admin.

Each side counts the tenant's active admins before its change. Were both counts taken before
either change was committed, both would see two admins and both would pass, leaving none. The
count here is staged to meet: each side waits (a moment, at most) for the other to reach its
count too, so without the use case's serialization both would count at once.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

import pytest
from sqlalchemy import Engine

from adapters.sql import SqlUnitOfWork
from adapters.sql.repositories.tenancy import SqlUserRepository
from adapters.sql.transaction import Transaction
from application.credit.admin import UpdateUser, UserChanges
from domain.errors import ConflictError
from domain.identity import Role
from domain.tenancy import User
from tests.builders import TENANT, a_principal, a_tenant, a_user
from tests.fakes import FakePasswordHasher, FixedClock

pytestmark = pytest.mark.integration

MEET_WITHIN = 1.0  # seconds a side waits at its count for the other side to arrive


class _CountingTogether(SqlUserRepository):
    def __init__(self, db: Transaction, meeting: threading.Barrier) -> None:
        super().__init__(db)
        self._meeting = meeting

    def list(self, tenant_id: str) -> list[User]:
        # When the other side is held back (by the lock under test), count alone.
        with suppress(threading.BrokenBarrierError):
            self._meeting.wait(timeout=MEET_WITHIN)
        return super().list(tenant_id)


class _MeetingUnitOfWork(SqlUnitOfWork):
    def __init__(self, engine: Engine, meeting: threading.Barrier) -> None:
        super().__init__(engine)
        self._meeting = meeting

    @property
    def users(self) -> SqlUserRepository:
        self._open()  # inside `with uow:`, as the real property insists
        assert self._db is not None
        return _CountingTogether(self._db, self._meeting)


def _step_down(engine: Engine, meeting: threading.Barrier, actor: str, target: str) -> str:
    use = UpdateUser(_MeetingUnitOfWork(engine, meeting), FixedClock(), FakePasswordHasher())
    try:
        use(a_principal(Role.ADMIN, user_id=actor), target, UserChanges(active=False))
    except ConflictError:
        return "refused"
    return "done"


def test_two_admins_deactivating_each_other_at_once_leave_one_active(engine: Engine) -> None:
    with SqlUnitOfWork(engine) as uow:
        uow.tenants.add(a_tenant(id=TENANT, slug="tenant-a"))
        for n, user_id in enumerate(("user-ana", "user-bo")):
            uow.users.add(a_user(id=user_id, email=f"admin{n}@example.com", role=Role.ADMIN))
        uow.commit()
    meeting = threading.Barrier(2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes = sorted(
            future.result(timeout=60)
            for future in [
                pool.submit(_step_down, engine, meeting, "user-ana", "user-bo"),
                pool.submit(_step_down, engine, meeting, "user-bo", "user-ana"),
            ]
        )

    assert outcomes == ["done", "refused"]
    with SqlUnitOfWork(engine) as uow:
        admins = [u for u in uow.users.list(TENANT) if u.active and u.role is Role.ADMIN]
    assert len(admins) == 1
