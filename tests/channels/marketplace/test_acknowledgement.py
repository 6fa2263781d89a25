"""Accepting and refusing lines, and the acknowledgement in each marketplace's format (no database)."""

from decimal import Decimal

from oms.channels.marketplace.acknowledgement import LineVerdict, document, judge
from oms.services.order_models import LineIn

LINES = [LineIn(sku=sku, quantity=qty, unit_price=Decimal(10), external_line_id=line_id)
         for sku, qty, line_id in (("TSH-BLU-L", 2, "L1"), ("JKT-RED-M", 1, "L2"), ("OLD-SKU", 1, "L3"))]  # fmt: skip
ACTIVE = {"TSH-BLU-L", "JKT-RED-M"}


def test_a_line_is_refused_for_an_unknown_sku_or_stock_that_cannot_ship_it_whole():
    verdicts = judge(LINES, ACTIVE, {"TSH-BLU-L": 1, "JKT-RED-M": 1})
    assert [v.refused for v in verdicts] == ["no_stock", None, "unknown_sku"]


def test_without_refusing_for_stock_only_unknown_skus_are_refused():
    assert [v.refused for v in judge(LINES, ACTIVE, None)] == [None, None, "unknown_sku"]


MIXED = [LineVerdict("L1", "TSH-BLU-L", 2, "no_stock"), LineVerdict("L2", "JKT-RED-M", 1),
         LineVerdict("L3", "OLD-SKU", 1, "unknown_sku"), LineVerdict("L4", "TSH-BLU-M", 3)]  # fmt: skip


def test_mirakl_gets_each_line_accepted_or_refused_by_its_id():
    assert document("mirakl", "M-1", MIXED, 7) == {"order_lines": [
        {"accepted": False, "id": "L1"}, {"accepted": True, "id": "L2"}, {"accepted": False, "id": "L3"},
        {"accepted": True, "id": "L4"}]}  # fmt: skip


def test_amazon_gets_the_oms_line_of_each_accepted_item_and_a_reason_for_each_cancelled_one():
    assert document("amazon", "302-1", MIXED, 7) == {
        "AmazonOrderId": "302-1", "MerchantOrderId": "7", "StatusCode": "Success",
        "Items": [{"AmazonOrderItemCode": "L1", "CancelReason": "NoInventory"},
                  {"AmazonOrderItemCode": "L2", "MerchantOrderItemID": "1"},
                  {"AmazonOrderItemCode": "L3", "CancelReason": "GeneralAdjustment"},
                  {"AmazonOrderItemCode": "L4", "MerchantOrderItemID": "2"}]}  # fmt: skip


def test_amazon_hears_failure_when_nothing_was_accepted():
    refused = [v for v in MIXED if not v.accepted]
    answer = document("amazon", "302-1", refused, None)
    assert answer["StatusCode"] == "Failure" and answer["MerchantOrderId"] is None


def test_the_generic_acknowledgement_carries_reasons():
    assert document("generic", "X-1", MIXED[:2], 7) == {"marketplace_order_id": "X-1", "order_id": 7, "lines": [
        {"id": "L1", "sku": "TSH-BLU-L", "quantity": 2, "accepted": False, "reason": "no_stock"},
        {"id": "L2", "sku": "JKT-RED-M", "quantity": 1, "accepted": True, "reason": None}]}  # fmt: skip
