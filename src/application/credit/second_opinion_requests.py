"""An analyst asks for a second opinion on an application, and anyone who sees it reads them.

Asking on request stores a record with the trigger "requested" and changes nothing else: the
case stays where scoring and people put it (a request is for the analyst's information; only
the opinion asked while scoring may send a case to review). The model is asked outside any
transaction, between reading the scoring result and writing the record, so a slow answer holds
no lock. With no language model configured the request is refused (`SecondOpinionsOff`, a
conflict: HTTP 409) rather than stored as a fallback nobody asked to pay attention to.
"""

from __future__ import annotations

from attrs import frozen

from application.credit.lifecycle import load_application
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.credit.second_opinion import SecondOpinionAdviser
from application.ports import Clock
from domain.credit.second_opinion_record import OpinionTrigger, SecondOpinionRecord
from domain.errors import ConflictError
from domain.identity import Permission, Principal, authorize

__all__ = ["ListSecondOpinions", "NotScoredYet", "RequestSecondOpinion", "SecondOpinionsOff"]

#: The most records a list returns (newest first): a case is asked about a few times at most.
LIST_LIMIT = 50


class SecondOpinionsOff(ConflictError):
    def __init__(self) -> None:
        super().__init__(
            "LLM use is not configured, so second opinions cannot be asked for: "
            "set CREDITDESK_LLM_BASE_URL (and the model and key) to turn it on"
        )


class NotScoredYet(ConflictError):
    def __init__(self, application_id: str) -> None:
        super().__init__(
            f"application {application_id} has not been scored yet: a second opinion reads "
            "the scoring result"
        )


@frozen
class RequestSecondOpinion:
    uow: UnitOfWork
    clock: Clock
    adviser: SecondOpinionAdviser

    def __call__(self, principal: Principal, application_id: str) -> SecondOpinionRecord:
        """The stored record (answered, cached, or a fallback with its cause); `NotFound` if
        the tenant has no such application, `NotScoredYet`, or `SecondOpinionsOff`."""
        authorize(principal, Permission.DECISION_CREATE)
        tenant_id = principal.tenant_id
        with self.uow:  # another tenant's id is not found, whatever the configuration
            application = load_application(self.uow, tenant_id, application_id)
            result = self.uow.scoring_results.latest(tenant_id, application_id)
        if not self.adviser.configured:
            raise SecondOpinionsOff()
        if result is None:
            raise NotScoredYet(application_id)
        now = self.clock.now()
        record = self.adviser.advise(
            result,
            application.form.loan,
            trigger=OpinionTrigger.REQUESTED,
            at=now,
            requested_by=principal.user_id,
        )
        with self.uow:
            self.uow.second_opinions.add_many([record])
            Journal.of(self.uow, principal, now).audit(
                "second_opinion.requested",
                "second_opinion",
                record.id,
                new={
                    "application_id": application_id,
                    "outcome": record.outcome.value,
                    **({"cause": record.fallback_cause} if record.fallback_cause else {}),
                },
            )
            self.uow.commit()
        return record


@frozen
class ListSecondOpinions:
    uow: UnitOfWork

    def __call__(self, principal: Principal, application_id: str) -> list[SecondOpinionRecord]:
        """The application's records, newest first; `NotFound` if the tenant has none such."""
        authorize(principal, Permission.APPLICATION_VIEW)
        with self.uow:
            load_application(self.uow, principal.tenant_id, application_id)
            return self.uow.second_opinions.of_application(
                principal.tenant_id, application_id, LIST_LIMIT
            )
