"""`POST /api/v1/webhooks/openapi`: a tenant's build pipeline pushes its OpenAPI spec, signed.

The route is public (no token: a pipeline holds a signing secret instead), and nothing is parsed
until the signature holds. The call names its tenant in `X-Creditdesk-Tenant` and signs the
body as creditdesk signs its own webhooks (`domain.webhooks`): `X-Creditdesk-Signature:
t=<unix seconds>,v1=<hex HMAC-SHA256 of f"{t}.".encode() + body>`, keyed by the tenant's
secret from CREDITDESK_TESTGEN_WEBHOOK_SECRETS. A call outside five minutes of the server's
clock, with a missing, malformed or wrong signature, or for a tenant without a secret, answers
the same 401: which part failed is not said, so the answer teaches a forger nothing. The
comparison is constant-time, and an unknown tenant is checked against a stand-in secret so it
takes as long as a known one.

A signed spec is submitted for the tenant by a system principal of the qa_engineer role, so the
suite's audit trail names the webhook as its author. Submitting is idempotent by the spec's
hash: the first call answers 201 with the new suite, a repeat (a retried delivery, an unchanged
spec on the next build) 200 with the same suite id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import anyio.to_thread
from litestar import Controller, Request, Response, post
from litestar.openapi.datastructures import ResponseSpec

from application.testgen.views import SpecUpload
from domain.identity import Principal, Role
from domain.webhooks import SIGNATURE_HEADER, InvalidSignature, verify
from entrypoints.composition import Deps
from entrypoints.http.auth import PUBLIC, AppDeps
from entrypoints.http.limits import RATE_LIMIT_OPT
from entrypoints.http.openapi_docs import problem_responses
from entrypoints.http.problems import problem_response
from entrypoints.http.testgen_docs import WebhookSpecOperation
from entrypoints.http.testgen_json import BASE, submit_json
from entrypoints.http.testgen_uploads import SpecTooLarge, too_large
from entrypoints.http.uploads import read_within
from entrypoints.testgen_settings import TestgenSettings

WEBHOOK_PATH = "/api/v1/webhooks/openapi"
TENANT_HEADER = "X-Creditdesk-Tenant"
#: The user id the webhook acts as; audit events and suites name it as their author.
WEBHOOK_USER = "system:openapi-webhook"
#: Checked against when the tenant has no secret, so an unknown tenant costs the same time.
_STAND_IN_SECRET = "no-tenant-has-this-secret-0123456789"  # noqa: S105 - signs nothing
_LONGEST_HEADER = 1_000


#: A repeat answers 200 with the suite the first call made; refusals are problem+json.
_RESPONSES = {
    200: ResponseSpec(
        data_container=dict[str, Any], generate_examples=False,
        description="The tenant sent this spec before: its suite, unchanged",
    ),
    **problem_responses(401, 413, 422, 429),
}  # fmt: skip


class WebhookRefused(Exception):
    """The call is not signed as its tenant's calls must be (which part failed is not kept)."""


def signed_principal(
    settings: TestgenSettings, tenant_id: str, signature: str, body: bytes, now: datetime
) -> Principal:
    """The principal a correctly signed call acts as; `WebhookRefused` otherwise."""
    secret = settings.webhook_secret(tenant_id) if tenant_id else None
    if len(signature) > _LONGEST_HEADER:
        raise WebhookRefused
    try:
        verify(secret or _STAND_IN_SECRET, signature, body, now)
    except (InvalidSignature, OverflowError, ValueError):
        raise WebhookRefused from None
    if secret is None:
        raise WebhookRefused
    return Principal(user_id=WEBHOOK_USER, tenant_id=tenant_id, role=Role.QA_ENGINEER)


def _tenant_active(deps: Deps, tenant_id: str) -> bool:
    """Whether the tenant the settings name exists and is active (a closed lender's pipeline
    is refused like any unsigned call)."""
    with deps.uow() as uow:
        tenant = uow.tenants.get(tenant_id)
    return tenant is not None and tenant.active


def refused(request: Request[Any, Any, Any]) -> Response[Any]:
    return problem_response(
        request,
        401,
        "invalid-signature",
        "The webhook call is not signed",
        f"sign the body with the tenant's webhook secret ({SIGNATURE_HEADER}: t=<unix "
        f"seconds>,v1=<HMAC-SHA256 hex>) within five minutes, naming the tenant in "
        f"{TENANT_HEADER}",
        headers={"WWW-Authenticate": 'Signature realm="creditdesk"'},
    )


class OpenApiWebhookController(Controller):
    path = WEBHOOK_PATH
    tags = ["testgen"]  # noqa: RUF012  # Litestar reads it as a class attribute

    @post(summary="Receive an OpenAPI spec from a signed webhook call",
          operation_id="receiveSpecWebhook", status_code=201, request_max_body_size=None,
          operation_class=WebhookSpecOperation, opt={**PUBLIC, RATE_LIMIT_OPT: "intake"},
          responses=_RESPONSES)  # fmt: skip
    async def receive(self, request: Request[Any, Any, Any], deps: AppDeps) -> Response[Any]:
        """201 with the new suite, or 200 with the suite an earlier call of the same spec made."""
        settings = deps.settings.testgen
        try:
            body = await read_within(request.stream(), settings.max_spec_bytes, SpecTooLarge)
        except SpecTooLarge as error:
            return too_large(request, error)
        tenant_id = request.headers.get(TENANT_HEADER, "").strip()
        signature = request.headers.get(SIGNATURE_HEADER, "")
        try:
            principal = signed_principal(settings, tenant_id, signature, body, deps.clock.now())
        except WebhookRefused:
            return refused(request)
        if not await anyio.to_thread.run_sync(_tenant_active, deps, tenant_id):
            return refused(request)
        upload = SpecUpload(body, "webhook", f"webhook {tenant_id}")
        result = await anyio.to_thread.run_sync(deps.testgen.submit, principal, upload)
        return Response(
            submit_json(result),
            status_code=201 if result.created else 200,
            headers={"Location": f"{BASE}/{result.suite_id}"},
        )
