"""The catalogue of event types a webhook subscription may ask for: every name a service publishes with
`uow.record(..., publish=...)`, with what it means. Whoever publishes a new name adds one line here
(tests/unit/test_webhook_event_types.py checks that every published literal is listed)."""

from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

ALL = "*"  # a subscription to every event type, present and future

EVENT_TYPES: dict[str, str] = {
    # Orders
    "order.created": "An order was captured (payload: the order).",
    "order.allocated": "Stock was reserved for an order's lines at one or more nodes.",
    "order.updated": "An order's editable details (address, lines, notes) changed.",
    "order.held": "An order was put on hold.",
    "order.hold_released": "An order's hold was lifted.",
    "order.cancelled": "A whole order was cancelled; its reservations were released.",
    "order.line_cancelled": "One line of an order was cancelled.",
    "order.released": "An order was released to fulfilment.",
    "order.rerouted": "An order's allocations moved to other nodes (manual, outage, stock discrepancy).",
    # Inventory, supply and network
    "inventory.updated": "A stock position (on hand, safety stock) was set by a count or an import.",
    "inbound_supply.created": "Expected inbound supply (a purchase order or transfer) was recorded.",
    "node.updated": "A fulfilment node was created or changed.",
    "node.outage": "A node was declared out of fulfilment.",
    "node.outage_ended": "A node's outage ended: it fulfils again.",
    "product.updated": "A product was created or changed.",
    "channel_protection.set": "Stock protected for a channel was set.",
    "channel_protection.deleted": "A channel's stock protection was removed.",
    # Routing configuration
    "rate_table.saved": "A new version of a carrier rate table was saved.",
    "routing_profiles.saved": "A new version of the routing profiles was saved.",
    # Execution (issue 03)
    "fulfilment.released": "A fulfilment order was released to its node's WMS.",
    "fulfilment.acknowledged": "The WMS acknowledged a released fulfilment order.",
    "fulfilment.accepted": "The WMS accepted a fulfilment order.",
    "fulfilment.picked": "A fulfilment order was picked.",
    "fulfilment.packed": "A fulfilment order was packed.",
    "fulfilment.shipped": "The WMS reported a fulfilment order shipped, whole or in part (see shipment.shipped).",
    "fulfilment.short_picked": "A fulfilment order was short-picked; the short quantity is rerouted.",
    "fulfilment.rejected": "The WMS rejected a fulfilment order.",
    "shipment.shipped": "A shipment left the node (carrier, service, tracking number, parcels).",
    "order.partially_shipped": "Some, not all, of an order's units have shipped.",
    "order.shipped": "All of an order's units have shipped.",
    # Tracking (issue 03)
    "shipment.in_transit": "The carrier reports the shipment in transit.",
    "shipment.out_for_delivery": "The carrier reports the shipment out for delivery.",
    "shipment.delivered": "The carrier reports the shipment delivered.",
    "shipment.exception": "The carrier reports a delivery exception.",
    "shipment.returned_to_sender": "The carrier is returning the shipment to the sender.",
    "order.delivered": "All of an order's shipments were delivered.",
    # SLA (issue 03)
    "alert.raised": "An SLA alert (breach or at risk) was raised.",
    "alert.resolved": "An SLA alert was resolved.",
    # Returns (issue 03)
    "return.authorised": "A return (RMA) was authorised.",
    "return.received": "Returned items were received at a node.",
    "return.inspected": "Returned items were inspected (condition and disposition).",
    "return.closed": "A return was closed.",
    "return.in_transit": "The customer sent a return back (carrier, tracking number).",
    "return.cancelled": "A return was cancelled before anything arrived.",
    "return.rejected": "The retailer refused a return before anything arrived.",
    "refund.issued": "A refund was recorded.",
    "store_credit.issued": "Store credit was issued.",
    "order.exchange_created": "An exchange created a new order linked to the return.",
}


def _known(name: str) -> str:
    if name != ALL and name not in EVENT_TYPES:
        raise PydanticCustomError("unknown_event_type", "unknown event type '{name}'", {"name": name})
    return name


EventTypeName = Annotated[str, Field(max_length=60, description='An event type of the catalogue, or "*"'),
                          AfterValidator(_known)]  # fmt: skip
