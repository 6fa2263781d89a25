"""Channel integrations, the payloads channels sent (as received), and the documents owed to them."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Limit
from oms.api.problems import problem_responses
from oms.services import channel_documents as documents
from oms.services import channel_integrations as integrations
from oms.services import inbound
from oms.services.inbound import PayloadPublic, PayloadSummary, Source

router = APIRouter(tags=["channels"])
ERRORS = problem_responses(404, 422)


@router.get("/channels/{channel_id}/integration", responses=ERRORS)
def read_integration(channel_id: str, actor: ActorDep, uow: UowDep) -> integrations.ChannelIntegrationPublic:
    return integrations.get_integration(uow, actor, channel_id)


@router.put("/channels/{channel_id}/integration", responses=ERRORS)
def write_integration(
    channel_id: str, body: integrations.ChannelIntegrationIn, actor: ActorDep, uow: UowDep
) -> integrations.ChannelIntegrationPublic:
    """Set the channel's adapter, its settings (checked against the adapter's schema), its secrets, and how
    documents owed to it travel (admins only: it holds the channel's secrets, which are never shown)."""
    return integrations.set_integration(uow, actor, channel_id, body)


@router.get("/channels/{channel_id}/inbound-payloads", responses=ERRORS)
def search_payloads(
    channel_id: str, actor: ActorDep, uow: UowDep, limit: Limit = 50,
    source: Annotated[Source | None, Query()] = None,
    before: Annotated[int | None, Query(description="The last id of the previous page")] = None,
) -> list[PayloadSummary]:  # fmt: skip
    """What the channel sent and the OMS accepted, newest first, with what became of each payload."""
    return inbound.list_payloads(uow, actor, channel_id, source, before, limit)


@router.get("/inbound-payloads/{payload_id}", responses=ERRORS)
def read_payload(payload_id: int, actor: ActorDep, uow: UowDep) -> PayloadPublic:
    """A payload as received, byte for byte (text as is, binary base64-encoded), and the orders it made."""
    return inbound.get_payload(uow, actor, payload_id)


@router.get("/channels/{channel_id}/documents", responses=ERRORS)
def search_documents(
    channel_id: str, actor: ActorDep, uow: UowDep, limit: Limit = 100,
    pending: Annotated[bool, Query(description="Only those not acknowledged yet")] = True,
    kind: Annotated[str | None, Query(max_length=30)] = None,
    after: Annotated[int | None, Query(description="The last id of the previous page")] = None,
) -> list[documents.ChannelDocumentSummary]:  # fmt: skip
    """Documents owed to the channel (EDI 855 and 856, marketplace acknowledgements), oldest first."""
    return documents.list_documents(uow, actor, channel_id, pending, kind, after, limit)


@router.get(
    "/channels/{channel_id}/documents/{document_id}",
    response_class=Response,
    responses={200: {"description": "The document itself, in its own content type"}, **ERRORS},
)
def read_document(channel_id: str, document_id: int, actor: ActorDep, uow: UowDep) -> Response:
    document = documents.get_document(uow, actor, channel_id, document_id)
    return Response(document.body, media_type=document.content_type,
                    headers={"OMS-Document-Kind": document.kind, "OMS-Document-Subject": document.subject})  # fmt: skip


@router.post("/channels/{channel_id}/documents/{document_id}/acknowledge", responses=ERRORS)
def acknowledge(channel_id: str, document_id: int, actor: ActorDep, uow: UowDep) -> documents.ChannelDocumentSummary:
    """The channel has the document: it leaves the pending list."""
    return documents.acknowledge_document(uow, actor, channel_id, document_id)
