"""A submission takes the tenant's audit chain last: every other write of the transaction is
done before the head is read for the append, so the chain is held across that append and the
commit only (other submissions of the tenant wait for nothing else)."""

from __future__ import annotations

from attrs import frozen

from application.credit.submit_application import SubmitApplication
from domain.audit import ChainAnchor
from tests.builders import an_application_form
from tests.fakes import InMemoryAuditLog, InMemoryUnitOfWork
from tests.unit.application.helpers import LENDER, Desk


@frozen
class _Staged:
    """What the transaction held when the chain was taken."""

    application: bool
    idempotency_key: bool
    outbox_messages: int


class _WatchedAudit:
    """The fake audit log, noting what the transaction holds when a writer takes the chain."""

    def __init__(self, uow: InMemoryUnitOfWork, log: InMemoryAuditLog, seen: list[_Staged]):
        self._uow = uow
        self._log = log
        self._seen = seen

    def anchor(self, tenant_id: str, *, for_append: bool = False) -> ChainAnchor:
        if for_append:
            uow = self._uow
            external_id = an_application_form().external_id
            self._seen.append(
                _Staged(
                    application=uow.applications.get_by_external_id(tenant_id, external_id)
                    is not None,
                    idempotency_key=uow.idempotency.get(tenant_id, "key-1") is not None,
                    outbox_messages=len(uow.outbox.pending(10)),
                )
            )
        return self._log.anchor(tenant_id, for_append=for_append)

    def __getattr__(self, name: str) -> object:
        return getattr(self._log, name)


class _WatchedUnitOfWork(InMemoryUnitOfWork):
    def __init__(self, desk: Desk) -> None:
        super().__init__(desk.db)
        self.seen: list[_Staged] = []

    @property
    def audit(self) -> InMemoryAuditLog:
        watched = _WatchedAudit(self, super().audit, self.seen)
        return watched  # type: ignore[return-value]  # the log's interface, watched


def test_the_audit_event_is_appended_after_every_other_write_of_the_submission() -> None:
    desk = Desk()
    uow = _WatchedUnitOfWork(desk)
    submit = SubmitApplication(uow, desk.clock, desk.ids)

    submitted = submit(LENDER, an_application_form(), "key-1")

    assert uow.seen == [_Staged(application=True, idempotency_key=True, outbox_messages=1)]
    [event] = desk.events()
    assert (event.action, event.entity_id) == ("application.submitted", submitted.application.id)
