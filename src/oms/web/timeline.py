"""An order's audit trail as people read it: when, what, who (and for whom, when an agent or an
integration acted on someone's behalf), and what changed."""

import datetime as dt
from dataclasses import dataclass

from oms.services.order_models import OrderEventPublic

_WHAT = {
    "order.created": "Captured",
    "order.held": "Put on hold",
    "order.hold_released": "Hold released",
    "order.cancelled": "Cancelled",
    "order.line_cancelled": "Line cancelled",
    "order.updated": "Edited",
    "order.allocated": "Stock allocated",
    "order.rerouted": "Rerouted",
    "order.released": "Released to fulfilment",
    "order.partially_shipped": "Partly shipped",
    "order.shipped": "Shipped",
    "order.delivered": "Delivered",
    "return.authorised": "Return authorised",
}


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime
    what: str
    who: str
    role: str
    on_behalf_of: str | None
    changes: list[str]


def timeline(events: list[OrderEventPublic]) -> list[TimelineEntry]:
    """Newest first."""
    return [_entry(e) for e in reversed(events)]


def _entry(event: OrderEventPublic) -> TimelineEntry:
    what = _WHAT.get(event.action, event.action.replace("_", " ").replace(".", ": "))
    changes = _changes(event.before or {}, event.after or {})
    return TimelineEntry(event.created_at, what, event.actor, event.actor_role, event.on_behalf_of, changes)


def _changes(before: dict, after: dict) -> list[str]:
    changes = []
    if "status" in after and before.get("status") not in (None, after["status"]):
        changes.append(f"status {before['status']} → {after['status']}")
    for key, label in (("hold_reason", "reason"), ("summary", "")):
        if after.get(key) and after.get(key) != before.get(key):
            changes.append(f"{label}: {after[key]}" if label else str(after[key]))
    if after.get("ship_to") and before.get("ship_to") and after["ship_to"] != before["ship_to"]:
        changes.append("delivery address changed")
    return changes
