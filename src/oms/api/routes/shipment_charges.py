"""What carriers billed for shipments: their invoices, line by line."""

from typing import Annotated

from fastapi import APIRouter, Body

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.shipment_charges import MAX_CHARGES, ChargeIn, ChargesOutcome, record_charges

router = APIRouter(tags=["tracking"])

Charges = Annotated[list[ChargeIn], Body(min_length=1, max_length=MAX_CHARGES)]


@router.post("/shipments/charges", responses=problem_responses(422))
def post_shipment_charges(charges: Charges, actor: ActorDep, uow: UowDep) -> ChargesOutcome:
    """Set each named shipment's charged cost (what its carrier billed; a parcel's number counts for its
    shipment, one shipment's parcels add up) in one transaction: if a row is refused (unknown tracking
    number, a number twice, another currency than the order's), nothing is recorded and the problem
    names every bad row."""
    return record_charges(uow, actor, charges)
