"""What a marketplace order's lines could get now, to accept or refuse them before capture.

"No stock now" means: allocation by node priority on the channel's ATP now (on hand less reserved,
safety stock and what the channel's protections hold back; no inbound supply, however soon), at the
active nodes that may ship the order's service level, would not reserve the whole line. It is the plan
capture would fall back to (oms.services.reservations.plan), read without locks: the check is advisory.
Capture reserves atomically on its own reading, so a unit sold meanwhile leaves the accepted line
backordered, never oversold.
"""

from sqlalchemy import Connection, text

from oms.domain.allocation import LineRequest
from oms.services.availability import PROTECTIONS_JSON_SQL, protections_from_json
from oms.services.order_models import OrderCreate
from oms.services.reservations import STOCK_SQL, OrderContext, lock_params, locked_rows, plan

_FACTS = text(
    f"""
    WITH stock AS ({STOCK_SQL})
    SELECT ARRAY(SELECT sku FROM products WHERE sku = ANY(:skus) AND active) AS active,
           (SELECT coalesce(json_agg(stock), '[]'::json) FROM stock) AS stock,
           {PROTECTIONS_JSON_SQL} AS protections
    """
)


def line_facts(conn: Connection, cmd: OrderCreate) -> tuple[set[str], dict[str, int]]:
    """The order's SKUs that are sold (known and active), and per SKU the units the channel could
    reserve now for the line asking for it."""
    facts = conn.execute(_FACTS, lock_params([line.sku for line in cmd.lines]) | {"channel": cmd.channel}).one()
    protections = protections_from_json(cmd.channel, facts.protections)
    requests = [LineRequest(no, line.sku, line.quantity) for no, line in enumerate(cmd.lines, start=1)]
    picks = plan(locked_rows(facts.stock), OrderContext(cmd.channel, cmd.service_level, None), requests, protections)
    shippable: dict[str, int] = {}
    for pick in picks:
        shippable[pick.sku] = shippable.get(pick.sku, 0) + pick.quantity
    return set(facts.active), shippable
