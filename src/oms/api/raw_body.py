"""Bodies that routes take whole, as received (an X12 interchange, a marketplace's order JSON): refused
past a limit before more than the limit is read, so one request cannot fill the server's memory."""

from collections.abc import Awaitable, Callable

from fastapi import Request

from oms.api.problems import MEDIA_TYPE, Problem
from oms.services.errors import ContentTooLarge


def too_large(limit: int) -> dict:
    """The OpenAPI description of the 413 `read_body` answers."""
    return {413: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": f"A body over {limit:,} bytes"}}


async def read_body(request: Request, limit: int) -> bytes:
    """The request's body, or ContentTooLarge (413) as soon as it declares or sends more than `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ContentTooLarge(f"the body has {int(declared):,} bytes; at most {limit:,} are taken")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ContentTooLarge(f"the body has more than {limit:,} bytes; at most {limit:,} are taken")
    return bytes(body)


def body_at_most(limit: int) -> Callable[[Request], Awaitable[bytes]]:
    """A route dependency giving the body as `read_body` reads it."""

    async def body(request: Request) -> bytes:
        return await read_body(request, limit)

    return body
