"""The contract of `SecondOpinionRepository`: every ask kept whole, newest first, each kept to
its tenant. Every implementation passes it, the fake and the SQL adapter on SQLite and
PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.second_opinion import KeyFactor, RiskLevel, SecondOpinion, SuggestedOutcome
from domain.credit.second_opinion_record import (
    OpinionOutcome,
    OpinionTrigger,
    SecondOpinionRecord,
)
from tests.builders import NOW, OTHER_TENANT, TENANT
from tests.contracts.parents import with_parents

OPINION = SecondOpinion(
    SuggestedOutcome.REVIEW,
    RiskLevel.HIGH,
    (
        KeyFactor("Debt to income", "0.46: almost half the income goes to debt — ünïcode"),
        KeyFactor("Savings", "Savings cover 0.2 of the loan"),
    ),
    0.62,
)


def answered(record_id: str, minute: int = 0, application_id: str = "app-1") -> SecondOpinionRecord:
    return SecondOpinionRecord(
        id=record_id,
        tenant_id=TENANT,
        application_id=application_id,
        at=NOW + timedelta(minutes=minute),
        trigger=OpinionTrigger.SCORING,
        outcome=OpinionOutcome.ANSWERED,
        opinion=OPINION,
        model="gpt-4o-mini",
        prompt_version="credit-second-opinion/1",
        input_tokens=812,
        output_tokens=164,
        cost=Decimal("0.000219"),
        latency_ms=843.25,
        routing_changed=True,
    )


def fallback(record_id: str, minute: int = 0) -> SecondOpinionRecord:
    return SecondOpinionRecord(
        id=record_id,
        tenant_id=TENANT,
        application_id="app-1",
        at=NOW + timedelta(minutes=minute),
        trigger=OpinionTrigger.REQUESTED,
        outcome=OpinionOutcome.FALLBACK,
        opinion=None,
        model="gpt-4o-mini",
        prompt_version="credit-second-opinion/1",
        fallback_cause="schema_mismatch",
        input_tokens=800,
        output_tokens=12,
        requested_by="user-analyst",
    )


def _with_applications(uow: UnitOfWork) -> None:
    for tenant_id in (TENANT, OTHER_TENANT):
        with_parents(uow, tenant_id=tenant_id, application_ids=["app-1", "app-2"])


def test_records_come_back_exactly_newest_first(uow: UnitOfWork) -> None:
    with uow:
        _with_applications(uow)
        uow.second_opinions.add_many([answered("so-1", 0), fallback("so-2", 5)])
        uow.second_opinions.add_many([answered("so-3", 5), answered("so-4", 1, "app-2")])
        uow.second_opinions.add_many([])
        uow.commit()
    with uow:
        found = uow.second_opinions.of_application(TENANT, "app-1")
        assert found == [answered("so-3", 5), fallback("so-2", 5), answered("so-1", 0)]
        assert uow.second_opinions.of_application(TENANT, "app-1", limit=1) == [answered("so-3", 5)]
        assert uow.second_opinions.of_application(TENANT, "app-2") == [answered("so-4", 1, "app-2")]
        assert uow.second_opinions.of_application(OTHER_TENANT, "app-1") == []


def test_an_id_is_taken_once_and_a_batch_is_stored_whole_or_not_at_all(uow: UnitOfWork) -> None:
    with uow:
        _with_applications(uow)
        uow.second_opinions.add_many([answered("so-1")])
        uow.commit()
    with uow:
        with pytest.raises(AlreadyExists):
            uow.second_opinions.add_many([answered("so-2", 1), answered("so-1", 2)])
        uow.commit()
    with uow:
        assert uow.second_opinions.of_application(TENANT, "app-1") == [answered("so-1")]


def test_a_record_needs_a_stored_application_of_its_tenant(uow: UnitOfWork) -> None:
    with uow:
        _with_applications(uow)
        uow.commit()
    with uow, pytest.raises(RecordNotFound):
        uow.second_opinions.add_many([answered("so-1", application_id="app-9")])


def test_an_uncommitted_record_is_not_kept(uow: UnitOfWork) -> None:
    with uow:
        _with_applications(uow)
        uow.commit()
    with uow:
        uow.second_opinions.add_many([answered("so-1")])
    with uow:
        assert uow.second_opinions.of_application(TENANT, "app-1") == []
