"""Carrier tracking events in, shipments with their tracking history out."""

from fastapi import APIRouter, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.api.responses import view_response
from oms.services.shipment_history import get_shipment, order_shipments
from oms.services.tracking_events import record_tracking_events
from oms.services.tracking_models import (
    ShipmentDetail,
    TrackingBatch,
    TrackingBatchOutcome,
    TrackingEventIn,
    TrackingOutcome,
)

router = APIRouter(tags=["tracking"])
ERRORS = problem_responses(404, 409, 422)


@router.post(
    "/tracking/events",
    status_code=201,
    response_model=TrackingOutcome,
    responses={
        200: {"model": TrackingOutcome, "description": "Already received (idempotent retry)"},
        **ERRORS,
    },
)
def post_tracking_event(event: TrackingEventIn, actor: ActorDep, uow: UowDep) -> Response:
    """One carrier event, found by carrier and tracking number. Idempotent per (carrier, event_id): the
    same event again answers 200 with the first answer; the same id with other content 409. An event that
    happened before the shipment's current status is kept in its history but moves nothing."""
    [(outcome, created)] = record_tracking_events(uow, actor, [event], batch=False)
    return view_response(outcome, 201 if created else 200)


@router.post("/tracking/events/batch", responses=ERRORS)
def post_tracking_events(batch: TrackingBatch, actor: ActorDep, uow: UowDep) -> TrackingBatchOutcome:
    """Several events (up to 500), applied in the order they happened, in one transaction: if one is
    refused (unknown tracking number, id reused with other content), none is stored."""
    outcomes = record_tracking_events(uow, actor, batch.events)
    return TrackingBatchOutcome(outcomes=[outcome for outcome, _ in outcomes])


@router.get("/shipments/{shipment_id}", responses=ERRORS)
def read_shipment(shipment_id: int, actor: ActorDep, uow: UowDep) -> ShipmentDetail:
    """A shipment, its contents and every tracking event its carrier sent, in the order they happened."""
    return get_shipment(uow, actor, shipment_id)


@router.get("/orders/{order_id}/shipments", responses=ERRORS)
def read_order_shipments(order_id: int, actor: ActorDep, uow: UowDep) -> list[ShipmentDetail]:
    """The order's shipments with their tracking history."""
    return order_shipments(uow, actor, order_id)
