"""Command mode's parser: terse commands become the tool calls a model would make; anything else gets a
reply that says what is understood."""

import datetime as dt

import pytest

from agents.commands import HELP, Call, Unknown, follow_up, parse

TODAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(("text", "expected"), [
    ("order 1042", Call("get_order", {"order_id": 1042})),
    ("order #1042", Call("get_order", {"order_id": 1042})),
    ("ORDER WEB-1042", Call("find_orders", {"q": "WEB-1042", "limit": 5}, then="get_order")),
    ("find camille martin", Call("find_orders", {"q": "camille martin"})),
    ("late", Call("find_orders", {"late": True})),
    ("atp TSH-BLU-L", Call("check_atp", {"sku": "TSH-BLU-L"})),
    ("atp TSH-BLU-L fr", Call("check_atp", {"sku": "TSH-BLU-L", "country": "fr"})),
    ("atp TSH-BLU-L WH-LYON", Call("check_atp", {"sku": "TSH-BLU-L", "node": "WH-LYON"})),
    ("promise TSH-BLU-L 2 75001 FR", Call("promise_delivery", {"lines": [{"sku": "TSH-BLU-L", "quantity": 2}],
                                          "destination": {"postal_code": "75001", "country": "FR"}})),
    ("track PO-4411", Call("find_orders", {"q": "PO-4411", "limit": 5}, then="track_order")),
    ("track 7", Call("track_order", {"order_id": 7})),
    ("why 7", Call("explain_routing", {"order_id": 7})),
    ("hold 1042 address to check", Call("hold_order", {"order_id": 1042, "reason": "address to check"})),
    ("release 1042", Call("release_hold", {"order_id": 1042})),
    ("cancel 1042 customer changed mind", Call("cancel_order", {"order_id": 1042, "reason": "customer changed mind"})),
    ("cancel 1042 line 2 out of stock", Call("cancel_line", {"order_id": 1042, "line_no": 2, "reason": "out of stock"})),
    ("alerts", Call("list_alerts", {"status": "open"})),
    ("alerts any", Call("list_alerts", {})),
    ("ack 17 on it", Call("acknowledge_alert", {"alert_id": 17, "note": "on it"})),
    ("sla", Call("sla_report", {"from": "2026-11-17", "to": "2026-11-23"})),
    ("sla 30", Call("sla_report", {"from": "2026-10-25", "to": "2026-11-23"})),
])  # fmt: skip
def test_commands_become_tool_calls(text, expected):
    assert parse(text, TODAY) == expected


@pytest.mark.parametrize(("text", "says"), [
    ("hold 1042", "Say why"),
    ("hold", "Which order?"),
    ("ack", "Which alert?"),
    ("atp", "Which SKU?"),
    ("promise TSH-BLU-L two 75001 FR", "Say SKU, units, postal code and country"),
    ("where is my parcel?", "free-form questions need an LLM endpoint"),
    ("help", "track 1042"),
    ("", "Commands"),
])  # fmt: skip
def test_what_is_not_a_command_gets_a_reply_saying_what_is(text, says):
    answer = parse(text, TODAY)
    assert isinstance(answer, Unknown) and says in answer.reply


def test_a_reference_found_once_leads_to_the_second_step_and_otherwise_stops():
    first = parse("track PO-4411", TODAY)
    assert follow_up(first, {"items": [{"id": 9}], "next_cursor": None}) == Call("track_order", {"order_id": 9})
    assert follow_up(first, {"items": [{"id": 9}, {"id": 10}], "next_cursor": None}) is None
    assert follow_up(parse("find x", TODAY), {"items": [{"id": 9}]}) is None
    assert "free-form questions need an LLM endpoint" in HELP
