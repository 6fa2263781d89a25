"""Built-in mappings for two marketplaces' order JSON; a channel picks one by name and overrides fields.

- amazon: an SP-API getOrder `Order` with the `OrderItems` of getOrderItems added to it. ItemPrice is
  the line's total (Amount, a string), not a unit price; BuyerEmail is restricted data, often absent; the
  buyer's name is often absent too, so the customer is named as the recipient.
- mirakl: an OR11 order. The country is ISO 3166 alpha-3 (`FRA`); names come split in first and last;
  `price_unit` is the unit price (`price` is price_unit × quantity, `total_price` adds shipping); the
  customer's email is usually hidden; shipping type codes are the operator's own.
Unknown shipping levels are standard (a channel wanting them refused overrides the rule without
`otherwise`).
"""

from oms.channels.marketplace.rules import FieldRule

_AMAZON_LEVELS = {"Expedited": "express", "NextDay": "express", "SameDay": "express", "SecondDay": "express",
                  "Priority": "express", "Standard": "standard", "FreeEconomy": "standard"}  # fmt: skip
_MIRAKL_LEVELS = {"STD": "standard", "STANDARD": "standard", "ECO": "standard", "EXP": "express",
                  "EXPRESS": "express", "NEXT_DAY": "express"}  # fmt: skip
_SHIP = "customer.shipping_address"

_RAW: dict[str, dict[str, str | dict]] = {
    "amazon": {
        "order_id": "AmazonOrderId",
        "customer_name": "ShippingAddress.Name",
        "customer_email": {"path": "BuyerInfo.BuyerEmail", "default": "{order_id}@buyer.amazon.invalid"},
        "customer_phone": "ShippingAddress.Phone",
        "ship_name": "ShippingAddress.Name",
        "ship_line1": "ShippingAddress.AddressLine1",
        "ship_line2": "ShippingAddress.AddressLine2",
        "ship_postal_code": "ShippingAddress.PostalCode",
        "ship_city": "ShippingAddress.City",
        "ship_country": "ShippingAddress.CountryCode",
        "ship_phone": "ShippingAddress.Phone",
        "currency": "OrderTotal.CurrencyCode",
        "service_level": {"path": "ShipServiceLevel", "map": _AMAZON_LEVELS, "otherwise": "standard",
                          "default": "standard"},
        "lines": "OrderItems",
        "line_id": "OrderItemId",
        "sku": "SellerSKU",
        "quantity": "QuantityOrdered",
        "line_total": "ItemPrice.Amount",
    },
    "mirakl": {
        "order_id": "order_id",
        "customer_name": {"path": ["customer.firstname", "customer.lastname"]},
        "customer_email": {"path": "customer.email", "default": "{order_id}@customer.mirakl.invalid"},
        "customer_phone": f"{_SHIP}.phone",
        "ship_name": {"path": [f"{_SHIP}.firstname", f"{_SHIP}.lastname"]},
        "ship_line1": f"{_SHIP}.street_1",
        "ship_line2": f"{_SHIP}.street_2",
        "ship_postal_code": f"{_SHIP}.zip_code",
        "ship_city": f"{_SHIP}.city",
        "ship_country": {"path": f"{_SHIP}.country_iso_code", "convert": "country_alpha3"},
        "ship_phone": f"{_SHIP}.phone",
        "currency": "currency_iso_code",
        "service_level": {"path": "shipping_type_code", "map": _MIRAKL_LEVELS, "otherwise": "standard",
                          "default": "standard"},
        "lines": "order_lines",
        "line_id": "order_line_id",
        "sku": "offer_sku",
        "quantity": "quantity",
        "unit_price": "price_unit",
    },
}
PRESETS: dict[str, dict[str, FieldRule]] = {
    name: {target: FieldRule.model_validate(rule) for target, rule in rules.items()} for name, rules in _RAW.items()
}
