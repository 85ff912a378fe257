"""Reading an uploaded OpenAPI spec off a request, within the size limit of the settings.

A spec arrives as the body itself (JSON or YAML, whatever the content type says: the spec
loader tells them apart and names what is wrong), or as the `file` field of a
`multipart/form-data` form, as a browser sends one. The body is counted piece by piece as it
arrives and reading stops past CREDITDESK_TESTGEN_MAX_SPEC_BYTES, so an oversized upload is
never held whole; the answer is then 413 naming the limit. The webhook reads its body here too,
before it checks the signature: nothing is parsed until the signature holds.
"""

from __future__ import annotations

from typing import Any

from attrs import frozen
from litestar import Request, Response

from domain.errors import Problem, ValidationFailed
from entrypoints.http.problems import problem_response
from entrypoints.http.uploads import form_file, read_within

#: The longest file name kept as the spec's source.
_NAME_LIMIT = 200


class SpecTooLarge(Exception):
    """More bytes came than the limit allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"a spec may be at most {limit:,} bytes")
        self.limit = limit


@frozen
class ReceivedSpec:
    """The spec's bytes and, for a form upload, the file's name (kept as its source)."""

    content: bytes
    file_name: str | None = None


async def _form_file(request: Request[Any, Any, Any], limit: int) -> ReceivedSpec:
    """The `file` field of a multipart form, with its name kept as the spec's source."""
    pieces, named = await form_file(request, limit, SpecTooLarge)
    content = await read_within(pieces, limit, SpecTooLarge)
    return ReceivedSpec(content, (named or "").strip()[:_NAME_LIMIT] or None)


async def received_spec(request: Request[Any, Any, Any], limit: int) -> ReceivedSpec:
    """The uploaded spec: the `file` of a multipart form, else the body itself. An empty one
    is refused here, with the same 422 a malformed one gets from the loader."""
    if request.content_type[0] == "multipart/form-data":
        received = await _form_file(request, limit)
    else:
        received = ReceivedSpec(await read_within(request.stream(), limit, SpecTooLarge))
    if not received.content.strip():
        raise ValidationFailed((Problem("(body)", "is empty: send an OpenAPI document"),))
    return received


def too_large(request: Request[Any, Any, Any], error: SpecTooLarge) -> Response[Any]:
    """The 413 problem naming the limit."""
    problem = Problem("(body)", str(error))
    return problem_response(
        request, 413, "too-large", "The upload is too large", problem.message, errors=(problem,)
    )
