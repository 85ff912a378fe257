"""The batches page: upload a CSV file of applications and follow it to the end.

The list comes from the same use case as `GET /api/v1/batches`. The upload goes to
`POST /api/v1/batches` from the page's script (a multipart form, with an Idempotency-Key so a
second click sends the same batch, not a new one), which then polls the batch's status route
every second for the progress bar and the counts; the error report is the API's download.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, get

from application.credit.batch_queries import ListBatches
from domain.credit.batches import Batch, BatchStatus
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal
from entrypoints.web.guards import page
from entrypoints.web.layout import page_context
from entrypoints.web.rendering import render

RECENT = 20


def rows_done(batch: Batch) -> int:
    """Rows with nothing more to happen to them: refused rows once read, accepted ones once
    scored; a completed batch has all of its rows done."""
    if batch.status is BatchStatus.COMPLETED:
        return batch.total_rows
    return min(batch.rejected + batch.scored, batch.total_rows)


class BatchesPage(Controller):
    include_in_schema = False

    @get("/app/batches", **page(Permission.APPLICATION_CREATE))
    def batches(self, deps: AppDeps, principal: CurrentPrincipal) -> Any:
        recent = ListBatches(deps.uow())(principal, limit=RECENT)
        listed = [(batch, rows_done(batch)) for batch in recent]
        return render("batches.html", page_context(deps, principal, "batches", recent=listed))
