"""Reading an uploaded OpenAPI spec off a request, within the size limit of the settings.

A spec arrives as the body itself (JSON or YAML, whatever the content type says: the spec
loader tells them apart and names what is wrong), or as the `file` field of a
`multipart/form-data` form, as a browser sends one. The body is counted piece by piece as it
arrives and reading stops past CREDITDESK_TESTGEN_MAX_SPEC_BYTES, so an oversized upload is
never held whole; the answer is then 413 naming the limit. The webhook reads its body here too,
before it checks the signature: nothing is parsed until the signature holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from attrs import frozen
from litestar import Request, Response
from litestar.datastructures import UploadFile

from domain.errors import Problem, ValidationFailed
from entrypoints.http.problems import problem_response

_PIECE = 64 * 1024
#: The bytes a multipart form may carry beside its file: boundaries, part headers, fields.
_FORM_ROOM = 64 * 1024
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


async def read_within(pieces: AsyncIterator[bytes], limit: int) -> bytes:
    """The body's bytes; `SpecTooLarge` as soon as more than `limit` have come."""
    buffer = bytearray()
    async for piece in pieces:
        buffer += piece
        if len(buffer) > limit:
            raise SpecTooLarge(limit)
    return bytes(buffer)


async def _form_file(request: Request[Any, Any, Any], limit: int) -> ReceivedSpec:
    """The `file` field of a multipart form. The form is parsed (its file spooled) before the
    file can be counted, so a form must announce its length, and one longer than the limit
    and room for the form's own lines is refused before anything is read."""
    announced = request.content_length
    if announced is None:
        raise ValidationFailed((Problem("Content-Length", "a multipart upload announces it"),))
    if announced > limit + _FORM_ROOM:
        raise SpecTooLarge(limit)
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed((Problem("file", "a multipart upload needs a file field"),))

    async def pieces() -> AsyncIterator[bytes]:
        while piece := await upload.read(_PIECE):
            yield piece

    content = await read_within(pieces(), limit)
    name = (upload.filename or "").strip()[:_NAME_LIMIT] or None
    return ReceivedSpec(content, name)


async def received_spec(request: Request[Any, Any, Any], limit: int) -> ReceivedSpec:
    """The uploaded spec: the `file` of a multipart form, else the body itself. An empty one
    is refused here, with the same 422 a malformed one gets from the loader."""
    if request.content_type[0] == "multipart/form-data":
        received = await _form_file(request, limit)
    else:
        received = ReceivedSpec(await read_within(request.stream(), limit))
    if not received.content.strip():
        raise ValidationFailed((Problem("(body)", "is empty: send an OpenAPI document"),))
    return received


def too_large(request: Request[Any, Any, Any], error: SpecTooLarge) -> Response[Any]:
    """The 413 problem naming the limit."""
    problem = Problem("(body)", str(error))
    return problem_response(
        request, 413, "too-large", "The upload is too large", problem.message, errors=(problem,)
    )
