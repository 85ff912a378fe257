"""Any sequence of use-case calls, by anyone, in any order, keeps the records consistent.

Hypothesis drives three applications through random calls, mostly by the person whose job
the call is and sometimes by anyone at all; refusals are expected. After every call: a refused
call stored nothing at all, the audit chain verifies, and every application's status agrees
with its scoring result, queue entry and decisions.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from application.ports import ApplicationError
from domain.credit.application import LoanPurpose
from domain.credit.decisions import DecisionStatus
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.errors import DomainError
from domain.identity import Principal
from tests.builders import TENANT, an_application_form, eur
from tests.unit.application.helpers import (
    ANALYST,
    APPROVE_PD,
    COLLEAGUE,
    DECLINE_PD,
    JUSTIFICATION,
    LENDER,
    READONLY,
    REVIEW_PD,
    SENIOR,
    WORKER,
    Desk,
    approval,
    decline,
    scorer_giving,
)

PEOPLE = (ANALYST, COLLEAGUE, SENIOR, READONLY, LENDER, WORKER)
SLOTS = 3
Action = Callable[[Desk, str, Principal], object]


def _external_id(slot: int) -> str:
    return f"LND-{slot}"


def _application_id(desk: Desk, slot: int) -> str:
    found = desk.read(lambda uow: uow.applications.get_by_external_id(TENANT, _external_id(slot)))
    return "app-missing" if found is None else found.id


def _entry_id(desk: Desk, application_id: str) -> str:
    entry = desk.entry_of(application_id)
    return "entry-missing" if entry is None else entry.id


def _awaiting(desk: Desk, application_id: str) -> str:
    waiting = [d for d in desk.decisions_of(application_id) if not d.is_final]
    return waiting[-1].id if waiting else "decision-missing"


ACTIONS: dict[str, Action] = {
    "score_review": lambda d, a, p: d.scoring(scorer_giving(REVIEW_PD))(p, a),
    "score_approve": lambda d, a, p: d.scoring(scorer_giving(APPROVE_PD, version="m2"))(p, a),
    "score_decline": lambda d, a, p: d.scoring(scorer_giving(DECLINE_PD, version="m3"))(p, a),
    "update": lambda d, a, p: d.update(
        p, a, an_application_form(external_id="x", amount=eur(9_000))
    ),
    "cancel": lambda d, a, p: d.cancel(p, a),
    "assign": lambda d, a, p: d.assign(p, _entry_id(d, a)),
    "start": lambda d, a, p: d.start(p, _entry_id(d, a)),
    "release": lambda d, a, p: d.release(p, _entry_id(d, a)),
    "approve": lambda d, a, p: d.decide(p, a, approval(justification=JUSTIFICATION)),
    "decline": lambda d, a, p: d.decide(p, a, decline(JUSTIFICATION)),
    "approve_override": lambda d, a, p: d.approve_override(p, _awaiting(d, a)),
    "reject_override": lambda d, a, p: d.reject_override(p, _awaiting(d, a), "Not convinced."),
}


def natural_actor(action: str, slot: int) -> Principal:
    """Whose job the call is: the lender edits, the worker scores, one analyst per case works
    it, and a senior who did not override reviews."""
    if action.startswith("score"):
        return WORKER
    if action in ("update", "cancel"):
        return LENDER
    if action.endswith("override"):
        return SENIOR
    return COLLEAGUE if slot == 1 else ANALYST


def next_step(desk: Desk, slot: int, application_id: str, agree: bool) -> str:
    """The call that moves the case on from where it is: what a working day would do next.

    Slot 1 is a business loan the model would decline, so approving it is an override."""
    application = desk.application(application_id)
    assert application is not None
    if application.status is ApplicationStatus.PENDING:
        return "score_decline" if slot == 1 else "score_review"
    entry = desk.entry_of(application_id)
    if application.status is not ApplicationStatus.REVIEW:
        return "cancel"  # refused: nothing moves a decided case
    if entry is None:
        return "approve_override" if agree else "reject_override"
    return {
        QueueStatus.PENDING: "assign",
        QueueStatus.ASSIGNED: "start",
        QueueStatus.IN_PROGRESS: "approve" if agree else "decline",
    }[entry.status]


# A step is an action (None, two times in three: the case's next step) on a slot, by a person
# (None: the person whose job it is), with a coin for the choices a next step makes.
steps = st.lists(
    st.tuples(
        st.sampled_from((*[None] * 2 * len(ACTIONS), *sorted(ACTIONS))),
        st.integers(0, SLOTS - 1),
        st.sampled_from((None, None, None, *PEOPLE)),
        st.booleans(),
    ),
    min_size=20,
    max_size=60,
)


def _check_application(desk: Desk, application_id: str) -> None:
    application = desk.application(application_id)
    assert application is not None
    result = desk.read(lambda uow: uow.scoring_results.latest(TENANT, application_id))
    entry = desk.entry_of(application_id)
    decisions = desk.decisions_of(application_id)
    final = [d for d in decisions if d.status is DecisionStatus.FINAL]
    waiting = [d for d in decisions if d.status is DecisionStatus.AWAITING_OVERRIDE_APPROVAL]
    status = application.status
    if status in (ApplicationStatus.PENDING, ApplicationStatus.CANCELLED):
        assert (result, entry, decisions) == (None, None, [])
    elif status is ApplicationStatus.REVIEW:
        assert result is not None
        assert final == []
        # In the queue, or out of it waiting for a second person: never both, never neither.
        assert (entry is None) == (len(waiting) == 1)
    else:
        assert status in (ApplicationStatus.APPROVED, ApplicationStatus.DECLINED)
        assert result is not None
        assert (entry, waiting) == (None, [])
        [decision] = final
        assert decision.decision_type.approves == (status is ApplicationStatus.APPROVED)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_any_sequence_of_calls_keeps_the_trail_valid_and_every_status_legal(
    script: list[tuple[str | None, int, Principal | None, bool]],
) -> None:
    desk = Desk()
    for slot in range(SLOTS):
        purpose = LoanPurpose.BUSINESS if slot == 1 else LoanPurpose.CAR
        desk.submit(LENDER, an_application_form(external_id=_external_id(slot), purpose=purpose))
    ids = [_application_id(desk, slot) for slot in range(SLOTS)]

    for chosen, slot, anyone, agree in script:
        name = chosen or next_step(desk, slot, ids[slot], agree)
        person = anyone or natural_actor(name, slot)
        before = desk.stored()
        try:
            ACTIONS[name](desk, ids[slot], person)
        except (DomainError, ApplicationError):
            assert desk.stored() == before, f"{name} by {person.user_id} left writes behind"
        assert desk.verify_audit(SENIOR).ok
        for application_id in ids:
            _check_application(desk, application_id)
