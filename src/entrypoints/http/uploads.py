"""Reading an upload off a request without ever holding more than a limit: a body counted
piece by piece as it arrives, or the `file` field of a multipart form. Batches and specs read
their uploads here; each says which error means "too large"."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

from litestar import Request
from litestar.datastructures import UploadFile

from domain.errors import Problem, ValidationFailed

PIECE = 64 * 1024
#: The bytes a multipart form may carry beside its file: boundaries, part headers, fields.
FORM_ROOM = 64 * 1024

TooLarge = Callable[[int], Exception]


async def form_file(
    request: Request[Any, Any, Any], limit: int, too_large: TooLarge
) -> tuple[AsyncIterator[bytes], str | None]:
    """The `file` field of a multipart form, a piece at a time, and its file name. The form is
    parsed (its file spooled to disk) before the file can be counted, so a form must announce
    its length, and one longer than the limit and room for the form's own lines is refused
    before anything is read."""
    announced = request.content_length
    if announced is None:
        raise ValidationFailed((Problem("Content-Length", "a multipart upload announces it"),))
    if announced > limit + FORM_ROOM:
        raise too_large(limit)
    form = await request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed((Problem("file", "a multipart upload needs a file field"),))

    async def pieces() -> AsyncIterator[bytes]:
        while piece := await upload.read(PIECE):
            yield piece

    return pieces(), upload.filename


async def read_within(pieces: AsyncIterator[bytes], limit: int, too_large: TooLarge) -> bytes:
    """The bytes; `too_large(limit)` is raised as soon as more than `limit` have come."""
    buffer = bytearray()
    async for piece in pieces:
        buffer += piece
        if len(buffer) > limit:
            raise too_large(limit)
    return bytes(buffer)
