"""Inventory pages: a SKU's ATP across nodes (by date, per channel), the low-stock list, and a confirmed
stock adjustment that a viewer cannot make and that a bad or stale form leaves undone."""

import datetime as dt
import re

from sqlalchemy import text

from oms.services.actor import Role
from tests.factories import set_stock
from tests.web.conftest import as_role, csrf_of


def _position(engine, node: str, sku: str):
    with engine.connect() as conn:
        row = conn.execute(
            text("SELECT on_hand, reserved, safety_stock FROM inventory WHERE node_id = :n AND sku = :s"),
            {"n": node, "s": sku},
        ).first()
        events = conn.execute(
            text("SELECT count(*) FROM audit_events WHERE entity_type = 'inventory'")
        ).scalar()
        return (tuple(row) if row else None), events


def _row(page: str, node: str) -> list[str]:
    """The figures of a node's row in the ATP table."""
    row = re.search(rf"<tr><td>{node}</td>(.*?)</tr>", page, re.DOTALL).group(1)
    return re.findall(r'<td class="num">(?:<b>)?(\d+)', row)


def _network_atp(page: str) -> int:
    return int(re.search(r'data-testid="network-atp">(\d+)<', page).group(1))


def test_atp_of_a_sku_found_by_name_with_each_nodes_figures(web, engine, api_headers):
    set_stock(engine, "WH-LYON", "JKT-RED-M", on_hand=10, reserved=3, safety=2)
    set_stock(engine, "WH-KOELN", "JKT-RED-M", on_hand=4)
    as_role(web, engine, Role.VIEWER)
    page = web.get("/inventory", params={"q": "rain jacket"}).text
    assert _row(page, "WH-LYON") == ["10", "3", "2", "0", "0", "5"]
    assert _row(page, "WH-KOELN") == ["4", "0", "0", "0", "0", "4"]
    assert _network_atp(page) == 9
    assert "/adjust" not in page and "Set on hand" not in page  # a viewer sees no form


def test_by_date_counts_inbound_supply_and_a_channel_sees_its_protections(web, engine, api_headers):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    soon = (dt.date.today() + dt.timedelta(days=5)).isoformat()
    supply = {
        "node_id": "WH-LYON",
        "sku": "TSH-BLU-L",
        "type": "purchase_order",
        "reference": "PO-77",
        "quantity": 6,
        "expected_date": soon,
    }
    assert web.post("/api/v1/inbound-supply", json=supply, headers=api_headers).status_code == 201
    protection = {"channel": "marketplace", "sku": "TSH-BLU-L", "quantity": 4}
    assert web.post("/api/v1/channel-protections", json=protection, headers=api_headers).status_code == 200
    as_role(web, engine, Role.VIEWER)
    now = web.get("/inventory", params={"sku": "TSH-BLU-L"}).text
    assert _network_atp(now) == 10 and "PO-77" in now
    by_date = web.get("/inventory", params={"sku": "TSH-BLU-L", "date": soon}).text
    assert _row(by_date, "WH-LYON")[3] == "6" and _network_atp(by_date) == 16
    marketplace = web.get("/inventory", params={"sku": "TSH-BLU-L", "channel": "marketplace"}).text
    assert _row(marketplace, "WH-LYON")[4] == "4" and _network_atp(marketplace) == 6
    assert "TSH-BLU-L at every node: 4 units" in marketplace


def test_empty_and_unknown_searches_say_what_to_do(web, engine):
    as_role(web, engine, Role.VIEWER)
    assert "Look up a SKU" in web.get("/inventory").text
    several = web.get("/inventory", params={"q": "t-shirt"}).text
    assert "2 products match" in several and "TSH-BLU-M" in several
    none = web.get("/inventory", params={"q": "umbrella"})
    assert none.status_code == 200 and "No product matches" in none.text
    unknown = web.get("/inventory", params={"sku": "NOPE-1"}).text
    assert "unknown SKU &#39;NOPE-1&#39;" in unknown and "Check the spelling" in unknown
    channel = web.get("/inventory", params={"sku": "TSH-BLU-L", "channel": "nowhere"}).text
    assert "unknown channel" in channel
    assert "No active node holds TSH-BLU-M" in web.get("/inventory", params={"sku": "TSH-BLU-M"}).text
    assert web.get("/inventory", params={"date": "someday"}).status_code == 422


def test_low_stock_lists_short_skus_page_by_page(web, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=30, safety=10)  # ATP 20: over the threshold...
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=12, reserved=2, safety=12)  # ...under the 22 kept
    set_stock(engine, "WH-LYON", "TSH-BLU-M", on_hand=3)  # under the threshold
    as_role(web, engine, Role.VIEWER)
    first = web.get("/inventory/low-stock", params={"threshold": 5, "limit": 1}).text
    assert "JKT-RED-M" in first and "stocked nowhere" in first and "TSH-BLU-M" not in first
    cursor = re.search(r"cursor=([A-Z0-9-]+)", first).group(1)
    second = web.get("/inventory/low-stock", params={"threshold": 5, "limit": 1, "cursor": cursor}).text
    assert "TSH-BLU-L" in second and "under safety stock" in second
    third = web.get("/inventory/low-stock", params={"threshold": 5, "limit": 5, "cursor": "TSH-BLU-L"}).text
    assert "TSH-BLU-M" in third and "Next SKUs" not in third
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=2, reserved=2, safety=0)
    fewer = web.get("/inventory/low-stock", params={"threshold": 1}).text
    assert "JKT-RED-M" in fewer and "TSH-BLU-L" not in fewer and "TSH-BLU-M" not in fewer
    assert web.get("/inventory/low-stock", params={"threshold": -1}).status_code == 422


def test_ops_sets_on_hand_with_a_reason_kept_in_the_audit_trail(web, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10, safety=2)
    as_role(web, engine, Role.OPS)
    assert (
        'href="/inventory/WH-LYON/TSH-BLU-L/adjust"'
        in web.get("/inventory", params={"sku": "TSH-BLU-L"}).text
    )
    form = web.get("/inventory/WH-LYON/TSH-BLU-L/adjust")
    assert "Now 10 on hand, 0 reserved, 2 safety stock" in form.text
    done = web.post(
        "/inventory/WH-LYON/TSH-BLU-L/adjust",
        follow_redirects=False,
        data={
            "csrf_token": csrf_of(form.text),
            "on_hand": "7",
            "reason": "cycle count",
            "expected_on_hand": "10",
        },
    )
    assert done.status_code == 303 and done.headers["location"] == "/inventory?sku=TSH-BLU-L&done=adjusted"
    assert _position(engine, "WH-LYON", "TSH-BLU-L")[0] == (7, 0, 2)  # safety stock kept
    with engine.connect() as conn:
        event = conn.execute(
            text(
                "SELECT action, after FROM audit_events WHERE entity_id = 'WH-LYON/TSH-BLU-L' "
                "ORDER BY id DESC LIMIT 1"
            )
        ).one()
    assert event.action == "inventory.adjusted" and event.after["reason"] == "cycle count"
    assert "The stock is adjusted." in web.get(done.headers["location"]).text


def test_a_bad_stale_or_forbidden_adjustment_changes_nothing(web, engine):
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=10)
    as_role(web, engine, Role.OPS)
    token = csrf_of(web.get("/inventory/WH-LYON/TSH-BLU-L/adjust").text)
    before = _position(engine, "WH-LYON", "TSH-BLU-L")

    def post(data, path="/inventory/WH-LYON/TSH-BLU-L/adjust"):
        return web.post(path, data={"csrf_token": token} | data, follow_redirects=False)

    bad = post({"on_hand": "-3", "reason": "oops", "expected_on_hand": "10"})
    assert bad.status_code == 422 and "on_hand: Input should be greater than or equal to 0" in bad.text
    assert post({"on_hand": "5", "reason": " ", "expected_on_hand": "10"}).status_code == 422
    set_stock(engine, "WH-LYON", "TSH-BLU-L", on_hand=9)  # someone picked one meanwhile
    stale = post({"on_hand": "5", "reason": "count", "expected_on_hand": "10"})
    assert stale.status_code == 409 and "is now 9 on hand, not 10" in stale.text
    unknown = post({"on_hand": "5", "reason": "count"}, "/inventory/WH-NOWHERE/TSH-BLU-L/adjust")
    assert (
        unknown.status_code == 404 and "unknown node" in unknown.text and 'name="on_hand"' not in unknown.text
    )
    assert _position(engine, "WH-LYON", "TSH-BLU-L") == ((9, 0, 0), before[1])
    assert (
        web.post("/inventory/WH-LYON/TSH-BLU-L/adjust", data={"on_hand": "1", "reason": "x"}).status_code
        == 403
    )
    as_role(web, engine, Role.VIEWER)
    assert web.get("/inventory/WH-LYON/TSH-BLU-L/adjust").status_code == 403
    viewer_token = csrf_of(web.get("/inventory").text)
    refused = web.post(
        "/inventory/WH-LYON/TSH-BLU-L/adjust",
        follow_redirects=False,
        data={"csrf_token": viewer_token, "on_hand": "1", "reason": "x"},
    )
    assert refused.status_code == 403 and "may not inventory:write" in refused.text
    assert 'name="on_hand"' not in refused.text  # the refusal page, not the form
    assert _position(engine, "WH-LYON", "TSH-BLU-L") == ((9, 0, 0), before[1])


def test_a_count_under_what_orders_reserved_reroutes_them(web, engine, captured):
    """WEB-1 reserved a T-shirt at Lyon; counting none there moves it (Köln has one)."""
    set_stock(engine, "WH-KOELN", "TSH-BLU-L", on_hand=5)
    as_role(web, engine, Role.OPS)
    token = csrf_of(web.get("/inventory/WH-LYON/TSH-BLU-L/adjust").text)
    answer = web.post(
        "/inventory/WH-LYON/TSH-BLU-L/adjust",
        follow_redirects=False,
        data={"csrf_token": token, "on_hand": "0", "reason": "flooded shelf"},
    )
    assert answer.status_code == 303
    assert _position(engine, "WH-LYON", "TSH-BLU-L")[0] == (0, 0, 0)
    assert _position(engine, "WH-KOELN", "TSH-BLU-L")[0][1] == 1
