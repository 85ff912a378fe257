"""`GET /api/v1/models/{version}/report/{name}`: a file of a model version's evaluation report.

The PNG plots (ROC, calibration, score distribution, feature contributions) and the report's
HTML page, as training stored them; the workbench's models page shows the plots with `<img>`
and links to the page. Reading them needs analytics:view, as reading the model does. A name
off the report's list, a version of another tenant or one without a report is a 404.

The page is a static document the trainer wrote (its values escaped), with an inline style
and the plots beside it under relative names, which resolve to this same route. It is served
under a policy of its own that allows exactly that: no script, no frame, no form, no other
host; images from this origin and the inline style alone.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.params import FromPath

from application.credit.model_reports import REPORT_FILES, ReadModelReport
from domain.identity import Permission
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.openapi_docs import file_operation

BASE = "/api/v1/models"
#: What the report's page may load: its plots from this origin and its own inline style.
REPORT_PAGE_CSP = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


#: The operation of a report file: its 200 is a PNG or the HTML page, by name.
ReportFileOperation = file_operation(list(REPORT_FILES.values()))


def _route() -> dict[str, Any]:
    """The guard, with the names the route serves said in its description."""
    route = requires(Permission.ANALYTICS_VIEW)
    names = ", ".join(f"`{name}`" for name in REPORT_FILES)
    route["description"] = f"{route['description']} `name` is one of {names}; no other is found."
    return route


class ModelReportController(Controller):
    path = BASE
    tags = ["models"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @get("/{version:str}/report/{name:str}", summary="A file of a model's evaluation report",
         operation_id="getModelReportFile", operation_class=ReportFileOperation,
         sync_to_thread=True, **_route())  # fmt: skip
    def report_file(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        version: FromPath[str],
        name: FromPath[str],
    ) -> Response[bytes]:
        found = ReadModelReport(deps.uow(), deps.store)(principal, version, name)
        headers = {"Content-Disposition": f'inline; filename="{found.name}"'}
        if found.content_type == "text/html":
            headers["Content-Security-Policy"] = REPORT_PAGE_CSP
        return Response(found.data, media_type=found.content_type, headers=headers)
