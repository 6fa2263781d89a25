"""EDI X12: a trading partner posts an interchange of 850 purchase orders; the 855s and 856s it is owed
are pulled from (or sent by) the channel's documents (oms.api.routes.channels)."""

from fastapi import APIRouter, HTTPException, Request, Response
from starlette.concurrency import run_in_threadpool

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import MEDIA_TYPE, Problem, problem_responses
from oms.api.raw_body import read_body, too_large
from oms.api.responses import view_response
from oms.services.channel_edi import receive_interchange
from oms.services.channel_edi_models import InterchangeReceipt
from oms.services.inbound import MAX_PAYLOAD_BYTES

router = APIRouter(tags=["edi"])
MEDIA_TYPES = ("application/edi-x12", "text/plain")
UNSUPPORTED = {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": "Unsupported content type"}
RESPONSES = {200: {"model": InterchangeReceipt, "description": "Received before: the first answer"},
             **problem_responses(403, 404, 409, 422), 415: UNSUPPORTED, **too_large(MAX_PAYLOAD_BYTES)}  # fmt: skip
BODY = {"requestBody": {"required": True, "content": {
    media_type: {"schema": {"type": "string", "description": "The interchange as the partner sends it"}}
    for media_type in MEDIA_TYPES}}}  # fmt: skip


@router.post(
    "/channels/{channel_id}/edi/x12",
    status_code=201,
    response_model=InterchangeReceipt,
    responses=RESPONSES,
    openapi_extra=BODY,
)
async def receive_x12(channel_id: str, request: Request, actor: ActorDep, uow: UowDep) -> Response:
    """Receive an X12 interchange (004010 or 005010) of 850 purchase orders, its delimiters read from its
    ISA. A broken envelope or control count is refused whole (422, a pointer per problem:
    `/segments/{position}/{element}`) and nothing is stored. Otherwise the interchange is stored once and
    each purchase order captured, or refused alone: the answer says which, per transaction set, and an 855
    is owed for each. The same interchange again (sender and ISA13) answers 200 with the first answer; another one under
    that sender and ISA13 is refused (409)."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise HTTPException(415, f"send {' or '.join(MEDIA_TYPES)}, not {media_type or 'no content type'}")
    body = await read_body(request, MAX_PAYLOAD_BYTES)
    receipt = await run_in_threadpool(receive_interchange, uow, actor, channel_id, body, media_type)
    return view_response(receipt, 200 if receipt.replayed else 201)
