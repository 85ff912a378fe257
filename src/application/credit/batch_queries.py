"""What a lender reads about its CSV batches: progress, the list, and the error report.

Progress is polled (`GetBatch`): rows read, accepted, rejected and scored, and the status. The
error report (`BatchErrorReport`) is a CSV of `row,column,message`, one line per problem, by
row, in the order each row's problems were found: the file a lender fixes the rejected rows
from. It is read from the database in slices of rows, so a large report never needs one huge
query.
"""

from __future__ import annotations

import csv
import io

from attrs import field, frozen, validators

from application.credit.ports import UnitOfWork
from application.errors import NotFound
from domain.credit.batches import Batch
from domain.errors import Problem, ValidationFailed
from domain.identity import Permission, Principal, authorize

REPORT_COLUMNS = ("row", "column", "message")


@frozen
class GetBatch:
    uow: UnitOfWork

    def __call__(self, principal: Principal, batch_id: str) -> Batch:
        authorize(principal, Permission.APPLICATION_VIEW)
        with self.uow:
            batch = self.uow.batches.get(principal.tenant_id, batch_id)
        if batch is None:
            raise NotFound("batch", batch_id)
        return batch


@frozen
class ListBatches:
    uow: UnitOfWork

    def __call__(self, principal: Principal, *, limit: int = 50) -> list[Batch]:
        """The tenant's latest batches, newest first."""
        authorize(principal, Permission.APPLICATION_VIEW)
        if not 1 <= limit <= 1_000:
            raise ValidationFailed((Problem("limit", "between 1 and 1,000 batches"),))
        with self.uow:
            return self.uow.batches.recent(principal.tenant_id, limit=limit)


@frozen
class BatchErrorReport:
    uow: UnitOfWork
    rows_per_read: int = field(default=10_000, validator=validators.ge(1))

    def __call__(self, principal: Principal, batch_id: str) -> str:
        """The report as CSV text with a header line; just the header when no row was refused."""
        authorize(principal, Permission.APPLICATION_VIEW)
        tenant_id = principal.tenant_id
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(REPORT_COLUMNS)
        with self.uow:
            batch = self.uow.batches.get(tenant_id, batch_id)
            if batch is None:
                raise NotFound("batch", batch_id)
            for first in range(1, batch.rows_read + 1, self.rows_per_read):
                last = min(first + self.rows_per_read - 1, batch.rows_read)
                for error in self.uow.batches.errors(tenant_id, batch_id, first, last):
                    writer.writerow((error.row, error.column, error.message))
        return text.getvalue()
