"""Submit a loan application: validated, stored as pending, and queued for scoring.

A lender's system retries when a response is lost, so a submission is idempotent per tenant and
`Idempotency-Key`: the same key with the same form returns the application the first request
created; the same key with a different form is a conflict naming the key. "The same form" is
`domain.credit.application.form_fingerprint`, which ignores how the JSON was spelled. A form
whose external id the tenant already used is treated alike: the same form finds the original
application, a different one is a conflict, so a lender's reference never names two loans.
"""

from __future__ import annotations

from datetime import datetime

from attrs import field, frozen

from application.credit.ports import IdempotencyRecord, UnitOfWork
from application.credit.recording import Journal, Topic
from application.credit.snapshots import application_snapshot
from application.errors import IdempotencyKeyReused, NotFound
from application.ports import Clock, IdGenerator
from domain.credit.application import Application, ApplicationForm, form_fingerprint
from domain.credit.status import ApplicationStatus
from domain.credit.validation import FormLimits, problems
from domain.errors import ConflictError, Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

MAX_IDEMPOTENCY_KEY = 255


@frozen
class Submitted:
    """The application, and whether this request created it (201) or found it (200)."""

    application: Application
    created: bool


def idempotency_key_problems(key: str | None) -> tuple[Problem, ...]:
    if key is not None and not (key.strip() and len(key) <= MAX_IDEMPOTENCY_KEY):
        message = f"must be 1 to {MAX_IDEMPOTENCY_KEY} characters, not blank"
        return (Problem("idempotency_key", message),)
    return ()


@frozen
class SubmitApplication:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    limits: FormLimits = field(factory=FormLimits)

    def __call__(
        self, principal: Principal, form: ApplicationForm, idempotency_key: str | None = None
    ) -> Submitted:
        authorize(principal, Permission.APPLICATION_CREATE)
        now = self.clock.now()
        tenant_id = principal.tenant_id
        fingerprint = form_fingerprint(form)
        with self.uow:
            if idempotency_key is not None:
                earlier = self._replay(tenant_id, idempotency_key, fingerprint)
                if earlier is not None:
                    return Submitted(earlier, created=False)
            found = (
                *idempotency_key_problems(idempotency_key),
                *problems(form, now.date(), self.limits),
            )
            if found:
                raise ValidationFailed(found)
            original = self.uow.applications.get_by_external_id(tenant_id, form.external_id)
            if original is not None:
                if form_fingerprint(original.form) != fingerprint:
                    raise ConflictError(
                        f"external id {form.external_id!r} already names application "
                        f"{original.id} with different content"
                    )
                application, created = original, False
            else:
                application, created = self._create(principal, form, now), True
            if idempotency_key is not None:
                self.uow.idempotency.add(
                    IdempotencyRecord(tenant_id, idempotency_key, fingerprint, application.id, now)
                )
            if created:
                # The last write: appending holds the tenant's audit chain until the commit,
                # so the tenant's other writers wait for this insert and the commit alone.
                Journal.of(self.uow, principal, now).audit(
                    "application.submitted",
                    "application",
                    application.id,
                    new=application_snapshot(application),
                )
            self.uow.commit()
            return Submitted(application, created)

    def _replay(self, tenant_id: str, key: str, fingerprint: str) -> Application | None:
        record = self.uow.idempotency.get(tenant_id, key)
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            raise IdempotencyKeyReused(key)
        application = self.uow.applications.get(tenant_id, record.application_id)
        if application is None:
            raise NotFound("application", record.application_id)
        return application

    def _create(self, principal: Principal, form: ApplicationForm, now: datetime) -> Application:
        application = Application(
            id=self.ids.new_id(),
            tenant_id=principal.tenant_id,
            form=form,
            status=ApplicationStatus.PENDING,
            submitted_at=now,
        )
        self.uow.applications.add(application)
        journal = Journal.of(self.uow, principal, now)
        journal.emit(self.ids, Topic.SCORE_APPLICATION, {"application_id": application.id})
        return application
