"""Nodes the search may leave out without losing the best plan.

Node `d` dominates node `r` for an order when `d` can ship everything `r` can (its stock of each SKU,
capped at the quantity ordered, is at least `r`'s) and is no worse on any weighted criterion: its lane
never costs more at any weight, its per-shipment and per-unit terms are no higher, and (when weighted)
its transit days and days late are no more. Order the nodes by entry cost, then index; say `d` precedes
`r` when `d` dominates `r` and comes first. A node preceded by at least `max_split` nodes can go: in a
plan that uses it, at most `max_split - 1` other nodes ship, so one node preceding it is unused, and
moving its units there keeps the units and never raises the score. Each such move brings in an earlier
node, so repeating it ends with a plan, as good, that uses none of the nodes left out.
"""

from collections.abc import Sequence

from oms.domain.routing.scoring import Item, Scorer


def dominated_routes(scorer: Scorer, items: Sequence[Item], max_split: int) -> set[int]:
    w, routes = scorer.w, scorer.routes
    skus = [i.sku for i in items]
    cover = [tuple(min(i.quantity, r.node.stock.get(i.sku, 0)) for i in items) for r in routes]
    unit = [tuple(scorer.unit[r].get(s, 0.0) for s in skus) for r in range(len(routes))]
    days = [r.node.transit_days if w.transit_days else 0 for r in routes]
    late = [r.days_late if w.sla_risk else 0 for r in routes]
    order = sorted(range(len(routes)), key=lambda r: (scorer.new_node_bound(r), r))
    pruned: set[int] = set()
    for pos, r in enumerate(order):
        found = 0
        for d in order[:pos]:
            if (
                scorer.fixed[d] <= scorer.fixed[r]
                and days[d] <= days[r]
                and late[d] <= late[r]
                and _covers(cover[d], cover[r], unit[d], unit[r])
                and scorer.ships_no_dearer(d, r)
            ):
                found += 1
                if found >= max_split:
                    pruned.add(r)
                    break
    return pruned


def _covers(cover_d, cover_r, unit_d, unit_r) -> bool:
    """`d` holds at least what `r` may ship of each SKU, at per-unit terms no higher."""
    for cd, cr, ud, ur in zip(cover_d, cover_r, unit_d, unit_r, strict=True):
        if cr and (cd < cr or ud > ur):
            return False
    return True
