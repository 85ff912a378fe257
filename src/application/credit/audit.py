"""Reading the audit trail: search it, and check that nobody has tampered with it."""

from __future__ import annotations

from attrs import frozen

from application.credit.ports import UnitOfWork
from application.credit.queries import AuditQuery, Page, page_problems
from domain.audit import AuditEvent
from domain.audit_verification import ChainVerification, verify_chain
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize


def audit_query_problems(query: AuditQuery) -> tuple[Problem, ...]:
    found = list(page_problems(query.page, query.page_size))
    start, end = query.occurred_from, query.occurred_to
    naive = [
        Problem(name, "must carry a time zone")
        for name, moment in (("occurred_from", start), ("occurred_to", end))
        if moment is not None and moment.utcoffset() is None
    ]
    found.extend(naive)
    if not naive and start is not None and end is not None and end <= start:
        found.append(Problem("occurred_to", "must be later than occurred_from"))
    return tuple(found)


@frozen
class QueryAudit:
    uow: UnitOfWork

    def __call__(self, principal: Principal, query: AuditQuery) -> Page[AuditEvent]:
        """One page of the tenant's events matching every filter, newest first."""
        authorize(principal, Permission.AUDIT_VIEW)
        found = audit_query_problems(query)
        if found:
            raise ValidationFailed(found)
        with self.uow:
            return self.uow.audit.query(principal.tenant_id, query)


@frozen
class VerifyAuditChain:
    uow: UnitOfWork

    def __call__(self, principal: Principal) -> ChainVerification:
        """Whether the tenant's chain is intact, and if not, the first place it breaks."""
        authorize(principal, Permission.AUDIT_VIEW)
        with self.uow:
            return verify_chain(self.uow.audit.events(principal.tenant_id))
