"""The demo retailer's return policies: 30 days for consumers (with a store-credit bonus to keep the sale,
refunds on receipt for small web returns), marketplaces refund through the marketplace (no store credit,
no exchange), B2B 14 days with restocking fees; socks never come back unless faulty (hygiene)."""

from oms.db.engine import dumps_json
from oms.domain.returns import ReturnPolicy

FINAL_SALE_FAMILIES = frozenset({"SCK"})

_CONSUMER = ReturnPolicy(window_days=30, shipping_fees={"standard": 4.90, "express": 9.90, "pickup": 0},
                         store_credit_bonus_percent=10)  # fmt: skip
POLICIES = {
    "web": _CONSUMER.model_copy(update={"refund_on_receipt_up_to": 30}),
    "call_center": _CONSUMER,
    "store": _CONSUMER.model_copy(update={"shipping_fees": {}}),  # bought in store: no shipping to give back
    "marketplace": ReturnPolicy(
        window_days=30, shipping_fees={"standard": 5.90, "express": 11.90}, store_credit_allowed=False,
        exchange_allowed=False,
    ),
    "b2b": ReturnPolicy(
        window_days=14,
        restocking_fee_percent={"changed_mind": 15, "too_small": 10, "too_large": 10, "other": 15},
        shipping_fees={"standard": 12.00, "express": 25.00},
        store_credit_allowed=False,
    ),
}

POLICY_COLUMNS = ("channel_id", "policy", "updated_by")


def policy_rows() -> list[tuple]:
    return [(channel, dumps_json(policy.model_dump(mode="json")), "demo") for channel, policy in POLICIES.items()]
