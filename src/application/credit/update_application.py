"""Correct or withdraw an application before it is scored.

Once scoring has begun the form is evidence (the score was computed from it), so an update is
accepted only while the application is pending, and a cancellation is the lifecycle's move
pending -> cancelled (`domain.credit.status.transition`), refused from any other status.
"""

from __future__ import annotations

from attrs import evolve, field, frozen

from application.credit.lifecycle import load_application, moved
from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.credit.snapshots import application_snapshot
from application.ports import Clock
from domain.credit.application import Application, ApplicationForm, form_fingerprint
from domain.credit.status import ApplicationStatus, ensure_form_editable
from domain.credit.validation import FormLimits, validate
from domain.errors import ConflictError
from domain.identity import Permission, Principal, authorize


@frozen
class UpdateApplication:
    uow: UnitOfWork
    clock: Clock
    limits: FormLimits = field(factory=FormLimits)

    def __call__(
        self, principal: Principal, application_id: str, form: ApplicationForm
    ) -> Application:
        """Replace the form of a pending application; the same form again changes nothing."""
        authorize(principal, Permission.APPLICATION_CREATE)
        now = self.clock.now()
        validate(form, now.date(), self.limits)
        with self.uow:
            current = load_application(self.uow, principal.tenant_id, application_id)
            ensure_form_editable(current.status)
            if form_fingerprint(form) == form_fingerprint(current.form):
                return current
            if form.external_id != current.form.external_id:
                taken = self.uow.applications.get_by_external_id(
                    principal.tenant_id, form.external_id
                )
                if taken is not None:
                    raise ConflictError(
                        f"external id {form.external_id!r} already names application {taken.id}"
                    )
            updated = evolve(current, form=form, updated_at=now)
            self.uow.applications.update(updated)
            Journal.of(self.uow, principal, now).audit(
                "application.updated",
                "application",
                application_id,
                old=application_snapshot(current),
                new=application_snapshot(updated),
            )
            self.uow.commit()
            return updated


@frozen
class CancelApplication:
    uow: UnitOfWork
    clock: Clock

    def __call__(self, principal: Principal, application_id: str) -> Application:
        authorize(principal, Permission.APPLICATION_CREATE)
        now = self.clock.now()
        with self.uow:
            current = load_application(self.uow, principal.tenant_id, application_id)
            cancelled = moved(current, ApplicationStatus.CANCELLED, now)
            self.uow.applications.update(cancelled)
            Journal.of(self.uow, principal, now).audit(
                "application.cancelled",
                "application",
                application_id,
                old=application_snapshot(current),
                new=application_snapshot(cancelled),
            )
            self.uow.commit()
            return cancelled
