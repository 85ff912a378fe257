"""`seed_demo` on a fresh SQLite database and object store: the demo tenant as `serve --demo`
finds it, built through the real use cases, and a second seeding that changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from adapters.security.passwords import Argon2PasswordHasher
from adapters.sql.schema import metadata
from application.credit.audit import VerifyAuditChain
from domain.credit.decisions import Decision, DecisionStatus
from domain.credit.overrides import OverrideStatus
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.identity import Role
from entrypoints import composition, settings
from entrypoints.composition import Deps
from entrypoints.demo import DEMO_LOGINS, DemoLogins, seed_demo
from entrypoints.demo.forms import external_id

APPLICATIONS = 60
HASHER = Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Deps, DemoLogins]]:
    folder: Path = tmp_path_factory.mktemp("demo")
    deps = composition.build(settings.load({"CREDITDESK_DATA_DIR": str(folder)}))
    logins = seed_demo(deps, hasher=HASHER, applications=APPLICATIONS)
    yield deps, logins
    deps.close()


def _tenant_id(deps: Deps) -> str:
    with deps.uow() as uow:
        tenant = uow.tenants.get_by_slug(DEMO_LOGINS.tenant_slug)
    assert tenant is not None
    return tenant.id


def _row_counts(deps: Deps) -> dict[str, int]:
    with deps.engine.connect() as connection:
        return {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }


def test_one_user_per_role_logs_in_with_the_printed_password(
    seeded: tuple[Deps, DemoLogins],
) -> None:
    deps, logins = seeded
    tenant_id = _tenant_id(deps)
    assert {login.role for login in logins.logins} == set(Role)
    with deps.uow() as uow:
        for login in logins.logins:
            user = uow.users.get_by_email(tenant_id, login.email)
            assert user is not None, login.email
            assert user.role is login.role
            assert HASHER.verify(user.password_hash, login.password)
            assert not HASHER.verify(user.password_hash, login.password + "x")


def test_a_champion_serves_the_tenant(seeded: tuple[Deps, DemoLogins]) -> None:
    deps, _ = seeded
    with deps.uow() as uow:
        champion = uow.models.champion(_tenant_id(deps))
    assert champion is not None
    assert champion.pending_promotion is None
    assert (champion.metric("auc") or 0.0) > 0.7


def _reached(decision: Decision) -> set[str]:
    states = {f"decision:{decision.status.value}"}
    if decision.override is not None:
        states.add(f"override:{decision.override.status.value}")
    if any(condition.fulfilled_at is not None for condition in decision.conditions):
        states.add("conditions_met")
    return states


def test_applications_are_in_every_state(seeded: tuple[Deps, DemoLogins]) -> None:
    deps, _ = seeded
    tenant_id = _tenant_id(deps)
    states: set[str] = set()
    with deps.uow() as uow:
        ids = uow.applications.ids_by_external_id(
            tenant_id, [external_id(n) for n in range(1, APPLICATIONS + 1)]
        )
        assert len(ids) == APPLICATIONS
        applications = uow.applications.get_many(tenant_id, list(ids.values()))
        for application in applications.values():
            states.add(f"application:{application.status.value}")
            entry = uow.queue.latest_for_application(tenant_id, application.id)
            if entry is not None:
                states.add(f"case:{entry.status.value}")
            for decision in uow.decisions.for_application(tenant_id, application.id):
                states |= _reached(decision)
    expected = {
        f"application:{ApplicationStatus.CANCELLED.value}",
        f"application:{ApplicationStatus.APPROVED.value}",
        f"application:{ApplicationStatus.DECLINED.value}",
        f"application:{ApplicationStatus.REVIEW.value}",
        *(f"case:{status.value}" for status in QueueStatus),
        *(f"decision:{status.value}" for status in DecisionStatus),
        *(f"override:{status.value}" for status in OverrideStatus),
        "conditions_met",
    }
    assert expected <= states, expected - states
    submitted = sorted(a.submitted_at for a in applications.values())
    assert submitted[-1] - submitted[0] > timedelta(days=14)  # weeks of business, not a burst
    assert submitted[-1] <= deps.clock.now()


def test_the_audit_chain_of_the_tenant_verifies(seeded: tuple[Deps, DemoLogins]) -> None:
    deps, _ = seeded
    tenant_id = _tenant_id(deps)
    with deps.uow() as uow:
        admin = uow.users.get_by_email(tenant_id, DEMO_LOGINS.by_key("admin").email)
    assert admin is not None
    verification = VerifyAuditChain(deps.uow())(admin.principal())
    assert verification.ok, verification
    assert verification.checked > APPLICATIONS * 2


def test_seeding_again_changes_nothing(seeded: tuple[Deps, DemoLogins]) -> None:
    deps, logins = seeded
    before = _row_counts(deps)
    assert before["applications"] > APPLICATIONS  # the imported history as well
    assert seed_demo(deps, hasher=HASHER, applications=APPLICATIONS) == logins
    assert _row_counts(deps) == before
