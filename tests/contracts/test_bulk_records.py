"""The contract of the bulk writes of shadow scores, decisions and queue entries: `add_many`
stores what `add` stores one by one, in one go, all or none (tests/contracts/twins.py says how
the two forms are compared)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.decisions import DecisionStatus, DecisionType
from tests.builders import NOW, TENANT, a_decision, a_queue_entry, a_shadow_score
from tests.contracts.twins import APPS, LATER, added_both_ways, same_in_both, stored_in_both


def test_add_many_shadow_scores_stores_what_add_stores(uow: UnitOfWork) -> None:
    stored_in_both(uow)

    def shadows(tenant_id: str) -> list[Any]:
        return [
            a_shadow_score(
                tenant_id=tenant_id,
                application_id=i,
                model_version=v,
                scored_at=NOW + timedelta(minutes=n),
            )
            for n, (i, v) in enumerate([("app-1", "v-1"), ("app-2", "v-1"), ("app-1", "v-2")])
        ]

    with uow:
        added_both_ways(shadows, uow.shadow_scores.add, uow.shadow_scores.add_many)
        uow.commit()

    same_in_both(uow, lambda t: [uow.shadow_scores.for_application(t, i) for i in APPS])
    same_in_both(uow, lambda t: uow.shadow_scores.for_model(t, "v-1", limit=10))


def test_add_many_decisions_stores_what_add_stores(uow: UnitOfWork) -> None:
    stored_in_both(uow)

    def decisions(tenant_id: str) -> list[Any]:
        return [
            a_decision(id="d-1", tenant_id=tenant_id, application_id="app-1"),
            a_decision(
                id="d-2",
                tenant_id=tenant_id,
                application_id="app-2",
                decision_type=DecisionType.AUTO_DECLINE,
                decided_at=LATER,
            ),
            a_decision(
                id="d-3",
                tenant_id=tenant_id,
                application_id="app-3",
                status=DecisionStatus.AWAITING_OVERRIDE_APPROVAL,
            ),
        ]

    with uow:
        added_both_ways(decisions, uow.decisions.add, uow.decisions.add_many)
        uow.commit()

    same_in_both(uow, lambda t: [uow.decisions.for_application(t, i) for i in APPS])
    same_in_both(uow, lambda t: uow.decisions.awaiting_override(t))  # noqa: PLW0108 - read in the unit of work


def test_add_many_queue_entries_stores_what_add_stores(uow: UnitOfWork) -> None:
    stored_in_both(uow)

    def entries(tenant_id: str) -> list[Any]:
        return [
            a_queue_entry(id=f"e-{n}", tenant_id=tenant_id, application_id=i, priority=10 * n)
            for n, i in enumerate(APPS, start=1)
        ]

    with uow:
        added_both_ways(entries, uow.queue.add, uow.queue.add_many)
        uow.commit()

    same_in_both(uow, lambda t: [uow.queue.open_for_application(t, i) for i in APPS])


def _refused(uow: UnitOfWork, write: Callable[[], None], read: Callable[[], Any]) -> None:
    """`write` is refused as a whole: `AlreadyExists`, `read` as before, the unit of work usable."""
    before = read()
    with pytest.raises(AlreadyExists):
        write()
    assert read() == before
    uow.commit()


def test_a_bulk_write_with_one_taken_key_stores_none(uow: UnitOfWork) -> None:
    stored_in_both(uow)
    with uow:
        uow.decisions.add(a_decision(id="d-1", application_id="app-1"))
        uow.queue.add(a_queue_entry(id="e-1", application_id="app-1"))
        uow.shadow_scores.add(a_shadow_score(application_id="app-1"))
        uow.commit()

    def stored() -> Any:
        return [
            [uow.decisions.for_application(TENANT, i) for i in APPS],
            [uow.queue.open_for_application(TENANT, i) for i in APPS],
            [uow.shadow_scores.for_application(TENANT, i) for i in APPS],
        ]

    with uow:
        two_finals = [
            a_decision(id="d-2", application_id="app-2"),
            a_decision(id="d-3", application_id="app-2"),
        ]
        _refused(uow, lambda: uow.decisions.add_many(two_finals), stored)
        taken = [a_decision(id="d-4", application_id="app-3"), a_decision(id="d-1")]
        _refused(uow, lambda: uow.decisions.add_many(taken), stored)
        second_open = [a_queue_entry(id="e-2", application_id="app-2"), a_queue_entry(id="e-3")]
        _refused(uow, lambda: uow.queue.add_many(second_open), stored)
        scored_twice = [a_shadow_score(application_id="app-2"), a_shadow_score()]
        _refused(uow, lambda: uow.shadow_scores.add_many(scored_twice), stored)
        uow.decisions.add_many([a_decision(id="d-2", application_id="app-2")])
        uow.commit()

    with uow:
        assert [d.id for d in uow.decisions.for_application(TENANT, "app-2")] == ["d-2"]
        assert uow.queue.open_for_application(TENANT, "app-2") is None
        assert uow.shadow_scores.for_application(TENANT, "app-2") == []


def test_a_bulk_write_needs_the_stored_applications(uow: UnitOfWork) -> None:
    stored_in_both(uow, ["app-1"])
    with uow, pytest.raises(RecordNotFound):
        uow.shadow_scores.add_many([a_shadow_score(), a_shadow_score(application_id="app-404")])
    with uow:
        assert uow.shadow_scores.for_application(TENANT, "app-1") == []
