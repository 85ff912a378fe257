"""What the list and search screens ask of the repositories, and what they get back.

These are plain values shared by the use cases, the repositories (which turn them into indexed
SQL) and the fakes (which answer them in memory), so both answer exactly the same question.

Paging comes two ways. `page` + `page_size` with a total count serves the familiar numbered list;
a keyset `cursor` (the sort value and id of the last row seen) serves deep paging, where an
offset would make the database walk every skipped row.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from attrs import frozen

from domain.credit.application import Application
from domain.credit.queue import QueueStatus
from domain.credit.status import ApplicationStatus
from domain.errors import Problem, ValidationFailed

T = TypeVar("T")
MAX_PAGE_SIZE = 100
#: How far a list counts its matches. An exact count of a million rows costs more than the page
#: itself; beyond this many, `Page.total` stops here and `total_exact` is False ("1,000+").
COUNT_LIMIT = 1_000


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


class ApplicationSort(StrEnum):
    CREATED_AT = "created_at"
    AMOUNT = "amount"
    SCORE = "score"


class QueueSort(StrEnum):
    PRIORITY = "priority"
    CREATED_AT = "created_at"
    SLA_DEADLINE = "sla_deadline"


@frozen
class Cursor:
    """Where the previous page ended: its last row's sort value and id (the tie-breaker).

    A None `value` stands for a row without one (an unscored application sorted by score);
    such rows sort after every valued row, whatever the order.
    """

    value: str | float | None
    id: str

    def encode(self) -> str:
        raw = json.dumps([self.value, self.id], separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            value, id_ = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, binascii.Error, TypeError) as error:
            raise ValidationFailed(
                (Problem("cursor", "is not a cursor this service issued"),)
            ) from error
        if not isinstance(id_, str) or not isinstance(value, str | int | float | None):
            raise ValidationFailed((Problem("cursor", "is not a cursor this service issued"),))
        return cls(value, id_)


@frozen
class Page(Generic[T]):
    """One page of results. `total` counts every match up to the query's `count_limit`; past
    it, `total` is that limit and `total_exact` is False."""

    items: tuple[T, ...]
    total: int
    next_cursor: Cursor | None = None
    total_exact: bool = True


def capped_total(matches: int, count_limit: int) -> tuple[int, bool]:
    """(total, exact) for `matches` rows under a count limit."""
    return min(matches, count_limit), matches <= count_limit


def page_problems(page: int, page_size: int) -> tuple[Problem, ...]:
    found = []
    if page < 1:
        found.append(Problem("page", "must be 1 or more"))
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        found.append(Problem("page_size", f"must be between 1 and {MAX_PAGE_SIZE}"))
    return tuple(found)


@frozen
class ApplicationQuery:
    statuses: frozenset[ApplicationStatus] = frozenset()
    created_from: datetime | None = None
    created_to: datetime | None = None
    search: str = ""
    #: Only applications a model has scored (live ones: imported history is never scored).
    scored_only: bool = False
    sort: ApplicationSort = ApplicationSort.CREATED_AT
    order: SortOrder = SortOrder.DESC
    page: int = 1
    page_size: int = 20
    cursor: Cursor | None = None
    count_limit: int = COUNT_LIMIT


@frozen
class ListedApplication:
    application: Application
    score: float | None


@frozen
class QueueQuery:
    statuses: frozenset[QueueStatus] = frozenset()
    analyst_id: str | None = None
    max_priority: int | None = None
    sort: QueueSort = QueueSort.PRIORITY
    order: SortOrder = SortOrder.ASC
    page: int = 1
    page_size: int = 20
    cursor: Cursor | None = None
    include_completed: bool = False
    count_limit: int = COUNT_LIMIT


@frozen
class PriorityBandBounds:
    """Inclusive upper bounds of the high and medium bands (see `domain.credit.queue`)."""

    high_max: int = 33
    medium_max: int = 66


@frozen
class QueueCounts:
    pending: int
    assigned: int
    in_progress: int
    approaching_sla: int
    breached_sla: int
    high: int
    medium: int
    low: int


@frozen
class AuditQuery:
    entity_type: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    occurred_from: datetime | None = None
    occurred_to: datetime | None = None
    page: int = 1
    page_size: int = 50
    count_limit: int = COUNT_LIMIT


@frozen
class SimilarCase:
    application_id: str
    external_id: str
    status: ApplicationStatus
    score: float
    distance: float
