from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.credit.ports import UnitOfWork
from application.credit.queries import ApplicationQuery
from application.ports import AlreadyExists, RecordNotFound
from domain.audit import ChainMismatch
from domain.credit.decisions import DecisionStatus
from domain.credit.policy_versions import VersionStatus
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.credit.validation import problems
from tests.builders import (
    NOW,
    OTHER_TENANT,
    TENANT,
    TODAY,
    a_decision,
    a_model_score,
    a_policy_version,
    a_queue_entry,
    a_routing_policy,
    a_scoring_result,
    a_tenant,
    a_user,
    an_application,
    an_application_form,
    an_audit_event,
    an_idempotency_record,
    an_outbox_message,
)
from tests.contracts.parents import with_parents, with_tenants
from tests.fakes import InMemoryUnitOfWork


def test_the_default_builders_make_a_valid_application() -> None:
    assert problems(an_application_form(), today=TODAY) == ()
    assert problems(an_application().form, today=TODAY) == ()


def test_an_added_application_is_found_by_id_and_external_id(uow: UnitOfWork) -> None:
    application = an_application(id="app-1", external_id="LND-77")
    with uow:
        with_parents(uow)
        uow.applications.add(application)
        uow.commit()

    with uow:
        assert uow.applications.get(TENANT, "app-1") == application
        assert uow.applications.get_by_external_id(TENANT, "LND-77") == application
        assert uow.applications.get(TENANT, "app-2") is None
        assert uow.applications.get_by_external_id(TENANT, "LND-78") is None


def test_another_tenant_never_sees_an_application(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.applications.add(an_application(id="app-1", external_id="LND-77"))
        uow.commit()

    with uow:
        assert uow.applications.get(OTHER_TENANT, "app-1") is None
        assert uow.applications.get_by_external_id(OTHER_TENANT, "LND-77") is None
        with pytest.raises(RecordNotFound):
            uow.applications.update(an_application(id="app-1", tenant_id=OTHER_TENANT))


def test_an_update_replaces_the_stored_application(uow: UnitOfWork) -> None:
    application = an_application(id="app-1")
    scoring = evolve(
        application, status=ApplicationStatus.SCORING, updated_at=NOW + timedelta(minutes=1)
    )
    with uow:
        with_parents(uow)
        uow.applications.add(application)
        uow.commit()
    with uow:
        uow.applications.update(scoring)
        uow.commit()

    with uow:
        assert uow.applications.get(TENANT, "app-1") == scoring


def test_updating_an_unknown_application_raises(uow: UnitOfWork) -> None:
    with uow, pytest.raises(RecordNotFound):
        uow.applications.update(an_application(id="app-404"))


def test_ids_and_external_ids_are_unique_per_tenant(uow: UnitOfWork) -> None:
    with uow:
        with_tenants(uow, TENANT, OTHER_TENANT)
        uow.applications.add(an_application(id="app-1", external_id="LND-77"))
        uow.commit()

    with uow:
        with pytest.raises(AlreadyExists):
            uow.applications.add(an_application(id="app-1", external_id="LND-78"))
        with pytest.raises(AlreadyExists):
            uow.applications.add(an_application(id="app-2", external_id="LND-77"))
        uow.applications.add(
            an_application(id="app-3", tenant_id=OTHER_TENANT, external_id="LND-77")
        )
        uow.commit()

    with uow:
        assert uow.applications.get_by_external_id(OTHER_TENANT, "LND-77") is not None


def test_latest_scoring_result_is_the_newest_not_the_last_added(uow: UnitOfWork) -> None:
    newest = a_scoring_result(application_id="app-1", scored_at=NOW + timedelta(hours=2))
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        assert uow.scoring_results.latest(TENANT, "app-1") is None
        uow.scoring_results.add(a_scoring_result(application_id="app-1", scored_at=NOW))
        uow.scoring_results.add(newest)
        uow.scoring_results.add(a_scoring_result(application_id="app-1", scored_at=NOW))
        uow.scoring_results.add(
            a_scoring_result(application_id="app-2", scored_at=NOW + timedelta(days=1))
        )
        uow.commit()

    with uow:
        assert uow.scoring_results.latest(TENANT, "app-1") == newest
        assert uow.scoring_results.latest(OTHER_TENANT, "app-1") is None


def test_among_results_scored_at_the_same_time_the_last_added_is_latest(
    uow: UnitOfWork,
) -> None:
    results = [
        a_scoring_result(application_id="app-1", model=a_model_score(probability_of_default=pd))
        for pd in (0.3, 0.1, 0.2)
    ]
    with uow:
        with_parents(uow)
        uow.applications.add(an_application(id="app-1"))
        for result in results:
            uow.scoring_results.add(result)
        uow.commit()

    with uow:
        assert uow.scoring_results.latest(TENANT, "app-1") == results[-1]
        listed = uow.applications.search(TENANT, ApplicationQuery())
        assert [item.score for item in listed.items] == [results[-1].model.score]


def test_queue_entries_round_trip_and_stay_in_their_tenant(uow: UnitOfWork) -> None:
    entry = a_queue_entry(id="entry-1")
    assigned = evolve(entry, status=QueueStatus.ASSIGNED, analyst_id="user-7", assigned_at=NOW)
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.queue.add(entry)
        with pytest.raises(AlreadyExists):
            uow.queue.add(entry)
        uow.commit()
    with uow:
        uow.queue.update(assigned)
        with pytest.raises(RecordNotFound):
            uow.queue.update(a_queue_entry(id="entry-404"))
        uow.commit()

    with uow:
        assert uow.queue.get(TENANT, "entry-1") == assigned
        assert uow.queue.get(OTHER_TENANT, "entry-1") is None


def test_open_for_application_finds_the_entry_until_it_completes(uow: UnitOfWork) -> None:
    entry = a_queue_entry(id="entry-1", application_id="app-1", status=QueueStatus.IN_PROGRESS)
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        uow.queue.add(
            a_queue_entry(id="entry-0", application_id="app-1", status=QueueStatus.COMPLETED)
        )
        uow.queue.add(entry)
        uow.queue.add(a_queue_entry(id="entry-2", application_id="app-2"))
        uow.commit()

    with uow:
        assert uow.queue.open_for_application(TENANT, "app-1") == entry
        assert uow.queue.open_for_application(OTHER_TENANT, "app-1") is None
        assert uow.queue.open_for_application(TENANT, "app-3") is None
        uow.queue.update(evolve(entry, status=QueueStatus.COMPLETED, completed_at=NOW))
        uow.commit()

    with uow:
        assert uow.queue.open_for_application(TENANT, "app-1") is None


def test_latest_for_application_finds_open_and_completed_entries(uow: UnitOfWork) -> None:
    older = a_queue_entry(id="entry-a", application_id="app-1", status=QueueStatus.COMPLETED)
    newer = a_queue_entry(
        id="entry-b",
        application_id="app-1",
        status=QueueStatus.COMPLETED,
        entered_at=NOW + timedelta(hours=1),
    )
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2"])
        uow.queue.add(newer)
        uow.queue.add(older)
        uow.commit()

    with uow:
        assert uow.queue.latest_for_application(TENANT, "app-1") == newer
        assert uow.queue.latest_for_application(TENANT, "app-2") is None
        assert uow.queue.latest_for_application(OTHER_TENANT, "app-1") is None


def test_active_count_counts_the_analysts_held_cases_only(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=[f"app-{number}" for number in range(1, 6)])
        for number, status, analyst in [
            (1, QueueStatus.ASSIGNED, "user-7"),
            (2, QueueStatus.IN_PROGRESS, "user-7"),
            (3, QueueStatus.COMPLETED, "user-7"),
            (4, QueueStatus.ASSIGNED, "user-8"),
            (5, QueueStatus.PENDING, None),
        ]:
            uow.queue.add(
                a_queue_entry(
                    id=f"entry-{number}",
                    application_id=f"app-{number}",
                    status=status,
                    analyst_id=analyst,
                )
            )
        uow.commit()

    with uow:
        assert uow.queue.active_count(TENANT, "user-7") == 2
        assert uow.queue.active_count(TENANT, "user-8") == 1
        assert uow.queue.active_count(TENANT, "user-9") == 0
        assert uow.queue.active_count(OTHER_TENANT, "user-7") == 0


_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)


@_settings
@given(offsets=st.lists(st.integers(min_value=-10_000, max_value=10_000), max_size=8))
def test_decisions_of_an_application_come_oldest_first(
    new_uow: Callable[[], UnitOfWork], offsets: list[int]
) -> None:
    tenant = f"tenant-{uuid.uuid4()}"  # a fresh tenant is an empty store, by tenant isolation
    uow = new_uow()
    with uow:
        with_parents(uow, tenant_id=tenant, application_ids=["app-1", "app-2"])
        for number, offset in enumerate(offsets):
            decided_at = NOW + timedelta(minutes=offset)
            uow.decisions.add(
                a_decision(
                    id=f"d-{number}",
                    tenant_id=tenant,
                    decided_at=decided_at,
                    status=DecisionStatus.REVERTED,
                )
            )
        uow.decisions.add(a_decision(id="other", tenant_id=tenant, application_id="app-2"))
        uow.commit()

    with uow:
        found = uow.decisions.for_application(tenant, "app-1")
        assert sorted(d.id for d in found) == sorted(f"d-{n}" for n in range(len(offsets)))
        assert [d.decided_at for d in found] == sorted(d.decided_at for d in found)
        assert uow.decisions.for_application(OTHER_TENANT, "app-1") == []


def test_an_application_has_one_final_decision_at_most(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.decisions.add(a_decision(id="reverted", status=DecisionStatus.REVERTED))
        uow.decisions.add(a_decision(id="first", status=DecisionStatus.FINAL))
        with pytest.raises(AlreadyExists):
            uow.decisions.add(a_decision(id="second", status=DecisionStatus.FINAL))
        uow.commit()
    with uow:
        found = uow.decisions.for_application(TENANT, "app-1")
        assert {d.id for d in found} == {"reverted", "first"}


def test_decisions_round_trip_and_update(uow: UnitOfWork) -> None:
    decision = a_decision(id="decision-1", status=DecisionStatus.AWAITING_OVERRIDE_APPROVAL)
    final = evolve(decision, status=DecisionStatus.FINAL)
    with uow:
        with_parents(uow, application_ids=["app-1"])
        uow.decisions.add(decision)
        with pytest.raises(AlreadyExists):
            uow.decisions.add(decision)
        uow.commit()
    with uow:
        assert uow.decisions.get(TENANT, "decision-1") == decision
        assert uow.decisions.get(OTHER_TENANT, "decision-1") is None
        uow.decisions.update(final)
        with pytest.raises(RecordNotFound):
            uow.decisions.update(a_decision(id="decision-404"))
        uow.commit()

    with uow:
        assert uow.decisions.get(TENANT, "decision-1") == final


def test_awaiting_override_lists_only_waiting_decisions_oldest_first(uow: UnitOfWork) -> None:
    waiting = DecisionStatus.AWAITING_OVERRIDE_APPROVAL
    later = a_decision(id="d-later", application_id="app-1", status=waiting, decided_at=NOW)
    earlier = a_decision(
        id="d-earlier", application_id="app-2", status=waiting, decided_at=NOW - timedelta(hours=3)
    )
    with uow:
        with_parents(uow, application_ids=["app-1", "app-2", "app-3"])
        with_parents(uow, tenant_id=OTHER_TENANT, application_ids=["app-1"])
        uow.decisions.add(later)
        uow.decisions.add(a_decision(id="d-final", application_id="app-3"))
        uow.decisions.add(earlier)
        uow.decisions.add(a_decision(id="d-other", tenant_id=OTHER_TENANT, status=waiting))
        uow.commit()

    with uow:
        assert uow.decisions.awaiting_override(TENANT) == [earlier, later]
        uow.decisions.update(evolve(earlier, status=DecisionStatus.REVERTED))
        assert uow.decisions.awaiting_override(TENANT) == [later]


def _write_one_of_everything(uow: UnitOfWork) -> None:
    uow.tenants.add(a_tenant(id=TENANT))  # first: every other record refers to it
    uow.applications.add(an_application(id="app-1"))
    uow.scoring_results.add(a_scoring_result(application_id="app-1"))
    uow.queue.add(a_queue_entry(id="entry-1", application_id="app-1"))
    uow.decisions.add(a_decision(id="decision-1", application_id="app-1"))
    uow.policies.add(a_policy_version(version=1, status=VersionStatus.APPROVED))
    uow.policies.activate(TENANT, 1)
    uow.audit.append(an_audit_event())
    uow.outbox.add(an_outbox_message(id="m-1"))
    uow.idempotency.add(an_idempotency_record(key="idem-1"))
    uow.users.add(a_user(id="user-1"))


def _nothing_was_written(uow: UnitOfWork) -> None:
    with uow:
        assert uow.applications.get(TENANT, "app-1") is None
        assert uow.scoring_results.latest(TENANT, "app-1") is None
        assert uow.queue.get(TENANT, "entry-1") is None
        assert uow.decisions.get(TENANT, "decision-1") is None
        assert uow.policies.active(TENANT) is None
        assert uow.policies.versions(TENANT) == []
        assert uow.audit.head(TENANT) is None
        assert uow.outbox.pending(10) == []
        assert uow.idempotency.get(TENANT, "idem-1") is None
        assert uow.tenants.get(TENANT) is None
        assert uow.users.get(TENANT, "user-1") is None


def test_a_transaction_reads_its_own_writes_and_commit_publishes_them(
    new_uow: Callable[[], UnitOfWork],
) -> None:
    writer, reader = new_uow(), new_uow()
    with writer:
        _write_one_of_everything(writer)
        assert writer.applications.get(TENANT, "app-1") is not None
        assert writer.audit.head(TENANT) is not None
        _nothing_was_written(reader)
        writer.commit()

    with reader:
        assert reader.applications.get(TENANT, "app-1") == an_application(id="app-1")
        assert reader.scoring_results.latest(TENANT, "app-1") is not None
        assert reader.queue.open_for_application(TENANT, "app-1") is not None
        assert reader.decisions.for_application(TENANT, "app-1") != []
        assert reader.policies.active(TENANT) == a_routing_policy(version=1)
        assert reader.audit.events(TENANT) == [an_audit_event()]
        assert [m.id for m in reader.outbox.pending(10)] == ["m-1"]
        assert reader.idempotency.get(TENANT, "idem-1") == an_idempotency_record(key="idem-1")
        assert reader.tenants.get(TENANT) == a_tenant(id=TENANT)
        assert reader.users.get(TENANT, "user-1") == a_user(id="user-1")


def test_leaving_without_commit_discards_everything(uow: UnitOfWork) -> None:
    with uow:
        _write_one_of_everything(uow)

    _nothing_was_written(uow)


def test_an_exception_discards_everything_and_propagates(uow: UnitOfWork) -> None:
    def fail_at_the_last_step() -> None:
        with uow:
            _write_one_of_everything(uow)
            uow.audit.append(an_audit_event())  # a second "first" event: refused

    with pytest.raises(ChainMismatch):
        fail_at_the_last_step()

    _nothing_was_written(uow)


def test_rollback_discards_only_what_came_after_the_last_commit(uow: UnitOfWork) -> None:
    with uow:
        with_parents(uow)
        uow.applications.add(an_application(id="app-kept"))
        uow.commit()
        uow.applications.add(an_application(id="app-rolled-back"))
        uow.rollback()
        assert uow.applications.get(TENANT, "app-rolled-back") is None
        uow.applications.add(an_application(id="app-never-committed"))

    with uow:
        assert uow.applications.get(TENANT, "app-kept") is not None
        assert uow.applications.get(TENANT, "app-rolled-back") is None
        assert uow.applications.get(TENANT, "app-never-committed") is None


def test_the_fake_records_which_units_of_work_committed() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.commit()
    with uow:
        pass
    with pytest.raises(RuntimeError), uow:
        raise RuntimeError("boom")

    assert uow.committed == [True, False, False]
    with pytest.raises(RuntimeError, match="inside"):
        _ = uow.applications
