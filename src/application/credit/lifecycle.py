"""Small steps the credit use cases share: find a record of the acting tenant, move an
application through its lifecycle, and read what status a decision leaves it in."""

from __future__ import annotations

from datetime import datetime

from attrs import evolve

from application.credit.ports import UnitOfWork
from application.errors import NotFound
from domain.credit.application import Application
from domain.credit.decisions import Decision
from domain.credit.status import ApplicationStatus, transition


def load_application(uow: UnitOfWork, tenant_id: str, application_id: str) -> Application:
    application = uow.applications.get(tenant_id, application_id)
    if application is None:
        raise NotFound("application", application_id)
    return application


def load_decision(uow: UnitOfWork, tenant_id: str, decision_id: str) -> Decision:
    decision = uow.decisions.get(tenant_id, decision_id)
    if decision is None:
        raise NotFound("decision", decision_id)
    return decision


def moved(application: Application, target: ApplicationStatus, now: datetime) -> Application:
    """The application in `target` status, if the lifecycle allows the move."""
    return evolve(application, status=transition(application.status, target), updated_at=now)


def decided_status(decision: Decision) -> ApplicationStatus:
    """Approved for any approving decision (conditions included), declined otherwise."""
    return (
        ApplicationStatus.APPROVED
        if decision.decision_type.approves
        else ApplicationStatus.DECLINED
    )
