from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from application.credit.queries import ApplicationQuery, ApplicationSort, SortOrder
from application.errors import NotFound
from domain.credit.status import ApplicationStatus
from domain.errors import PermissionDenied, ValidationFailed
from domain.identity import Permission
from tests.builders import NOW
from tests.unit.application.helpers import (
    ANALYST,
    APPROVE_PD,
    DECLINE_PD,
    LENDER,
    OUTSIDER,
    READONLY,
    Desk,
)


def test_the_list_filters_sorts_and_counts(desk: Desk) -> None:
    desk.submitted("LND-1")
    desk.routed(APPROVE_PD, "LND-2")
    desk.routed(DECLINE_PD, "LND-3")

    page = desk.list_applications(
        READONLY,
        ApplicationQuery(
            statuses=frozenset({ApplicationStatus.APPROVED, ApplicationStatus.DECLINED}),
            sort=ApplicationSort.SCORE,
            order=SortOrder.DESC,
        ),
    )

    assert page.total == 2
    assert [listed.application.form.external_id for listed in page.items] == ["LND-2", "LND-3"]
    assert all(listed.score is not None for listed in page.items)


def test_the_list_shows_only_the_tenants_own_applications(desk: Desk) -> None:
    desk.submitted("LND-1")

    assert desk.list_applications(OUTSIDER, ApplicationQuery()).total == 0


def test_every_problem_with_paging_and_dates_is_reported(desk: Desk) -> None:
    query = ApplicationQuery(
        page=0,
        page_size=101,
        created_from=NOW,
        created_to=NOW - timedelta(days=1),
    )

    with pytest.raises(ValidationFailed) as raised:
        desk.list_applications(ANALYST, query)

    assert [p.path for p in raised.value.problems] == ["page", "page_size", "created_to"]


def test_dates_without_a_time_zone_are_refused(desk: Desk) -> None:
    naive = datetime(2026, 11, 1)  # noqa: DTZ001 - the mistake under test

    with pytest.raises(ValidationFailed) as raised:
        desk.list_applications(ANALYST, ApplicationQuery(created_from=naive, created_to=NOW))

    assert [p.path for p in raised.value.problems] == ["created_from"]


def test_the_largest_page_is_allowed(desk: Desk) -> None:
    page = desk.list_applications(
        ANALYST, ApplicationQuery(page_size=100, created_from=datetime(2026, 1, 1, tzinfo=UTC))
    )

    assert page.items == ()


def test_listing_needs_the_view_permission(desk: Desk) -> None:
    denied = ANALYST.__class__(
        ANALYST.user_id,
        ANALYST.tenant_id,
        ANALYST.role,
        denials=frozenset({Permission.APPLICATION_VIEW}),
    )

    with pytest.raises(PermissionDenied):
        desk.list_applications(denied, ApplicationQuery())


def test_the_detail_brings_the_case_together(desk: Desk) -> None:
    for number, pd in enumerate((APPROVE_PD, DECLINE_PD, APPROVE_PD, DECLINE_PD, APPROVE_PD, 0.02)):
        desk.routed(pd, f"LND-past-{number}")
    application, entry = desk.in_review("LND-now")

    detail = desk.detail(ANALYST, application.id)

    assert detail.application.status is ApplicationStatus.REVIEW
    assert detail.scoring is not None
    assert detail.scoring.application_id == application.id
    assert detail.queue_entry == entry
    assert detail.decisions == ()
    assert len(detail.similar) == 5
    assert all(case.application_id != application.id for case in detail.similar)
    assert {case.status for case in detail.similar} <= {
        ApplicationStatus.APPROVED,
        ApplicationStatus.DECLINED,
    }
    distances = [case.distance for case in detail.similar]
    assert distances == sorted(distances)


def test_the_detail_of_an_unscored_application_has_no_score_and_no_similar_cases(
    desk: Desk,
) -> None:
    application = desk.submitted("LND-1")

    detail = desk.detail(LENDER, application.id)

    assert (detail.scoring, detail.queue_entry, detail.decisions, detail.similar) == (
        None,
        None,
        (),
        (),
    )


def test_the_decision_history_is_shown_only_with_decision_view(desk: Desk) -> None:
    application = desk.routed(APPROVE_PD, "LND-1")
    blind = READONLY.__class__(
        READONLY.user_id,
        READONLY.tenant_id,
        READONLY.role,
        denials=frozenset({Permission.DECISION_VIEW}),
    )

    assert len(desk.detail(READONLY, application.id).decisions) == 1
    assert desk.detail(blind, application.id).decisions == ()


def test_the_detail_of_another_tenants_application_is_not_found(desk: Desk) -> None:
    application = desk.submitted("LND-1")

    with pytest.raises(NotFound):
        desk.detail(OUTSIDER, application.id)
    with pytest.raises(NotFound):
        desk.detail(ANALYST, "app-unknown")
