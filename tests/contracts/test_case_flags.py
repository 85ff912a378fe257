"""The contract of `CaseFlagRepository`: one flag per case, help requests in order, each kept
to its tenant. Every implementation passes it, the fake and the SQL adapter on SQLite and
PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.ports import UnitOfWork
from application.ports import AlreadyExists, RecordNotFound
from domain.credit.case_flags import CaseFlag, FlagReason, HelpRequest
from tests.builders import NOW, OTHER_TENANT, TENANT, a_queue_entry
from tests.contracts.parents import with_parents


def a_flag(entry_id: str = "entry-1", tenant_id: str = TENANT) -> CaseFlag:
    return CaseFlag(
        tenant_id=tenant_id,
        entry_id=entry_id,
        reason=FlagReason.DOCUMENT_CONCERN,
        note="The payslip looks edited — ask for the original.",
        flagged_by="user-analyst",
        flagged_at=NOW,
    )


def a_help_request(request_id: str, at_minute: int, entry_id: str = "entry-1") -> HelpRequest:
    return HelpRequest(
        id=request_id,
        tenant_id=TENANT,
        entry_id=entry_id,
        message=f"Question {request_id}: is the second income verifiable?",
        requested_by="user-analyst",
        requested_at=NOW + timedelta(minutes=at_minute),
    )


def _with_cases(uow: UnitOfWork) -> None:
    for tenant_id in (TENANT, OTHER_TENANT):
        with_parents(uow, tenant_id=tenant_id, application_ids=["app-1", "app-2"])
        uow.queue.add(a_queue_entry(id="entry-1", tenant_id=tenant_id, application_id="app-1"))
        uow.queue.add(a_queue_entry(id="entry-2", tenant_id=tenant_id, application_id="app-2"))


def test_a_flag_comes_back_exactly_and_goes_away(uow: UnitOfWork) -> None:
    with uow:
        _with_cases(uow)
        uow.case_flags.add_flag(a_flag())
        uow.commit()
    with uow:
        assert uow.case_flags.flag_of(TENANT, "entry-1") == a_flag()
        assert uow.case_flags.flag_of(TENANT, "entry-2") is None
        assert uow.case_flags.flag_of(OTHER_TENANT, "entry-1") is None
        assert uow.case_flags.flags_of(TENANT, ["entry-1", "entry-2", "nope"]) == {
            "entry-1": a_flag()
        }
        assert uow.case_flags.flags_of(OTHER_TENANT, ["entry-1"]) == {}
        uow.case_flags.remove_flag(TENANT, "entry-1")
        uow.commit()
    with uow:
        assert uow.case_flags.flag_of(TENANT, "entry-1") is None
        with pytest.raises(RecordNotFound):
            uow.case_flags.remove_flag(TENANT, "entry-1")


def test_a_case_carries_one_flag_and_another_tenant_cannot_remove_it(uow: UnitOfWork) -> None:
    with uow:
        _with_cases(uow)
        uow.case_flags.add_flag(a_flag())
        uow.commit()
    with uow, pytest.raises(AlreadyExists):
        uow.case_flags.add_flag(a_flag())
    with uow, pytest.raises(RecordNotFound):
        uow.case_flags.remove_flag(OTHER_TENANT, "entry-1")
    with uow:
        assert uow.case_flags.flag_of(TENANT, "entry-1") == a_flag()


def test_a_flag_or_request_needs_a_stored_case_of_its_tenant(uow: UnitOfWork) -> None:
    with uow:
        _with_cases(uow)
        uow.commit()
    with uow, pytest.raises(RecordNotFound):
        uow.case_flags.add_flag(a_flag(entry_id="entry-9"))
    with uow, pytest.raises(RecordNotFound):
        uow.case_flags.add_help_request(a_help_request("help-1", 0, entry_id="entry-9"))


def test_help_requests_come_back_oldest_first_for_their_case_only(uow: UnitOfWork) -> None:
    later, earlier = a_help_request("help-b", 5), a_help_request("help-c", 1)
    tie = a_help_request("help-a", 5)
    with uow:
        _with_cases(uow)
        for request in (later, earlier, tie, a_help_request("help-d", 0, entry_id="entry-2")):
            uow.case_flags.add_help_request(request)
        uow.commit()
    with uow:
        assert uow.case_flags.help_requests(TENANT, "entry-1") == [earlier, tie, later]
        assert uow.case_flags.help_requests(OTHER_TENANT, "entry-1") == []
        with pytest.raises(AlreadyExists):
            uow.case_flags.add_help_request(later)


def test_nothing_is_kept_without_a_commit(uow: UnitOfWork) -> None:
    with uow:
        _with_cases(uow)
        uow.commit()
    with uow:
        uow.case_flags.add_flag(a_flag())
        uow.case_flags.add_help_request(a_help_request("help-1", 0))
    with uow:
        assert uow.case_flags.flag_of(TENANT, "entry-1") is None
        assert uow.case_flags.help_requests(TENANT, "entry-1") == []
