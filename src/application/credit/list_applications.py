"""The application list: filtered, sorted and paged, with each application's latest score."""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.queries import ApplicationQuery, ListedApplication, Page, page_problems
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize


def query_problems(query: ApplicationQuery) -> tuple[Problem, ...]:
    """Every problem with the paging and the date range, all at once."""
    found = list(page_problems(query.page, query.page_size))
    start, end = query.created_from, query.created_to
    naive = [
        Problem(name, "must carry a time zone")
        for name, moment in (("created_from", start), ("created_to", end))
        if moment is not None and moment.utcoffset() is None
    ]
    found.extend(naive)
    if not naive and start is not None and end is not None and end <= start:
        found.append(Problem("created_to", "must be later than created_from"))
    return tuple(found)


@frozen
class ListApplications:
    uow: UnitOfWork

    def __call__(self, principal: Principal, query: ApplicationQuery) -> Page[ListedApplication]:
        authorize(principal, Permission.APPLICATION_VIEW)
        found = query_problems(query)
        if found:
            raise ValidationFailed(found)
        with self.uow:
            return self.uow.applications.search(principal.tenant_id, query)
