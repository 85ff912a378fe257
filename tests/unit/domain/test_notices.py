"""Who is told of what (`domain.credit.notices.recipients`)."""

from __future__ import annotations

from attrs import evolve
from hypothesis import given
from hypothesis import strategies as st

from domain.credit.notices import Notice, recipients
from domain.identity import Permission, Role
from domain.tenancy import User
from tests.builders import a_user


def _person(
    user_id: str,
    role: Role,
    *,
    active: bool = True,
    grants: frozenset[Permission] = frozenset(),
    denials: frozenset[Permission] = frozenset(),
) -> User:
    user = a_user(id=user_id, email=f"{user_id}@example.com", role=role, active=active)
    return evolve(user, extra_grants=grants, denials=denials)


ANA = _person("user-ana", Role.ANALYST)
BOB = _person("user-bob", Role.ANALYST)
GONE = _person("user-gone", Role.ANALYST, active=False)
SEN = _person("user-sen", Role.SENIOR_ANALYST)
SEN2 = _person("user-sen2", Role.SENIOR_ANALYST)
RETIRED_SENIOR = _person("user-sen-old", Role.SENIOR_ANALYST, active=False)
ADMIN = _person("user-adm", Role.ADMIN)
READONLY = _person("user-ro", Role.READONLY)
LENT = _person("user-lent", Role.ANALYST, grants=frozenset({Permission.DECISION_APPROVE_OVERRIDE}))
BARRED = _person(
    "user-barred", Role.SENIOR_ANALYST, denials=frozenset({Permission.DECISION_APPROVE_OVERRIDE})
)
STAFF = (ANA, BOB, GONE, SEN, SEN2, RETIRED_SENIOR, ADMIN, READONLY, LENT, BARRED)
CASE = {"entry_id": "entry-1", "application_id": "app-1"}


def test_an_assigned_case_is_told_to_its_analyst_unless_they_took_it() -> None:
    given_by_senior = {**CASE, "analyst_id": "user-ana", "assigned_by": "user-sen"}
    assert recipients(Notice.CASE_ASSIGNED, given_by_senior, STAFF) == ("user-ana",)
    taken = {**CASE, "analyst_id": "user-ana", "assigned_by": "user-ana"}
    assert recipients(Notice.CASE_ASSIGNED, taken, STAFF) == ()
    to_the_departed = {**CASE, "analyst_id": "user-gone", "assigned_by": "user-sen"}
    assert recipients(Notice.CASE_ASSIGNED, to_the_departed, STAFF) == ()
    to_a_stranger = {**CASE, "analyst_id": "user-x", "assigned_by": "user-sen"}
    assert recipients(Notice.CASE_ASSIGNED, to_a_stranger, STAFF) == ()


def test_an_sla_warning_goes_to_the_holder_else_to_the_active_seniors() -> None:
    held = {**CASE, "sla_deadline": "2026-11-22T17:30:00+00:00", "analyst_id": "user-bob"}
    assert recipients(Notice.SLA_WARNING, held, STAFF) == ("user-bob",)
    waiting = {**CASE, "sla_deadline": "2026-11-22T17:30:00+00:00"}
    assert recipients(Notice.SLA_WARNING, waiting, STAFF) == (
        "user-barred",
        "user-sen",
        "user-sen2",
    )
    held_by_departed = {**waiting, "analyst_id": "user-gone"}
    assert recipients(Notice.SLA_WARNING, held_by_departed, STAFF) == (
        "user-barred",
        "user-sen",
        "user-sen2",
    )


def test_an_sla_breach_goes_to_the_holder_and_the_seniors_each_once() -> None:
    held = {**CASE, "sla_deadline": "2026-11-22T17:30:00+00:00", "analyst_id": "user-ana"}
    assert recipients(Notice.SLA_BREACHED, held, STAFF) == (
        "user-ana",
        "user-barred",
        "user-sen",
        "user-sen2",
    )
    held_by_a_senior = {**held, "analyst_id": "user-sen2"}
    assert recipients(Notice.SLA_BREACHED, held_by_a_senior, STAFF) == (
        "user-sen2",
        "user-barred",
        "user-sen",
    )


def test_an_escalation_goes_to_its_senior() -> None:
    assert recipients(Notice.CASE_ESCALATED, {**CASE, "senior_id": "user-sen2"}, STAFF) == (
        "user-sen2",
    )
    assert recipients(Notice.CASE_ESCALATED, {**CASE, "senior_id": "user-sen-old"}, STAFF) == ()


def test_an_override_goes_to_every_possible_approver_but_its_author() -> None:
    context = {"application_id": "app-1", "decision_id": "dec-1", "decided_by": "user-sen"}
    assert recipients(Notice.OVERRIDE_AWAITING_APPROVAL, context, STAFF) == (
        "user-adm",
        "user-lent",
        "user-sen2",
    )


def test_a_decision_is_told_to_nobody_in_the_app() -> None:
    context = {"application_id": "app-1", "decision_id": "dec-1", "decided_by": "user-ana"}
    assert recipients(Notice.DECISION_MADE, context, STAFF) == ()


@given(
    notice=st.sampled_from(list(Notice)),
    staff=st.lists(st.sampled_from(STAFF), unique_by=lambda u: u.id),
    named=st.dictionaries(
        st.sampled_from(["analyst_id", "assigned_by", "senior_id", "decided_by"]),
        st.sampled_from([u.id for u in STAFF] + ["user-x"]),
    ),
)
def test_only_active_people_of_the_tenant_are_told_each_at_most_once(
    notice: Notice, staff: list[User], named: dict[str, str]
) -> None:
    told = recipients(notice, {**CASE, **named}, staff)
    active = {u.id for u in staff if u.active}
    assert set(told) <= active
    assert len(told) == len(set(told))
    if notice is Notice.OVERRIDE_AWAITING_APPROVAL:
        assert named.get("decided_by") not in told
    assert recipients(notice, {**CASE, **named}, reversed(staff)) == told
