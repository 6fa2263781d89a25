"""Alerts: a condition someone should act on, raised once while it holds.

An alert is about a subject (an order, a fulfilment order, a shipment, a node, a carrier, a SKU) and has
a dedupe key naming its condition, so raising it again while it is open changes nothing. People
acknowledge it (seen, being handled) and resolve it; checks resolve it themselves once the condition
has cleared. Kinds are open-ended: the SLA check raises its own, anomaly detection will add others.
"""

from enum import StrEnum


class AlertKind(StrEnum):
    SHIP_BY_AT_RISK = "ship_by_at_risk"
    SHIP_BY_BREACHED = "ship_by_breached"
    DELIVER_BY_AT_RISK = "deliver_by_at_risk"
    DELIVER_BY_BREACHED = "deliver_by_breached"
    SHIPMENT_EXCEPTION = "shipment_exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    # raised by anomaly detection (agents/anomaly.py through oms.services)
    LATE_DELIVERY_RISK = "late_delivery_risk"  # the delay model's P(late) of an open shipment is high
    STOCKOUT_PREDICTED = "stockout_predicted"  # a SKU at a node runs out before replenishment can come
    ORDER_STUCK = "order_stuck"  # an order has sat in one state longer than that state should last
    CANCELLATION_RATE = "cancellation_rate"  # a SKU is cancelled unusually often
    RETURN_RATE = "return_rate"  # a SKU is returned unusually often
    CHANNEL_VOLUME_DROP = "channel_volume_drop"  # a channel's orders fell off: an integration may have stopped


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


_ALLOWED_FROM = {
    "acknowledge": frozenset({AlertStatus.OPEN}),
    "resolve": frozenset({AlertStatus.OPEN, AlertStatus.ACKNOWLEDGED}),
}


def allowed(action: str, status: str) -> bool:
    """Whether `action` (acknowledge, resolve) may be taken on an alert in `status`."""
    return AlertStatus(status) in _ALLOWED_FROM[action]


def dedupe_key(kind: AlertKind, subject: str, subject_id: int | str) -> str:
    """The condition an alert stands for: one kind about one subject, e.g. ship_by_breached:fulfilment_order:7."""
    return f"{kind.value}:{subject}:{subject_id}"
