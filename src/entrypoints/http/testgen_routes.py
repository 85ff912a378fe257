"""`/api/v1/testgen/suites`: submit an OpenAPI spec, review the suite generated from it, run
its quality gate, fetch its files and deliver its approved tests to a git repository.

Each route is a thin door onto `deps.testgen` (the use cases' facade): viewing needs
testgen:view, submitting and running the gate testgen:submit, reviewing and delivering
testgen:review. A spec with faults answers 422 listing each fault by its JSON pointer; the same
spec submitted again answers 200 with the suite it made the first time (201 when new). Another
tenant's suite is not found, as every record of another tenant is.
"""

from __future__ import annotations

import io
import zipfile
from enum import StrEnum
from typing import Annotated, Any

import anyio.to_thread
from litestar import Controller, Request, Response, get, post
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, QueryParameter

from adapters.serialization import structure
from application.testgen.views import SpecUpload
from domain.errors import Problem
from domain.identity import Permission
from domain.testgen.delivery import DeliveryFailed
from domain.testgen.rendered import RenderedSuite
from entrypoints.http.auth import AppDeps, CurrentPrincipal, requires
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import DocumentedJSON, also_answers
from entrypoints.http.problems import problem_response
from entrypoints.http.testgen_bodies import (
    BulkApproveBody,
    DeliveryBody,
    GateBody,
    ReviewBody,
)
from entrypoints.http.testgen_docs import SpecUploadOperation, SuiteFilesOperation
from entrypoints.http.testgen_json import (
    BASE,
    bulk_json,
    detail_json,
    files_json,
    gate_json,
    receipt_json,
    review_json,
    submit_json,
    suite_review_json,
    summary_json,
)
from entrypoints.http.testgen_proposals import TestgenProposalsController
from entrypoints.http.testgen_uploads import SpecTooLarge, received_spec, too_large
from entrypoints.http.testgen_webhook import OpenApiWebhookController

_P = Permission
SUITE = "/{suite_id:str}"
#: Every file of a zip gets this time, so the same suite zips to the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class FilesFormat(StrEnum):
    JSON = "json"
    ZIP = "zip"


def _submit_route() -> dict[str, Any]:
    """The upload's guard (rate limited as intake is), 413 and its second success documented."""
    route = also_answers(requires(_P.TESTGEN_SUBMIT, **{RATE_LIMIT_OPT: "intake"}), 413)
    again = ResponseSpec(
        data_container=dict[str, Any], generate_examples=False,
        description="The tenant submitted this spec before: its suite, unchanged",
    )  # fmt: skip
    route["responses"] = {**route["responses"], 200: again}
    return route


def zipped(rendered: RenderedSuite, folder: str) -> bytes:
    """The suite's files in a zip under `folder/`, byte for byte the same for the same suite."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(rendered.files, key=lambda f: f.path):
            info = zipfile.ZipInfo(f"{folder}/{file.path}", date_time=_ZIP_TIME)
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.text.encode(), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _delivery_failed(request: Request[Any, Any, Any], error: DeliveryFailed) -> Response[Any]:
    """git refused the delivery (an unreachable repository, a rejected push): 422 naming the
    repository, in git's words with any credential masked."""
    problem = Problem("repository", str(error))
    return problem_response(
        request, 422, "delivery-failed", "The delivery failed", problem.message, errors=(problem,)
    )


class TestgenController(Controller):
    path = BASE
    tags = ["testgen"]  # noqa: RUF012  # Litestar reads it as a class attribute
    exception_handlers = {DeliveryFailed: _delivery_failed}  # noqa: RUF012  # read by Litestar

    @post(summary="Submit an OpenAPI spec: a suite is generated for review",
          operation_id="submitSpec", status_code=201, request_max_body_size=None,
          operation_class=SpecUploadOperation, **_submit_route())  # fmt: skip
    async def submit(
        self, request: Request[Any, Any, Any], deps: AppDeps, principal: CurrentPrincipal
    ) -> Response[Any]:
        """The body is the spec (JSON or YAML), or a multipart form whose `file` holds it."""
        try:
            received = await received_spec(request, deps.settings.testgen.max_spec_bytes)
        except SpecTooLarge as error:
            return too_large(request, error)
        upload = SpecUpload(received.content, "upload", received.file_name)
        result = await anyio.to_thread.run_sync(deps.testgen.submit, principal, upload)
        return Response(
            submit_json(result),
            status_code=201 if result.created else 200,
            headers={"Location": f"{BASE}/{result.suite_id}"},
        )

    @get(summary="The suites awaiting or done with review, newest first",
         operation_id="listSuites", sync_to_thread=True,
         **requires(_P.TESTGEN_VIEW))  # fmt: skip
    def list_suites(self, deps: AppDeps, principal: CurrentPrincipal) -> dict[str, Any]:
        return {"items": [summary_json(s) for s in deps.testgen.suites(principal)]}

    @get(SUITE, summary="A suite: every test with its code, rule, spec location and review",
         operation_id="getSuite", sync_to_thread=True,
         **requires(_P.TESTGEN_VIEW))  # fmt: skip
    def suite(
        self, deps: AppDeps, principal: CurrentPrincipal, suite_id: FromPath[str]
    ) -> dict[str, Any]:
        return detail_json(deps.testgen.suite(principal, suite_id))

    @get(f"{SUITE}/files", summary="The suite's rendered files, as JSON or a zip archive",
         operation_id="getSuiteFiles", operation_class=SuiteFilesOperation,
         sync_to_thread=True, **requires(_P.TESTGEN_VIEW))  # fmt: skip
    def files(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        file_format: Annotated[FilesFormat, QueryParameter(name="format")] = FilesFormat.JSON,
    ) -> Response[Any]:
        rendered = deps.testgen.files(principal, suite_id)
        if file_format is FilesFormat.JSON:
            return Response(files_json(rendered))
        folder = f"suite-{suite_id}"
        return Response(
            zipped(rendered, folder),
            media_type="application/zip",
            headers={"Content-Disposition": f'attachment; filename="{folder}.zip"'},
        )

    @post(f"{SUITE}/review", summary="Approve, reject or reopen a whole suite",
          operation_id="reviewSuite", status_code=200, sync_to_thread=True,
          **requires(_P.TESTGEN_REVIEW))  # fmt: skip
    def review_suite(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        data: DocumentedJSON[ReviewBody],
    ) -> dict[str, Any]:
        """Approving a suite approves its pending tests (a suspect one only with a comment)."""
        body = structure(data, ReviewBody)
        review = deps.testgen.review_suite(principal, suite_id, body.action.value, body.comment)
        return suite_review_json(review)

    @post(f"{SUITE}/tests/{{case_id:str}}/review",
          summary="Approve, reject or reopen one test", operation_id="reviewTest",
          status_code=200, sync_to_thread=True, **requires(_P.TESTGEN_REVIEW))  # fmt: skip
    def review_test(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        case_id: FromPath[str],
        data: DocumentedJSON[ReviewBody],
    ) -> dict[str, Any]:
        body = structure(data, ReviewBody)
        review = deps.testgen.review_test(
            principal, suite_id, case_id, body.action.value, body.comment
        )
        return review_json(review)

    @post(f"{SUITE}/bulk-approve", summary="Approve many tests at once, with one comment",
          operation_id="bulkApproveTests", status_code=200, sync_to_thread=True,
          **requires(_P.TESTGEN_REVIEW))  # fmt: skip
    def bulk_approve(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        data: DocumentedJSON[BulkApproveBody],
    ) -> dict[str, Any]:
        """Tests that are not pending, not in the suite, or suspect without a comment are
        skipped and listed as such."""
        body = structure(data, BulkApproveBody).checked()
        result = deps.testgen.bulk_approve(principal, suite_id, body.case_ids, body.comment)
        return bulk_json(result)

    @post(f"{SUITE}/gate", summary="Run the quality gate: compile, collect, run against a URL",
          operation_id="runGate", status_code=200, sync_to_thread=True,
          **requires(_P.TESTGEN_SUBMIT))  # fmt: skip
    def gate(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        data: DocumentedJSON[GateBody],
    ) -> dict[str, Any]:
        """A test failing against a server believed correct is marked suspect."""
        target = structure(data, GateBody).target()
        return gate_json(deps.testgen.run_gate(principal, suite_id, target))

    @post(f"{SUITE}/deliveries", summary="Commit the approved tests to a git repository",
          operation_id="deliverSuite", status_code=201, sync_to_thread=True,
          **requires(_P.TESTGEN_REVIEW))  # fmt: skip
    def deliver(
        self,
        deps: AppDeps,
        principal: CurrentPrincipal,
        suite_id: FromPath[str],
        data: DocumentedJSON[DeliveryBody],
    ) -> dict[str, Any]:
        """Only approved tests are delivered; the commit message lists them."""
        target = structure(data, DeliveryBody).target()
        return receipt_json(deps.testgen.deliver(principal, suite_id, target))


#: The test-generation API and its signed webhook, for `create_app` to register in one line.
TESTGEN_CONTROLLERS: tuple[type[Controller], ...] = (
    TestgenController,
    TestgenProposalsController,
    OpenApiWebhookController,
)
