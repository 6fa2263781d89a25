"""What a document says, as read from it: header fields, parties, lines and totals, each field with the
confidence of its reading. Codes and descriptions are as printed; which product a line is, is decided
later (oms.services.order_entry_resolution) against the catalogue."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

DocumentType = Literal["purchase_order", "invoice", "other"]


class DocumentFailure(Exception):
    """A file that is no readable document: `code` is one of malformed, encrypted, empty, too_many_pages,
    no_text (an image-only scan with no OCR installed, or OCR that read nothing)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


class Party(BaseModel):
    name: str | None = None
    line1: str | None = None
    line2: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = Field(default=None, description="ISO 3166-1 alpha-2")
    email: str | None = None
    phone: str | None = None


class ExtractedLine(BaseModel):
    code: str | None = Field(default=None, description="The product code as printed: a SKU, a barcode or "
                                                       "the customer's own part number")
    customer_part_number: str | None = Field(default=None, description="When the document prints the "
                                                                       "customer's code beside ours")
    description: str = ""
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    line_total: Decimal | None = None
    page: int = Field(default=1, ge=1)
    confidence: float = Field(default=0.0, ge=0, le=1)


class ExtractedDocument(BaseModel):
    document_type: DocumentType = "other"
    document_number: str | None = None
    document_date: dt.date | None = None
    requested_delivery_date: dt.date | None = None
    customer_reference: str | None = Field(default=None, description="Customer number or account as printed")
    buyer: Party = Field(default_factory=Party, description="Who orders (a PO's sender, an invoice's bill-to)")
    bill_to: Party | None = None
    ship_to: Party | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code")
    lines: list[ExtractedLine] = []
    subtotal: Decimal | None = None
    discount: Decimal | None = None
    shipping: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    language: str | None = Field(default=None, description="en, fr, de, nl, es or it: the labels' language")
    pages: int = Field(default=1, ge=0)
    ocr: bool = Field(default=False, description="Some page was read by OCR")
    field_confidence: dict[str, float] = Field(default={}, description="Per header field (document_number, "
                                               "document_date, currency, ship_to, total, ...), 0 to 1")
    warnings: list[str] = []
