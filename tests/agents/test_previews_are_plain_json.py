"""A write's preview is kept in the thread's checkpoint while it waits for approval: plain JSON values
only (not enums, dates or decimals, which the checkpointer would have to deserialise as Python types)."""

from agents.tool_base import ToolContext
from agents.tools import prepare
from oms.domain.alerts import AlertKind
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from tests.agents.conftest import assistant_for
from tests.api.test_alerts import raise_one

PLAIN = (str, int, float, bool, type(None))


def _plain(value) -> bool:
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(map(_plain, value))
    return type(value) in PLAIN  # exactly: a StrEnum is a str, but not a plain one


def test_an_alerts_acknowledgement_preview_is_plain_json(network, engine):
    alert_id = raise_one(engine, AlertKind.SHIPMENT_EXCEPTION, 1)
    prepared = prepare(ToolContext(UnitOfWork(engine), assistant_for(Role.OPS)), "acknowledge_alert",
                       {"alert_id": alert_id, "note": "calling the carrier"})  # fmt: skip
    assert prepared.preview["alert"] == {"id": alert_id, "kind": "shipment_exception", "severity": "warning",
                                         "status": "open"}  # fmt: skip
    assert _plain(prepared.preview)


def test_an_orders_hold_preview_is_plain_json(order, engine):
    prepared = prepare(ToolContext(UnitOfWork(engine), assistant_for(Role.OPS)), "hold_order",
                       {"order_id": order, "reason": "fraud check"})  # fmt: skip
    assert _plain(prepared.preview)
