"""`/api/v1/exports`: export applications as CSV or XLSX, poll a large export, download it.

`POST` counts the rows the filter admits. Up to 10,000 the file is written at once and the
answer is 201 with the export done and its download link; past that the export is a job and the
answer is 202 with its status link (`GET /exports/{id}`) to poll until it is done. The download
answers the file itself with its media type and as an attachment; before the export is done it
is a 409. Every route needs analytics:view; another tenant's export is not found.
"""

from __future__ import annotations

from typing import Any

from attrs import field, frozen
from litestar import Controller, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath

from adapters.serialization import structure, unstructure
from application.credit.exports import DownloadExport, GetExport, RequestExport
from domain.credit.exports import Export, ExportFilter, ExportFormat, ExportStatus
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import DocumentedJSON, file_operation

BASE = "/api/v1/exports"
_P = Permission


@frozen
class ExportBody:
    """What `POST /exports` takes: the format, which applications, and whether personal data
    is wanted in the clear (it is masked otherwise)."""

    format: ExportFormat
    filter: ExportFilter = field(factory=ExportFilter)
    personal_data: bool = False


def _request_route() -> dict[str, Any]:
    """The guard of `POST /exports`, with its second success (202, a job) documented."""
    route = requires(_P.ANALYTICS_VIEW)
    pending = ResponseSpec(
        data_container=dict[str, Any], generate_examples=False,
        description="More than 10,000 rows: the export is pending, written by a job",
    )  # fmt: skip
    route["responses"] = {**route["responses"], 202: pending}
    return route


#: The download's operation: its 200 is a file in either format's media type.
FileDownload = file_operation([f.media_type.partition(";")[0] for f in ExportFormat])


def export_json(export: Export) -> dict[str, Any]:
    """The export as JSON, with its links; the object key stays inside."""
    body: dict[str, Any] = unstructure(export)
    body.pop("object_key", None)
    links = {"self": f"{BASE}/{export.id}"}
    if export.status is ExportStatus.DONE:
        links["download"] = f"{BASE}/{export.id}/download"
    body["links"] = links
    return body


class ExportsController(Controller):
    path = BASE
    tags = ["exports"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(summary="Export applications as CSV or XLSX", operation_id="requestExport",
          sync_to_thread=True, **_request_route())  # fmt: skip
    def request_export(
        self, deps: AppDeps, principal: CurrentPrincipal, data: DocumentedJSON[ExportBody]
    ) -> Response[Any]:
        """201 with the export done (up to 10,000 rows), else 202 with it pending (a job)."""
        body = structure(data, ExportBody)
        export = RequestExport(deps.uow(), deps.store, deps.export_files, deps.clock, deps.ids)(
            principal, body.format, body.filter, personal_data=body.personal_data
        )
        return Response(
            export_json(export),
            status_code=201 if export.status is ExportStatus.DONE else 202,
            headers={"Location": f"{BASE}/{export.id}"},
        )

    @get("/{export_id:str}", summary="An export's status", operation_id="getExport",
         sync_to_thread=True, **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def export(
        self, deps: AppDeps, principal: CurrentPrincipal, export_id: FromPath[str]
    ) -> dict[str, Any]:
        return export_json(GetExport(deps.uow())(principal, export_id))

    @get("/{export_id:str}/download", summary="A done export's file",
         operation_id="downloadExport", operation_class=FileDownload,
         sync_to_thread=True, **requires(_P.ANALYTICS_VIEW))  # fmt: skip
    def download(
        self, deps: AppDeps, principal: CurrentPrincipal, export_id: FromPath[str]
    ) -> Response[bytes]:
        found = DownloadExport(deps.uow(), deps.store, deps.clock)(principal, export_id)
        return Response(
            found.data,
            # Litestar adds the charset of a text type itself.
            media_type=found.export.format.media_type.partition(";")[0],
            headers={"Content-Disposition": f'attachment; filename="{found.export.file_name}"'},
        )
