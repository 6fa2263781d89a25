"""The agents' tools on the real services: validated like HTTP requests, refused by role, previewed
without writing, and failures handed back to the model as readable text."""

import json

from sqlalchemy import text

from agents.tool_base import ToolContext, ToolFailure
from agents.tools import TOOLS, PreparedCall, execute, prepare, tools_for
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from tests.agents.conftest import assistant_for


def _ctx(engine, role=Role.OPS) -> ToolContext:
    return ToolContext(UnitOfWork(engine), assistant_for(role))


def _status(engine, order_id: int) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT status FROM orders WHERE id = :id"), {"id": order_id}).scalar_one()


def test_every_tool_is_described_to_the_model_as_a_json_schema_function():
    for tool in TOOLS.values():
        schema = json.loads(json.dumps(tool.schema()))
        assert schema["function"]["name"] == tool.name
        assert schema["function"]["parameters"]["type"] == "object" and schema["function"]["description"]
    assert {"hold_order", "cancel_order", "check_atp", "find_orders", "acknowledge_alert"} <= set(TOOLS)


def test_a_viewer_is_offered_no_write_tool_and_a_write_call_is_refused_before_any_preview(order, engine):
    offered = {tool.name for tool in tools_for(assistant_for(Role.VIEWER))}
    assert "get_order" in offered and not any(TOOLS[name].writes for name in offered)
    refused = prepare(_ctx(engine, Role.VIEWER), "cancel_order", {"order_id": order})
    assert isinstance(refused, ToolFailure) and "may not order:cancel" in refused.message
    assert _status(engine, order) == "allocated"


def test_arguments_that_do_not_validate_come_back_as_a_message_naming_the_field(order, engine):
    failure = prepare(_ctx(engine), "hold_order", {"order_id": order})
    assert isinstance(failure, ToolFailure) and "reason: Field required" in failure.message
    invented = prepare(_ctx(engine), "hold_order", {"order_id": order, "reason": "x", "urgent": True})
    assert isinstance(invented, ToolFailure) and "urgent" in invented.message
    unknown = prepare(_ctx(engine), "delete_everything", {})
    assert isinstance(unknown, ToolFailure) and "there is no tool 'delete_everything'" in unknown.message


def test_a_write_is_previewed_without_changing_anything_then_runs_as_the_person(order, engine):
    call = prepare(_ctx(engine), "hold_order", {"order_id": order, "reason": "address looks fake"})
    assert isinstance(call, PreparedCall)
    assert call.preview["order"]["status"] == "allocated"
    assert call.preview["change"] == {"reason": "address looks fake"}
    assert call.preview["summary"].startswith(f"Put on hold: order {order} (web WEB-1")
    assert _status(engine, order) == "allocated"  # the preview wrote nothing

    result = execute(_ctx(engine), call)
    assert result["status"] == "on_hold" and result["hold_reason"] == "address looks fake"
    with engine.connect() as conn:
        actor, behalf = conn.execute(text("SELECT actor, on_behalf_of FROM audit_events WHERE action = 'order.held'"
                                          " AND order_id = :id"), {"id": order}).one()  # fmt: skip
    assert (actor, behalf) == ("assistant", "camille")


def test_an_action_the_order_status_does_not_allow_is_refused_at_the_preview(order, engine):
    refused = prepare(_ctx(engine), "release_hold", {"order_id": order})
    assert isinstance(refused, ToolFailure) and "is allocated: it cannot be released from hold" in refused.message


def test_a_service_refusal_reaches_the_model_as_text(network, engine):
    missing = execute(_ctx(engine), prepare(_ctx(engine), "get_order", {"order_id": 999_999}))
    assert isinstance(missing, ToolFailure) and missing.message.startswith("refused (404")


def test_atp_in_one_country_and_the_order_search_answer_as_json(order, engine):
    atp = execute(_ctx(engine), prepare(_ctx(engine), "check_atp", {"sku": "TSH-BLU-L", "country": "FR"}))
    assert atp["total"] == 11 and {n["node_id"] for n in atp["nodes"]} == {"WH-LYON", "ST-PARIS"}  # 1 reserved
    found = execute(_ctx(engine), prepare(_ctx(engine), "find_orders", {"q": "camille"}))
    assert [o["id"] for o in found["items"]] == [order]


def test_a_line_cancel_preview_names_the_line(order, engine):
    call = prepare(_ctx(engine), "cancel_line", {"order_id": order, "line_no": 1, "reason": "customer asked"})
    assert call.preview["change"] == {"reason": "customer asked", "line_no": 1}
