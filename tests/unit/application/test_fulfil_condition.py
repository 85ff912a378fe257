from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from application.errors import NotFound
from domain.credit.decisions import (
    Condition,
    ConditionType,
    Decision,
    DecisionDraft,
    DecisionType,
    Terms,
)
from domain.errors import ConflictError, PermissionDenied
from tests.builders import eur
from tests.unit.application.helpers import ANALYST, COLLEAGUE, OUTSIDER, READONLY, Desk


def _conditional(desk: Desk) -> Decision:
    application, _entry = desk.held("LND-1")
    draft = DecisionDraft(
        DecisionType.ANALYST_APPROVE_WITH_CONDITIONS,
        terms=Terms(eur(12_000), 48, Decimal("7.9")),
        conditions=(
            Condition(ConditionType.DOCUMENTATION, "Three months of payslips"),
            Condition(ConditionType.GUARANTOR, "A guarantor signs the contract"),
        ),
    )
    return desk.decide(ANALYST, application.id, draft)


def test_a_condition_is_marked_fulfilled_with_who_and_when(desk: Desk) -> None:
    decision = _conditional(desk)
    desk.clock.advance(timedelta(days=2))

    fulfilled = desk.fulfil(COLLEAGUE, decision.id, 1)

    done = fulfilled.conditions[1]
    assert (done.fulfilled_by, done.fulfilled_at) == (COLLEAGUE.user_id, desk.clock.now())
    assert fulfilled.conditions[0].fulfilled_at is None
    assert desk.decisions_of(decision.application_id) == [fulfilled]
    last = desk.events()[-1]
    assert (last.action, last.entity_id) == ("decision.condition_fulfilled", decision.id)


def test_a_condition_is_fulfilled_once_and_must_exist(desk: Desk) -> None:
    decision = _conditional(desk)
    desk.fulfil(ANALYST, decision.id, 0)
    before = desk.stored()

    with pytest.raises(ConflictError, match="already"):
        desk.fulfil(ANALYST, decision.id, 0)
    with pytest.raises(ConflictError):
        desk.fulfil(ANALYST, decision.id, 2)

    assert desk.stored() == before


def test_fulfilling_needs_the_decision_permission_and_the_tenants_decision(desk: Desk) -> None:
    decision = _conditional(desk)

    with pytest.raises(PermissionDenied):
        desk.fulfil(READONLY, decision.id, 0)
    with pytest.raises(NotFound):
        desk.fulfil(OUTSIDER, decision.id, 0)
