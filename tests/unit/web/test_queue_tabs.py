"""The queue page's tabs as queries, and its badges as the domain's own SLA and band rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from application.credit.queries import QueueSort
from domain.credit.queue import PriorityBand, QueuePolicy, QueueStatus, SlaStatus
from entrypoints.web.queue_tabs import QueueTab, case_row, read_tab, tab_query
from tests.builders import NOW, a_queue_entry

POLICY = QueuePolicy()


def test_someone_who_takes_cases_starts_on_their_own_and_others_on_all() -> None:
    assert read_tab("", "", "", can_hold_cases=True).tab is QueueTab.MINE
    assert read_tab("", "", "", can_hold_cases=False).tab is QueueTab.ALL


def test_each_tab_asks_for_its_cases() -> None:
    mine = tab_query(read_tab("mine", "", "", can_hold_cases=True), "user-7")
    assert (mine.analyst_id, mine.statuses) == ("user-7", frozenset())
    unassigned = tab_query(read_tab("unassigned", "", "2", can_hold_cases=True), "user-7")
    assert (unassigned.analyst_id, unassigned.statuses) == (None, frozenset({QueueStatus.PENDING}))
    assert unassigned.page == 2
    everything = tab_query(read_tab("all", "sla_deadline", "", can_hold_cases=True), "user-7")
    assert (everything.analyst_id, everything.statuses) == (None, frozenset())
    assert everything.sort is QueueSort.SLA_DEADLINE


def test_wrong_values_are_named_and_fall_back_to_the_defaults() -> None:
    asked = read_tab("theirs", "colour", "x", can_hold_cases=True)
    assert [p.path for p in asked.problems] == ["tab", "sort", "page"]
    assert (asked.tab, asked.sort, asked.page) == (QueueTab.MINE, QueueSort.PRIORITY, 1)


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (timedelta(hours=3), SlaStatus.OK),
        (POLICY.sla_warning, SlaStatus.OK),
        (POLICY.sla_warning - timedelta(seconds=1), SlaStatus.APPROACHING),
        (timedelta(0), SlaStatus.BREACHED),
        (-timedelta(hours=1), SlaStatus.BREACHED),
    ],
)
def test_the_sla_badge_follows_the_policy_warning_time(
    left: timedelta, expected: SlaStatus
) -> None:
    entry = a_queue_entry(deadline=NOW + left)
    assert case_row(entry, viewer_id="u", can_pick=True, now=NOW, policy=POLICY).sla is expected


@pytest.mark.parametrize(
    ("priority", "band"), [(1, PriorityBand.HIGH), (33, PriorityBand.HIGH),
                           (34, PriorityBand.MEDIUM), (66, PriorityBand.MEDIUM),
                           (67, PriorityBand.LOW), (100, PriorityBand.LOW)],
)  # fmt: skip
def test_the_priority_badge_is_the_domain_band(priority: int, band: PriorityBand) -> None:
    entry = a_queue_entry(priority=priority)
    assert case_row(entry, viewer_id="u", can_pick=True, now=NOW, policy=POLICY).band is band


def test_only_a_pending_case_is_offered_and_only_to_someone_who_may_take_it() -> None:
    pending = a_queue_entry()
    held = a_queue_entry(status=QueueStatus.ASSIGNED, analyst_id="me")
    assert case_row(pending, viewer_id="me", can_pick=True, now=NOW, policy=POLICY).pickable
    assert not case_row(pending, viewer_id="me", can_pick=False, now=NOW, policy=POLICY).pickable
    row = case_row(held, viewer_id="me", can_pick=True, now=NOW, policy=POLICY)
    assert (row.pickable, row.held_by_viewer) == (False, True)
    other = case_row(held, viewer_id="you", can_pick=True, now=NOW, policy=POLICY)
    assert not other.held_by_viewer
