"""The language model's reading of a document: the schema it fills through one forced function call, and
the call itself. The document's text goes to the model as data in a delimited block; the model is offered
no tool but the schema, so nothing it answers can be anything but a reading."""

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from pydantic import BaseModel, BeforeValidator, Field, StringConstraints

from agents.prompts import load_prompt
from oms.channels.documents.model import ExtractedLine, Party

# The block's delimiters, and any tag in the document that could pass for one ("</Document >").
DOCUMENT_OPEN, DOCUMENT_CLOSE = "<document>", "</document>"
DELIMITER_LOOKALIKE = re.compile(r"<\s*/?\s*document\s*>", re.IGNORECASE)
RETRIES = 1  # a model that fails the schema twice will not pass it a third time
PROBLEM_CHARS = 300  # of an error, in a warning staff read
# A number as a document prints it; bounded so that products and sums stay exact (1e400 is asked again).
Number = Annotated[Decimal, Field(max_digits=14, decimal_places=6)]


def _code(letters: int):
    """An ISO code as the model may write it ("eur", " FR"); anything else is asked again."""
    letters_only = StringConstraints(strip_whitespace=True, to_upper=True, pattern=f"^[A-Za-z]{{{letters}}}$")
    return Annotated[str, letters_only]


def _text_or_empty(value):
    return "" if value is None else value  # a line without a description is still a line


class PartyReading(Party):
    country: _code(2) | None = Field(default=None, description="ISO 3166-1 alpha-2, e.g. FR")


class LineReading(BaseModel):
    code: str | None = Field(default=None, description="The product code as printed (SKU, EAN, part number)")
    customer_part_number: str | None = Field(default=None, description="The customer's own code, when the "
                                                                       "document prints it beside ours")
    description: Annotated[str, BeforeValidator(_text_or_empty)] = ""
    quantity: Number | None = Field(default=None, description="A plain number, e.g. 12 or 2.5")
    unit: str | None = None
    unit_price: Number | None = Field(default=None, description="A plain number with a dot, e.g. 1234.50")
    line_total: Number | None = Field(default=None, description="A plain number with a dot")


class DocumentReading(BaseModel):
    """What an order document says. Leave out (null) whatever the document does not say; never guess."""

    document_type: Literal["purchase_order", "invoice", "other"] = "other"
    document_number: str | None = Field(default=None, description="The order's or invoice's number")
    document_date: dt.date | None = Field(default=None, description="YYYY-MM-DD")
    requested_delivery_date: dt.date | None = Field(default=None, description="YYYY-MM-DD")
    customer_reference: str | None = Field(default=None, description="Customer number or account as printed")
    buyer: PartyReading | None = Field(default=None, description="Who orders: a PO's sender, the bill-to")
    bill_to: PartyReading | None = None
    ship_to: PartyReading | None = Field(default=None, description="Where the goods go")
    currency: _code(3) | None = Field(default=None, description="ISO 4217 code, e.g. EUR")
    lines: list[LineReading] = Field(default=[], description="Product lines only: no subtotal, discount, "
                                                             "tax, shipping or total rows")
    subtotal: Number | None = None
    discount: Number | None = None
    shipping: Number | None = None
    tax: Number | None = None
    total: Number | None = Field(default=None, description="The amount due, a plain number with a dot")

    def extracted_lines(self) -> list[ExtractedLine]:
        return [ExtractedLine(**line.model_dump()) for line in self.lines]


class ReadingFailed(Exception):
    """The model gave no valid reading: `str(self)` says why, for the draft's warnings."""


def read_document(model: BaseChatModel, text: str) -> DocumentReading:
    """The model's reading of `text`, asked again once with the validation error when it fails the schema."""
    reader = model.with_structured_output(DocumentReading, method="function_calling", include_raw=True)
    prompt = [SystemMessage(load_prompt("order_entry")), HumanMessage(_as_data(text))]
    for _ in range(RETRIES + 1):
        answer = reader.invoke(prompt)
        if answer["parsed"] is not None:
            return answer["parsed"]
        problem = _problem(answer["parsing_error"])
        prompt = [*prompt, HumanMessage(f"Your answer could not be read: {problem}. Call DocumentReading once"
                                        " more, dates as YYYY-MM-DD, numbers plain.")]  # fmt: skip
    raise ReadingFailed(problem)


def _as_data(text: str) -> str:
    """The document inside its delimiters; one printed in the document cannot close the block early."""
    inner = DELIMITER_LOOKALIKE.sub("(document tag)", text)
    return f"Read this document.\n{DOCUMENT_OPEN}\n{inner}\n{DOCUMENT_CLOSE}"


def _problem(error: Exception | None) -> str:
    if error is None:  # the model answered in text or called something other than the schema
        return "the answer was not a DocumentReading call"
    return summary(error)


def summary(error: Exception) -> str:
    """An error's message on one line and short, for a warning staff read."""
    message = str(error).split("For troubleshooting")[0]  # LangChain's errors append a link to their docs
    return " ".join(message.split())[:PROBLEM_CHARS]
