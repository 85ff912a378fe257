from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.status import (
    ALLOWED_TRANSITIONS,
    FINAL_STATUSES,
    ApplicationStatus,
    FinalStatusChange,
    transition,
)
from domain.errors import IllegalTransition

S = ApplicationStatus
statuses = st.sampled_from(ApplicationStatus)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.PENDING, S.SCORING),
        (S.PENDING, S.CANCELLED),
        (S.SCORING, S.REVIEW),
        (S.SCORING, S.APPROVED),
        (S.SCORING, S.DECLINED),
        (S.REVIEW, S.APPROVED),
        (S.REVIEW, S.DECLINED),
    ],
)
def test_the_lifecycle_allows_its_documented_moves(current: S, target: S) -> None:
    assert transition(current, target) is target


def test_exactly_seven_moves_exist() -> None:
    assert sum(len(targets) for targets in ALLOWED_TRANSITIONS.values()) == 7


@given(statuses.filter(lambda s: s in FINAL_STATUSES), statuses)
def test_property_final_statuses_never_change(current: S, target: S) -> None:
    with pytest.raises(FinalStatusChange):
        transition(current, target)


@given(statuses, statuses)
def test_property_a_move_succeeds_exactly_when_it_is_allowed(current: S, target: S) -> None:
    allowed = target in ALLOWED_TRANSITIONS[current]
    try:
        transition(current, target)
    except IllegalTransition:
        assert not allowed
    else:
        assert allowed


def test_a_refused_move_names_what_is_allowed() -> None:
    with pytest.raises(IllegalTransition, match="allowed: cancelled, scoring"):
        transition(S.PENDING, S.APPROVED)
