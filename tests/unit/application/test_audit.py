from __future__ import annotations

from datetime import timedelta

import pytest
from attrs import evolve

from application.credit.queries import AuditQuery
from domain.errors import PermissionDenied, ValidationFailed
from tests.builders import NOW, TENANT
from tests.unit.application.helpers import ADMIN, ANALYST, LENDER, OUTSIDER, SENIOR, WORKER, Desk


def test_the_trail_is_searched_by_entity_actor_and_time(desk: Desk) -> None:
    first = desk.submitted("LND-1")
    desk.clock.advance(timedelta(hours=1))
    desk.score(WORKER, first.id)

    about_first = desk.query_audit(
        SENIOR, AuditQuery(entity_type="application", entity_id=first.id)
    )
    by_worker = desk.query_audit(SENIOR, AuditQuery(actor=WORKER.user_id))
    early = desk.query_audit(SENIOR, AuditQuery(occurred_to=NOW + timedelta(minutes=1)))

    assert [e.action for e in about_first.items] == [
        "application.routed",
        "application.scored",
        "application.submitted",
    ]
    assert {e.actor for e in by_worker.items} == {WORKER.user_id}
    assert [e.action for e in early.items] == ["application.submitted"]
    assert desk.query_audit(OUTSIDER, AuditQuery()).total == 0


def test_every_problem_of_an_audit_query_is_reported(desk: Desk) -> None:
    query = AuditQuery(page=0, page_size=500, occurred_from=NOW, occurred_to=NOW)

    with pytest.raises(ValidationFailed) as raised:
        desk.query_audit(ADMIN, query)

    assert [p.path for p in raised.value.problems] == ["page", "page_size", "occurred_to"]


def test_the_trail_is_for_those_who_audit(desk: Desk) -> None:
    for person in (ANALYST, LENDER):
        with pytest.raises(PermissionDenied, match="audit:view"):
            desk.query_audit(person, AuditQuery())
        with pytest.raises(PermissionDenied):
            desk.verify_audit(person)


def test_an_intact_trail_verifies_and_an_edited_one_names_the_event(desk: Desk) -> None:
    application = desk.submitted("LND-1")
    desk.score(WORKER, application.id)
    assert desk.verify_audit(ADMIN).ok

    second = desk.db.audit.rows[(TENANT, 2)]
    desk.db.audit.rows[(TENANT, 2)] = evolve(second, actor="someone-else")
    broken = desk.verify_audit(ADMIN)

    assert (broken.ok, broken.broken_at) == (False, 2)
