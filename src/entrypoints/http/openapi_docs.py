"""What the OpenAPI document says beyond what Litestar reads off a handler's signature.

Two things. Errors: every answer that is not a success is RFC 9457 problem+json
(`entrypoints.http.problems`), so each route declares the problem statuses it can answer, with
the problem's schema, and a client (or a schema checker) finds every status it is sent in the
document. Bodies: a body the one converter reads (`adapters.serialization.structure`, which
lists every wrong field at once and refuses unknown ones) is declared as `DocumentedJSON[T]`;
the document shows `T`'s schema, and Litestar hands the handler the parsed JSON untouched,
because its own validation stops at the first wrong field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeAlias, TypeVar

from litestar.openapi.datastructures import ResponseSpec
from litestar.openapi.spec import Operation
from litestar.params import (
    HeaderParameter,
    JSONBody,
    PathParameter,
    QueryParameter,
    SkipValidation,
)

from application.credit.queries import MAX_PAGE_SIZE
from application.credit.submit_application import MAX_IDEMPOTENCY_KEY
from entrypoints.http.problems import MEDIA_TYPE

T = TypeVar("T")

if TYPE_CHECKING:
    #: Parsed JSON (anything), documented as `T`.
    DocumentedJSON: TypeAlias = Annotated[T | Any, "parsed JSON, documented as T"]
else:
    DocumentedJSON = JSONBody[SkipValidation[T]]


#: Paging query parameters, bounded as the use cases bound them (so Litestar refuses the rest
#: with the same 422, and the document says which values are served).
PageNumber = Annotated[int, QueryParameter(ge=1, le=1_000_000, description="1-based page number")]
PageSize = Annotated[int, QueryParameter(ge=1, le=MAX_PAGE_SIZE, description="Items per page")]
#: `limit` query parameters: how many of the latest records.
UpTo100 = Annotated[int, QueryParameter(ge=1, le=100, description="How many, 1 to 100")]
UpTo1000 = Annotated[int, QueryParameter(ge=1, le=1_000, description="How many, 1 to 1,000")]
#: A version number in a path: stored as a 32-bit integer, so a larger one names nothing.
VersionNumber = Annotated[int, PathParameter(ge=1, le=2**31 - 1, description="Version number")]
#: The `Idempotency-Key` header of an intake: 1 to 255 characters (what
#: `submit_application.idempotency_key_problems` refuses, refused before the use case; a blank
#: one is empty, as HTTP drops the white space around a header's value).
IdempotencyKey = Annotated[
    str | None,
    HeaderParameter(
        name="Idempotency-Key",
        min_length=1,
        max_length=MAX_IDEMPOTENCY_KEY,
        description="Repeats of a request under one key answer what the first one made",
    ),
]
#: A 0-based position in a list held in a path (a decision's conditions, say).
Position = Annotated[int, PathParameter(ge=0, le=2**31 - 1, description="0-based position")]


@dataclass(frozen=True)
class FieldProblem:
    """One wrong field: its dotted path (`loan.term_months`, or `(body)` for the whole)."""

    field: str
    message: str


@dataclass(frozen=True)
class ProblemDetails:
    """An RFC 9457 problem document; `errors` lists every wrong field of a 422."""

    type: str
    title: str
    status: int
    detail: str
    #: The request's path (never its query, which may hold a search term).
    instance: str
    #: The request id, also in the `X-Request-ID` header; quote it when reporting a problem.
    request_id: str
    errors: list[FieldProblem] | None = None


_MEANINGS: Mapping[int, str] = {
    400: "The request cannot be read",
    401: "No credential, or a false, expired or revoked one (with `WWW-Authenticate`)",
    403: "The caller's role lacks the permission",
    404: "No such record in the caller's tenant",
    409: "The request conflicts with the record's current state",
    413: "The upload is larger than the limit",
    422: "The request is not valid; `errors` lists every wrong field",
    429: "Too many requests from this client; retry after the window",
    503: "A part the service needs does not answer",
}
#: What any guarded route may answer besides its success.
GUARDED_PROBLEMS = (400, 401, 403, 404, 409, 422)


def problem_responses(*statuses: int) -> dict[int, ResponseSpec]:
    """Handler `responses` declaring each status as a problem+json answer."""
    return {
        status: ResponseSpec(
            data_container=ProblemDetails,
            description=_MEANINGS[status],
            media_type=MEDIA_TYPE,
            generate_examples=False,
        )
        for status in statuses
    }


def also_answers(route: dict[str, Any], *statuses: int) -> dict[str, Any]:
    """Route keyword arguments (`requires(...)`) with more problem statuses declared:
    `@post(..., **also_answers(requires(P.X), 413))`."""
    return {**route, "responses": {**route.get("responses", {}), **problem_responses(*statuses)}}


def also_succeeds(route: dict[str, Any], status: int, description: str) -> dict[str, Any]:
    """Route keyword arguments with a second success status declared (a JSON object): an
    intake answers 200 with what an earlier identical request made, beside its 201 or 202."""
    success = ResponseSpec(
        data_container=dict[str, Any], description=description, generate_examples=False
    )
    return {**route, "responses": {**route.get("responses", {}), status: success}}


def file_operation(media_types: Sequence[str]) -> type[Operation]:
    """An operation class whose 200 is a file in any of `media_types` (binary), which
    Litestar's single media type per response cannot say: `operation_class=` of a route that
    answers a download."""
    content = sorted(set(media_types))

    @dataclass
    class FileOperation(Operation):
        def to_schema(self) -> dict[str, Any]:
            schema = super().to_schema()
            ok = schema.get("responses", {}).get("200")
            if isinstance(ok, dict):
                binary = {"schema": {"type": "string", "format": "binary"}}
                ok["content"] = dict.fromkeys(content, binary)
            return schema

    return FileOperation


@dataclass
class FileUpload(Operation):
    """The operation of a route that reads its body itself (a CSV batch): the body is the file
    as `text/csv`, or a `multipart/form-data` form whose required `file` field holds it, which
    a handler without a `data` parameter leaves Litestar unable to say."""

    def to_schema(self) -> dict[str, Any]:
        schema = super().to_schema()
        binary = {"type": "string", "format": "binary"}
        form = {"type": "object", "properties": {"file": binary}, "required": ["file"]}
        schema["requestBody"] = {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {"schema": form},
            },
        }
        return schema
