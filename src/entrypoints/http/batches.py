"""`/api/v1/batches`: upload a CSV file of applications, poll its progress, fetch its errors.

The upload is read from the request as it arrives and counted piece by piece: past the limit of
the settings (CREDITDESK_BATCH_MAX_BYTES) reading stops and the answer is 413 naming the limit,
so an oversized file is never held whole. Litestar's own body limit is lifted on this route for
that reason: the batch setting is the one limit, wherever it is set. The body is the CSV itself
(`text/csv`), or a `multipart/form-data` form whose `file` field holds it (as a browser sends
one). The use case checks the encoding and the header (422 naming every missing and unknown
column) and queues the rows to be read; rows are judged later, and polled through the batch.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from functools import partial
from typing import Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery

from adapters.serialization import unstructure
from application.credit.batch_queries import BatchErrorReport, GetBatch, ListBatches
from application.credit.upload_batch import BatchTooLarge, UploadBatch
from domain.credit.batches import Batch
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import (
    FileUpload,
    IdempotencyKey,
    UpTo1000,
    also_answers,
    also_succeeds,
)
from entrypoints.http.problems import problem_response
from entrypoints.http.uploads import form_file, read_within

BASE = "/api/v1/batches"
_P = Permission


def batch_json(batch: Batch) -> dict[str, Any]:
    """The batch as JSON: the stored record (its object key stays inside) and its progress."""
    body: dict[str, Any] = unstructure(batch)
    body.pop("object_key", None)
    body["progress"] = batch.counts()
    return body


class BatchesController(Controller):
    path = BASE
    tags = ["batches"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(summary="Upload a CSV batch of applications", operation_id="uploadBatch",
          status_code=202, request_max_body_size=None, operation_class=FileUpload,
          **also_succeeds(also_answers(requires(_P.APPLICATION_CREATE,
                                                **{RATE_LIMIT_OPT: "intake"}), 413),
                          200, "The batch an earlier upload under the same key made"))  # fmt: skip
    async def upload(
        self,
        request: Request[Any, Any, Any],
        deps: AppDeps,
        principal: CurrentPrincipal,
        idempotency_key: IdempotencyKey = None,
        file_name: FromQuery[str] = "batch.csv",
    ) -> Response[Any]:
        """202 with the new batch (rows are read in the background), or 200 with the batch an
        earlier upload under the same key made."""
        settings = deps.settings.batches
        pieces: AsyncIterator[bytes] = request.stream()
        try:
            if request.content_type[0] == "multipart/form-data":
                pieces, named = await form_file(request, settings.max_bytes, BatchTooLarge)
                file_name = named or "batch.csv"
            data = await read_within(pieces, settings.max_bytes, BatchTooLarge)
        except BatchTooLarge as too_large:
            return problem_response(
                request, 413, "too-large", "The upload is too large",
                too_large.problems[0].message, errors=too_large.problems,
            )  # fmt: skip
        upload = UploadBatch(
            deps.uow(), deps.store, deps.clock, deps.ids, settings.max_bytes, settings.chunk_rows
        )
        uploaded = await anyio.to_thread.run_sync(
            partial(upload, principal, [data], idempotency_key=idempotency_key, file_name=file_name)
        )
        return Response(
            batch_json(uploaded.batch),
            status_code=202 if uploaded.created else 200,
            headers={"Location": f"{BASE}/{uploaded.batch.id}"},
        )

    @get(summary="The latest batches", operation_id="listBatches", sync_to_thread=True,
         **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def list_batches(
        self, deps: AppDeps, principal: CurrentPrincipal, limit: UpTo1000 = 50
    ) -> dict[str, Any]:
        found = ListBatches(deps.uow())(principal, limit=limit)
        return {"items": [batch_json(batch) for batch in found]}

    @get("/{batch_id:str}", summary="A batch's status and progress", operation_id="getBatch",
         sync_to_thread=True, **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def batch(
        self, deps: AppDeps, principal: CurrentPrincipal, batch_id: FromPath[str]
    ) -> dict[str, Any]:
        return batch_json(GetBatch(deps.uow())(principal, batch_id))

    @get("/{batch_id:str}/errors", summary="The rows refused, as CSV (row,column,message)",
         operation_id="getBatchErrors", media_type="text/csv; charset=utf-8",
         sync_to_thread=True, **requires(_P.APPLICATION_VIEW))  # fmt: skip
    def errors(
        self, deps: AppDeps, principal: CurrentPrincipal, batch_id: FromPath[str]
    ) -> Response[str]:
        report = BatchErrorReport(deps.uow())(principal, batch_id)
        return Response(
            report,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}-errors.csv"'},
        )
