"""What receiving an X12 interchange answers: per transaction set, what became of its purchase order."""

from typing import Literal

from pydantic import BaseModel, Field

from oms.channels.edi.x12 import Problem


class EdiProblem(BaseModel):
    segment: str = Field(description="The segment's tag, e.g. PO1")
    position: int = Field(description="Its position in the interchange, the ISA being 1")
    element: str | None = Field(description="The element at fault, e.g. PO107")
    message: str

    @classmethod
    def of(cls, problem: Problem) -> "EdiProblem":
        return cls(segment=problem.segment, position=problem.position, element=problem.element,
                   message=problem.message)  # fmt: skip


class TransactionSetOutcome(BaseModel):
    reference: str = Field(description="Where in the interchange: 'ST 0001' (with 'GS 12 ' before it when the"
                                        " interchange has several groups); the order's source reference")  # fmt: skip
    purchase_order: str = Field(description="BEG03")
    status: Literal["captured", "duplicate", "refused"] = Field(
        description="captured from this interchange; duplicate: captured before from another one; refused")
    order_id: int | None
    order_status: str | None
    acknowledgement: Literal["AD", "AC", "RD"] = Field(
        description="BAK02 of the 855 owed: accepted as ordered, accepted with changes (backorders), refused")
    problems: list[EdiProblem] = []


class InterchangeOutcome(BaseModel):
    payload_id: int = Field(description="The interchange as received: GET /inbound-payloads/{payload_id}")
    sender: str = Field(description="ISA05/ISA06")
    control_number: str = Field(description="ISA13")
    transaction_sets: list[TransactionSetOutcome]


class InterchangeReceipt(InterchangeOutcome):
    replayed: bool = Field(description="This interchange was received before: the first answer, again")
