"""Import the history of granted loans and their outcomes: what credit models learn from.

A lender's own repaid and defaulted loans (or a public data set, see `adapters.ml.datasets`)
arrive as (form, defaulted) pairs under a source name. Each is stored as an application with
status approved (the loan was granted) together with its `LoanOutcome`, so training reads
stored applications whoever supplied them, through the same feature code as live scoring.

Imports are large and get retried, so:

* They are idempotent by external id. A row whose external id is already stored with the same
  form, outcome and source is counted as already present and stores nothing; one whose external
  id names something else (another form, outcome or source, or a live application) is rejected
  with the reason, as is a form that fails validation. Re-running an import, or resuming one
  that failed halfway, stores only what is missing.
* They commit in batches (`batch_size` rows, one unit of work each). A batch is stored whole or
  not at all, and is recorded by one audit event that summarises it rather than an event per
  row. A failure ends the import after the batches already committed.
* They report progress after each batch through an optional callback (rows done, total), for
  a progress bar.

Importing needs config:manage: history decides what every later model learns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from attrs import field, frozen, validators

from application.credit.ports import UnitOfWork
from application.credit.recording import Journal
from application.ports import Clock, IdGenerator
from domain.credit.application import Application, ApplicationForm, form_fingerprint
from domain.credit.history import LoanOutcome, is_source_name
from domain.credit.status import ApplicationStatus
from domain.credit.validation import FormLimits, problems
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

DEFAULT_BATCH_SIZE = 500
AUDIT_ACTION = "history.imported"
AUDIT_ENTITY = "loan_history"

#: Called with (rows done, rows in total): once before the first batch, then after each one.
Progress = Callable[[int, int], None]


@frozen
class RejectedRow:
    """A row that was not imported: its position in the input (from 1), its external id and
    every reason."""

    position: int
    external_id: str
    problems: tuple[Problem, ...]


@frozen
class ImportReport:
    """What one import did. `imported + already_present + len(rejected) == total`."""

    source: str
    total: int
    imported: int
    already_present: int
    rejected: tuple[RejectedRow, ...]


@frozen
class _Row:
    position: int
    form: ApplicationForm
    defaulted: bool


@frozen
class _BatchResult:
    imported: int
    already_present: int
    rejected: tuple[RejectedRow, ...]


@frozen
class ImportHistory:
    uow: UnitOfWork
    clock: Clock
    ids: IdGenerator
    limits: FormLimits = field(factory=FormLimits)
    batch_size: int = field(default=DEFAULT_BATCH_SIZE, validator=validators.ge(1))

    def __call__(
        self,
        principal: Principal,
        source: str,
        rows: Iterable[tuple[ApplicationForm, bool]],
        progress: Progress | None = None,
    ) -> ImportReport:
        """Import every (form, defaulted) pair of `rows` (read into memory first, to know the
        total) under `source`, a name like `credit_data`."""
        authorize(principal, Permission.CONFIG_MANAGE)
        if not is_source_name(source):
            message = "must be lowercase letters, digits, _ . or -, at most 64, like credit_data"
            raise ValidationFailed((Problem("source", message),))
        pending = [
            _Row(position, form, defaulted)
            for position, (form, defaulted) in enumerate(rows, start=1)
        ]
        total = len(pending)
        imported = already_present = 0
        rejected: list[RejectedRow] = []
        if progress is not None:
            progress(0, total)
        for start in range(0, total, self.batch_size):
            batch = pending[start : start + self.batch_size]
            result = self._batch(principal, source, batch)
            imported += result.imported
            already_present += result.already_present
            rejected.extend(result.rejected)
            if progress is not None:
                progress(start + len(batch), total)
        return ImportReport(source, total, imported, already_present, tuple(rejected))

    def _batch(self, principal: Principal, source: str, batch: Sequence[_Row]) -> _BatchResult:
        now = self.clock.now()
        imported = already_present = 0
        rejected: list[RejectedRow] = []
        with self.uow:
            for row in batch:
                found = self._problems(principal.tenant_id, source, row, now)
                if found is None:
                    already_present += 1
                elif found:
                    rejected.append(RejectedRow(row.position, row.form.external_id, found))
                else:
                    self._store(principal.tenant_id, source, row, now)
                    imported += 1
            if imported:
                Journal.of(self.uow, principal, now).audit(
                    AUDIT_ACTION,
                    AUDIT_ENTITY,
                    source,
                    new={
                        "source": source,
                        "first_position": batch[0].position,
                        "last_position": batch[-1].position,
                        "imported": imported,
                        "already_present": already_present,
                        "rejected": len(rejected),
                    },
                )
                self.uow.commit()
        return _BatchResult(imported, already_present, tuple(rejected))

    def _problems(
        self, tenant_id: str, source: str, row: _Row, now: datetime
    ) -> tuple[Problem, ...] | None:
        """Why the row cannot be imported; empty if it can, None if it is already stored."""
        found = problems(row.form, now.date(), self.limits)
        if found:
            return found
        stored = self.uow.applications.get_by_external_id(tenant_id, row.form.external_id)
        if stored is None:
            return ()
        outcome = self.uow.outcomes.get(tenant_id, stored.id)
        if outcome is None:
            reason = f"already names application {stored.id}, which has no known outcome"
        elif form_fingerprint(stored.form) != form_fingerprint(row.form):
            reason = f"already names application {stored.id} with a different form"
        elif outcome.source != source:
            reason = f"was already imported from source {outcome.source!r}"
        elif outcome.defaulted != row.defaulted:
            reason = f"was already imported with the opposite outcome ({_word(outcome)})"
        else:
            return None
        return (Problem("external_id", reason),)

    def _store(self, tenant_id: str, source: str, row: _Row, now: datetime) -> None:
        application = Application(
            id=self.ids.new_id(),
            tenant_id=tenant_id,
            form=row.form,
            status=ApplicationStatus.APPROVED,
            submitted_at=now,
        )
        self.uow.applications.add(application)
        self.uow.outcomes.add(
            LoanOutcome(
                tenant_id=tenant_id,
                application_id=application.id,
                defaulted=row.defaulted,
                observed_at=now,
                source=source,
            )
        )


def _word(outcome: LoanOutcome) -> str:
    return "defaulted" if outcome.defaulted else "repaid"
