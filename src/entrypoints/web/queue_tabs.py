"""The queue page's tabs and badges, as plain functions of the queue's own values.

A tab is a `QueueQuery`: "mine" is the cases held by the viewer, "unassigned" the pending
ones, "all" every open case. The badges repeat nothing: the SLA badge is
`domain.credit.queue.sla_status` under the same `QueuePolicy` the summary counts with, and the
priority badge is `priority_band`, so a case's badge always agrees with the counts above it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from attrs import frozen

from application.credit.queries import QueueQuery, QueueSort, SortOrder
from domain.credit.queue import (
    PriorityBand,
    QueueEntry,
    QueuePolicy,
    QueueStatus,
    SlaStatus,
    priority_band,
)
from domain.errors import Problem

PAGE_SIZE = 25


class QueueTab(StrEnum):
    MINE = "mine"
    UNASSIGNED = "unassigned"
    ALL = "all"


TAB_LABELS = {QueueTab.MINE: "My cases", QueueTab.UNASSIGNED: "Unassigned", QueueTab.ALL: "All"}
SORT_LABELS = {
    QueueSort.PRIORITY: "Priority",
    QueueSort.SLA_DEADLINE: "SLA deadline",
    QueueSort.CREATED_AT: "Entered the queue",
}
SLA_LABELS = {
    SlaStatus.OK: "On time",
    SlaStatus.APPROACHING: "SLA approaching",
    SlaStatus.BREACHED: "SLA breached",
}


@frozen
class TabRequest:
    """The tab, sort and page a request asks for, once read; `problems` when it asked wrongly."""

    tab: QueueTab
    sort: QueueSort
    page: int
    problems: tuple[Problem, ...] = ()


def read_tab(tab: str, sort: str, page: str, *, can_hold_cases: bool) -> TabRequest:
    """The request's tab (by default "mine" for someone who takes cases, else "all"), sort and
    page, each falling back to its default with a problem when it is not one."""
    problems: list[Problem] = []
    default = QueueTab.MINE if can_hold_cases else QueueTab.ALL
    chosen_tab, chosen_sort, number = default, QueueSort.PRIORITY, 1
    if tab:
        try:
            chosen_tab = QueueTab(tab)
        except ValueError:
            problems.append(Problem("tab", f"must be one of {', '.join(QueueTab)}"))
    if sort:
        try:
            chosen_sort = QueueSort(sort)
        except ValueError:
            problems.append(Problem("sort", f"must be one of {', '.join(QueueSort)}"))
    if page:
        try:
            number = int(page)
        except ValueError:
            problems.append(Problem("page", "must be a whole number"))
    return TabRequest(chosen_tab, chosen_sort, number, tuple(problems))


def tab_query(request: TabRequest, viewer_id: str) -> QueueQuery:
    """The list query behind a tab; the SLA deadline sorts soonest first, the rest as the API
    sorts them by default (most urgent priority first)."""
    statuses: frozenset[QueueStatus] = frozenset()
    analyst_id = None
    if request.tab is QueueTab.MINE:
        analyst_id = viewer_id
    elif request.tab is QueueTab.UNASSIGNED:
        statuses = frozenset({QueueStatus.PENDING})
    return QueueQuery(
        statuses=statuses,
        analyst_id=analyst_id,
        sort=request.sort,
        order=SortOrder.ASC,
        page=request.page,
        page_size=PAGE_SIZE,
    )


@frozen
class CaseRow:
    """One case as the queue's table shows it."""

    entry: QueueEntry
    sla: SlaStatus
    band: PriorityBand
    held_by_viewer: bool
    pickable: bool


def case_row(
    entry: QueueEntry, *, viewer_id: str, can_pick: bool, now: datetime, policy: QueuePolicy
) -> CaseRow:
    """`can_pick`: whether the viewer may take a case at all (the domain requires that the one
    who takes it can decide it); only a pending case can be taken."""
    return CaseRow(
        entry=entry,
        sla=entry.sla(now, policy),
        band=priority_band(entry.priority),
        held_by_viewer=entry.analyst_id == viewer_id and entry.is_active,
        pickable=can_pick and entry.status is QueueStatus.PENDING,
    )
