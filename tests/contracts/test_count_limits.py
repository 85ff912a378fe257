"""Lists count their matches only up to the query's `count_limit` ("1,000+")."""

from __future__ import annotations

from typing import Any

import pytest

from application.credit.ports import UnitOfWork
from application.credit.queries import (
    ApplicationQuery,
    ApplicationSort,
    AuditQuery,
    Page,
    QueueQuery,
)
from domain.audit import AuditEvent
from tests.builders import TENANT, a_queue_entry, a_tenant, an_application, an_audit_event


def _five_of_everything(uow: UnitOfWork) -> None:
    with uow:
        uow.tenants.add(a_tenant())
        previous: AuditEvent | None = None
        for n in range(5):
            uow.applications.add(an_application(id=f"app-{n}", external_id=f"EXT-{n}"))
            uow.queue.add(a_queue_entry(id=f"entry-{n}", application_id=f"app-{n}"))
            previous = an_audit_event(previous, entity_id=f"app-{n}")
            uow.audit.append(previous)
        uow.commit()


@pytest.mark.parametrize(("limit", "total", "exact"), [(3, 3, False), (5, 5, True), (9, 5, True)])
def test_totals_stop_at_the_count_limit(
    uow: UnitOfWork, limit: int, total: int, exact: bool
) -> None:
    _five_of_everything(uow)
    with uow:
        pages: list[Page[Any]] = [
            uow.applications.search(TENANT, ApplicationQuery(page_size=2, count_limit=limit)),
            uow.applications.search(
                TENANT, ApplicationQuery(sort=ApplicationSort.SCORE, page_size=2, count_limit=limit)
            ),
            uow.queue.search(TENANT, QueueQuery(page_size=2, count_limit=limit)),
            uow.audit.query(TENANT, AuditQuery(page_size=2, count_limit=limit)),
        ]
    for page in pages:
        assert (page.total, page.total_exact, len(page.items)) == (total, exact, 2)


def test_a_capped_count_still_pages_to_the_end(uow: UnitOfWork) -> None:
    _five_of_everything(uow)
    with uow:
        last = uow.applications.search(TENANT, ApplicationQuery(page=3, page_size=2, count_limit=1))
        by_score = uow.applications.search(
            TENANT,
            ApplicationQuery(sort=ApplicationSort.SCORE, page=3, page_size=2, count_limit=1),
        )
    assert (len(last.items), last.total, last.total_exact) == (1, 1, False)
    assert len(by_score.items) == 1
