"""Help requests and flags on a case through the use cases: each stored with its audit event,
the seniors told of a help request through the outbox, and nothing kept when a rule refuses."""

from __future__ import annotations

import pytest

from application.credit.case_flagging import (
    ClearFlag,
    FlagCase,
    FlagsOfCases,
    GetCaseAttention,
    RequestHelp,
)
from application.credit.recording import Topic
from application.errors import NotFound
from domain.credit.case_flags import CaseAlreadyFlagged, CaseNotFlagged, FlagReason
from domain.credit.queue import CaseNotAvailable
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Principal
from tests.unit.application.helpers import (
    ANALYST,
    COLLEAGUE,
    OUTSIDER,
    READONLY,
    SENIOR,
    SENIOR_2,
    approval,
)
from tests.unit.application.notification_desk import NotificationDesk

QUESTION = "Is the second income on the payslip verifiable?"


@pytest.fixture
def desk() -> NotificationDesk:
    return NotificationDesk()


def test_a_help_request_is_stored_audited_and_told_to_every_senior(
    desk: NotificationDesk,
) -> None:
    application, entry = desk.held()
    asked = RequestHelp(desk.uow, desk.clock, desk.ids)(ANALYST, entry.id, f"  {QUESTION} ")

    assert asked.message == QUESTION
    attention = GetCaseAttention(desk.uow)(ANALYST, entry.id)
    assert attention.help_requests == (asked,)
    event = desk.events()[-1]
    assert (event.action, event.entity_id, event.actor) == (
        "case.help_requested",
        entry.id,
        ANALYST.user_id,
    )
    (message,) = desk.pending(Topic.CASE_HELP_REQUESTED)
    assert message.payload == {
        "entry_id": entry.id,
        "application_id": application.id,
        "requested_by": ANALYST.user_id,
    }
    desk.fan_out_pending()
    for senior in (SENIOR, SENIOR_2):
        (told,) = desk.inbox_of(senior.user_id)
        assert told.subject == f"Help requested: application {application.id}"
        assert f"{ANALYST.user_id} asks for help with the case {entry.id}" in told.body
    assert desk.inbox_of(ANALYST.user_id) == []


def test_a_senior_asking_for_help_is_not_told_of_it(desk: NotificationDesk) -> None:
    _application, entry = desk.held(analyst=SENIOR)
    RequestHelp(desk.uow, desk.clock, desk.ids)(SENIOR, entry.id, QUESTION)
    desk.fan_out_pending()
    assert desk.inbox_of(SENIOR.user_id) == []
    assert len(desk.inbox_of(SENIOR_2.user_id)) == 1


@pytest.mark.parametrize(
    ("who", "message", "refused"),
    [
        (COLLEAGUE, QUESTION, PermissionDenied),
        (READONLY, QUESTION, PermissionDenied),
        (ANALYST, "help?", ValidationFailed),
        (OUTSIDER, QUESTION, NotFound),
    ],
)  # fmt: skip
def test_a_refused_help_request_leaves_nothing(
    desk: NotificationDesk, who: Principal, message: str, refused: type[Exception]
) -> None:
    _application, entry = desk.held()
    before = desk.stored()
    with pytest.raises(refused):
        RequestHelp(desk.uow, desk.clock, desk.ids)(who, entry.id, message)
    assert desk.stored() == before


def test_a_flag_is_shown_on_the_case_and_in_the_list_until_a_senior_clears_it(
    desk: NotificationDesk,
) -> None:
    _application, entry = desk.held()
    flagged = FlagCase(desk.uow, desk.clock)(ANALYST, entry.id, "suspected_fraud", "Odd IBAN")

    assert (flagged.reason, flagged.note, flagged.flagged_by) == (
        FlagReason.SUSPECTED_FRAUD,
        "Odd IBAN",
        ANALYST.user_id,
    )
    assert GetCaseAttention(desk.uow)(ANALYST, entry.id).flag == flagged
    assert FlagsOfCases(desk.uow)(ANALYST, (entry.id, "entry-none")) == {entry.id: flagged}
    assert desk.events()[-1].action == "case.flagged"
    with pytest.raises(CaseAlreadyFlagged):
        FlagCase(desk.uow, desk.clock)(SENIOR, entry.id, "other", "")
    with pytest.raises(PermissionDenied):
        ClearFlag(desk.uow, desk.clock)(ANALYST, entry.id, "All good")

    assert ClearFlag(desk.uow, desk.clock)(SENIOR, entry.id, "Checked with the bank") == flagged
    assert GetCaseAttention(desk.uow)(ANALYST, entry.id).flag is None
    cleared = desk.events()[-1]
    assert (cleared.action, cleared.actor) == ("case.flag_cleared", SENIOR.user_id)
    with pytest.raises(CaseNotFlagged):
        ClearFlag(desk.uow, desk.clock)(SENIOR, entry.id, "Again")


def test_a_decided_case_cannot_be_flagged(desk: NotificationDesk) -> None:
    application, entry = desk.held()
    desk.decide(ANALYST, application.id, approval())
    before = desk.stored()
    with pytest.raises(CaseNotAvailable):
        FlagCase(desk.uow, desk.clock)(SENIOR, entry.id, "other", "")
    assert desk.stored() == before


def test_another_tenants_case_is_not_found(desk: NotificationDesk) -> None:
    _application, entry = desk.held()
    FlagCase(desk.uow, desk.clock)(ANALYST, entry.id, "other", "")
    with pytest.raises(NotFound):
        GetCaseAttention(desk.uow)(OUTSIDER, entry.id)
    with pytest.raises(NotFound):
        ClearFlag(desk.uow, desk.clock)(OUTSIDER, entry.id, "not mine")
    assert FlagsOfCases(desk.uow)(OUTSIDER, (entry.id,)) == {}
