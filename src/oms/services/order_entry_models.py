"""Order entry from documents: the draft a PDF purchase order or invoice becomes (what `oms entry extract
--json` prints, and what staff correct in the console), and the commands that edit and submit it. Only
submitting a draft creates an order, through the same capture as every channel."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from oms.channels.documents.model import DocumentType
from oms.services.errors import ValidationFailed
from oms.services.order_models import Command, Money

MatchMethod = Literal["sku", "barcode", "customer_part", "similarity", "manual"]
DraftStatus = Literal["draft", "submitted", "discarded"]
MAX_DOCUMENT_BYTES = 20_000_000
MAX_PAGES = 500


class Candidate(BaseModel):
    sku: str
    name: str
    score: float = Field(ge=0, le=1)


class DraftLine(BaseModel):
    sku: str | None = Field(description="The catalogue's SKU the line resolved to; null: staff must choose")
    description: str
    quantity: Decimal | None
    unit_price: Decimal | None
    match_score: float = Field(ge=0, le=1, description="How sure the SKU is: 1 for an exact code")
    match_method: MatchMethod | None = None
    code: str | None = Field(default=None, description="The product code as printed")
    customer_part_number: str | None = Field(default=None, description="The customer's own code, printed "
                                             "beside ours: learned (with the SKU) when the draft is submitted")
    line_total: Decimal | None = None
    candidates: list[Candidate] = Field(default=[], description="The closest catalogue products, best first")
    confidence: float = Field(default=0.0, ge=0, le=1, description="How sure the reading of the line is")


class DraftCustomer(BaseModel):
    name: str | None
    email: str | None = None
    id: int | None = Field(default=None, description="The known customer matched, if any")
    match_score: float = Field(default=0.0, ge=0, le=1)


class DraftAddress(BaseModel):
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None


class DraftContent(BaseModel):
    """A document read, resolved against the catalogue and customers, and checked as capture would."""

    document_type: DocumentType
    document_number: str | None
    document_date: dt.date | None
    customer: DraftCustomer
    currency: str | None
    ship_to: DraftAddress
    requested_delivery_date: dt.date | None
    lines: list[DraftLine]
    total: Decimal | None
    confidence: float = Field(ge=0, le=1, description="The draft's overall confidence")
    field_confidence: dict[str, float] = {}
    warnings: list[str] = Field(default=[], description="What does not add up or was not found")
    problems: list[dict] = Field(default=[], description="What capture would refuse now: path, message, code")


class OrderDraftPublic(DraftContent):
    id: int
    status: DraftStatus
    version: int
    channel: str
    file_name: str | None
    pages: int
    payload_id: int = Field(description="The document as uploaded: GET /inbound-payloads/{payload_id}")
    order_id: int | None = Field(description="The order submitting it created")
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime


class OrderDraftSummary(BaseModel):
    id: int
    status: DraftStatus
    channel: str
    file_name: str | None
    document_number: str | None
    customer_name: str | None
    lines: int
    confidence: float
    order_id: int | None
    created_by: str
    created_at: dt.datetime


class DraftUpload(Command):
    channel: Annotated[str, StringConstraints(min_length=1, max_length=40)]


class DraftLineEdit(Command):
    sku: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    description: Annotated[str, StringConstraints(max_length=500)] = ""
    quantity: int = Field(gt=0, le=100_000)
    unit_price: Money


class DraftEdit(Command):
    """Staff's corrections: every field the form shows, sent whole."""

    expected_version: int = Field(description="Refused with 409 when the draft changed since it was read")
    document_number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    customer_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    customer_email: Annotated[str, StringConstraints(strip_whitespace=True, max_length=320)]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
    ship_to: DraftAddress
    requested_delivery_date: dt.date | None = None
    lines: list[DraftLineEdit] = Field(min_length=1, max_length=500)


class DraftSubmit(Command):
    expected_version: int


class DocumentRefused(ValidationFailed):
    """A file that is no readable PDF document (malformed, encrypted, empty, too many pages)."""
