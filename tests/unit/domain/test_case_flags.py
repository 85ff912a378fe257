"""Flags and help requests on a case: who may raise them, on which cases, with what words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.case_flags import (
    MAX_HELP_MESSAGE,
    MIN_HELP_MESSAGE,
    CaseAlreadyFlagged,
    CaseNotFlagged,
    FlagReason,
    clear_flag,
    flag,
    request_help,
)
from domain.credit.queue import CaseNotAvailable, QueueStatus, WrongTenant
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission, Role, can
from tests.builders import NOW, OTHER_TENANT, a_principal, a_queue_entry

ANALYST = a_principal(Role.ANALYST, user_id="user-analyst")
OTHER_ANALYST = a_principal(Role.ANALYST, user_id="user-other")
SENIOR = a_principal(Role.SENIOR_ANALYST)
HELD = a_queue_entry(status=QueueStatus.IN_PROGRESS, analyst_id="user-analyst")
MESSAGE = "Is the second income verifiable?"

statuses = st.sampled_from(QueueStatus)
roles = st.sampled_from(Role)
holders = st.sampled_from(["user-analyst", "user-other"])


@given(status=statuses, role=roles, holder=holders)
def test_only_the_holder_or_a_senior_flags_an_open_case(
    status: QueueStatus, role: Role, holder: str
) -> None:
    entry = a_queue_entry(
        status=status,
        analyst_id=holder if status in (QueueStatus.ASSIGNED, QueueStatus.IN_PROGRESS) else None,
    )
    actor = a_principal(role, user_id="user-analyst")
    allowed = entry.is_open and (
        (entry.is_active and entry.analyst_id == actor.user_id)
        or can(actor, Permission.QUEUE_ASSIGN)
    )
    try:
        flagged = flag(entry, None, reason="other", note="", actor=actor, now=NOW)
    except (PermissionDenied, CaseNotAvailable):
        assert not allowed
    else:
        assert allowed
        assert (flagged.entry_id, flagged.flagged_by, flagged.flagged_at) == (
            entry.id,
            actor.user_id,
            NOW,
        )


@given(status=statuses, role=roles, holder=holders)
def test_help_follows_the_same_rule_as_a_flag(status: QueueStatus, role: Role, holder: str) -> None:
    held = status in (QueueStatus.ASSIGNED, QueueStatus.IN_PROGRESS)
    entry = a_queue_entry(status=status, analyst_id=holder if held else None)
    actor = a_principal(role, user_id="user-analyst")
    outcomes = []
    for act in (
        lambda: flag(entry, None, reason="other", note="", actor=actor, now=NOW),
        lambda: request_help(entry, request_id="h-1", message=MESSAGE, actor=actor, now=NOW),
    ):
        try:
            act()
            outcomes.append(True)
        except (PermissionDenied, CaseNotAvailable):
            outcomes.append(False)
    assert outcomes[0] == outcomes[1]


def test_a_decided_case_cannot_be_flagged_even_by_an_admin() -> None:
    done = a_queue_entry(status=QueueStatus.COMPLETED)
    with pytest.raises(CaseNotAvailable):
        flag(done, None, reason="suspected_fraud", note="", actor=a_principal(Role.ADMIN), now=NOW)


@given(message=st.text(max_size=MAX_HELP_MESSAGE + 50))
def test_a_help_message_has_10_to_1000_characters(message: str) -> None:
    fits = len(message.strip()) >= MIN_HELP_MESSAGE and len(message) <= MAX_HELP_MESSAGE
    if not fits:
        with pytest.raises(ValidationFailed) as refused:
            request_help(HELD, request_id="h-1", message=message, actor=ANALYST, now=NOW)
        assert [p.path for p in refused.value.problems] == ["message"]
        return
    asked = request_help(HELD, request_id="h-1", message=message, actor=ANALYST, now=NOW)
    assert asked.message == message.strip()
    assert (asked.requested_by, asked.entry_id) == ("user-analyst", HELD.id)


@given(reason=st.text(max_size=20) | st.sampled_from(FlagReason))
def test_a_flag_reason_is_one_of_the_known_ones(reason: str) -> None:
    try:
        flagged = flag(HELD, None, reason=reason, note="", actor=ANALYST, now=NOW)
    except ValidationFailed:
        assert reason not in set(FlagReason)
    else:
        assert flagged.reason == reason


def test_every_problem_of_a_flag_is_listed_at_once() -> None:
    with pytest.raises(ValidationFailed) as raised:
        flag(HELD, None, reason="gut_feeling", note="x" * 1001, actor=ANALYST, now=NOW)
    assert [p.path for p in raised.value.problems] == ["reason", "note"]


def test_a_case_carries_one_flag_at_a_time() -> None:
    first = flag(HELD, None, reason="document_concern", note="payslip", actor=ANALYST, now=NOW)
    with pytest.raises(CaseAlreadyFlagged):
        flag(HELD, first, reason="other", note="", actor=SENIOR, now=NOW + timedelta(minutes=1))


@given(role=roles)
def test_only_who_approves_overrides_clears_a_flag_and_says_why(role: Role) -> None:
    current = flag(HELD, None, reason="suspected_fraud", note="", actor=ANALYST, now=NOW)
    actor = a_principal(role)
    try:
        cleared = clear_flag(current, entry_id=HELD.id, note="Checked: fine", actor=actor)
    except PermissionDenied:
        assert not can(actor, Permission.DECISION_APPROVE_OVERRIDE)
    else:
        assert cleared == current
        assert role in (Role.SENIOR_ANALYST, Role.ADMIN)
    with pytest.raises(ValidationFailed):
        clear_flag(current, entry_id=HELD.id, note="  ", actor=SENIOR)


def test_clearing_needs_a_flag_of_the_same_tenant() -> None:
    with pytest.raises(CaseNotFlagged):
        clear_flag(None, entry_id=HELD.id, note="nothing here", actor=SENIOR)
    current = flag(HELD, None, reason="other", note="", actor=ANALYST, now=NOW)
    with pytest.raises(WrongTenant):
        clear_flag(
            current,
            entry_id=HELD.id,
            note="not mine",
            actor=a_principal(Role.SENIOR_ANALYST, tenant_id=OTHER_TENANT),
        )
    with pytest.raises(PermissionDenied):
        request_help(HELD, request_id="h-1", message=MESSAGE, actor=OTHER_ANALYST, now=NOW)
