"""Outbound webhooks: subscriptions, delivery history, the dead-letter list and replay (admins only).
How receivers verify a delivery: oms.domain.webhook_signature."""

from fastapi import APIRouter, Query, Response

from oms.api.deps import ActorDep, UowDep
from oms.api.paging import Cursor, Limit
from oms.api.problems import problem_responses
from oms.services import webhook_deliveries as deliveries
from oms.services import webhook_subscriptions as subs
from oms.services.event_types import EVENT_TYPES
from oms.services.pagination import DEFAULT_LIMIT

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
ERRORS = problem_responses(404, 409, 422)


@router.get("/event-types")
def read_event_types(actor: ActorDep) -> dict[str, str]:
    """The event types a subscription may name (or "*" for all), each with what it means."""
    return EVENT_TYPES


@router.post("/subscriptions", status_code=201, responses=ERRORS)
def create_subscription(body: subs.SubscriptionCreate, actor: ActorDep, uow: UowDep) -> subs.SubscriptionCreated:
    """Subscribe a URL to event types. The answer holds the signing secret (given, or generated): it is
    never shown again."""
    return subs.create_subscription(uow, actor, body)


@router.get("/subscriptions", responses=ERRORS)
def search_subscriptions(actor: ActorDep, uow: UowDep) -> subs.SubscriptionList:
    return subs.list_subscriptions(uow, actor)


@router.get("/subscriptions/{subscription_id}", responses=ERRORS)
def read_subscription(subscription_id: int, actor: ActorDep, uow: UowDep) -> subs.SubscriptionPublic:
    return subs.get_subscription(uow, actor, subscription_id)


@router.patch("/subscriptions/{subscription_id}", responses=ERRORS)
def change_subscription(
    subscription_id: int, body: subs.SubscriptionUpdate, actor: ActorDep, uow: UowDep
) -> subs.SubscriptionPublic:
    """Change the URL, event types, description, secret, or enable/disable it. Deliveries of a disabled
    subscription wait until it is enabled again; events published meanwhile are not queued for it."""
    return subs.update_subscription(uow, actor, subscription_id, body)


@router.delete("/subscriptions/{subscription_id}", status_code=204, responses=ERRORS)
def remove_subscription(subscription_id: int, actor: ActorDep, uow: UowDep) -> Response:
    subs.delete_subscription(uow, actor, subscription_id)
    return Response(status_code=204)


@router.post("/subscriptions/{subscription_id}/replay", responses=ERRORS)
def replay_dead_deliveries(subscription_id: int, actor: ActorDep, uow: UowDep) -> deliveries.ReplayReport:
    """Queue every dead delivery of the subscription again, each with its original event id."""
    return deliveries.replay_dead(uow, actor, subscription_id)


@router.get("/deliveries", responses=ERRORS)
def search_deliveries(
    actor: ActorDep,
    uow: UowDep,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    status: deliveries.DeliveryStatus | None = None,
    subscription: int | None = Query(None, description="Only this subscription's deliveries"),
) -> deliveries.DeliveryPage:
    """Delivery history in the order deliveries were queued; `status=dead` is the dead-letter list."""
    return deliveries.list_deliveries(uow, actor, limit, cursor, status, subscription)


@router.get("/deliveries/{delivery_id}", responses=ERRORS)
def read_delivery(delivery_id: int, actor: ActorDep, uow: UowDep) -> deliveries.DeliveryPublic:
    return deliveries.get_delivery(uow, actor, delivery_id)


@router.post("/deliveries/{delivery_id}/replay", responses=ERRORS)
def replay_delivery(delivery_id: int, actor: ActorDep, uow: UowDep) -> deliveries.DeliveryPublic:
    """Queue a dead (or delivered) delivery again with the same event id; 409 while it is pending."""
    return deliveries.replay_delivery(uow, actor, delivery_id)
