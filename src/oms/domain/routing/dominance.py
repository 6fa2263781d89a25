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
    w, routes, fixed = scorer.w, scorer.routes, scorer.fixed
    cover = [[min(i.quantity, r.node.stock.get(i.sku, 0)) for i in items] for r in routes]
    unit = [[per_unit.get(i.sku, 0.0) for i in items] for per_unit in scorer.unit]
    # (SKU index, units, per-unit terms) of what each route may ship
    shipped = [[(k, q, unit[r][k]) for k, q in enumerate(cover[r]) if q] for r in range(len(routes))]
    days = [r.node.transit_days if w.transit_days else 0 for r in routes]
    late = [r.days_late if w.sla_risk else 0 for r in routes]
    entry = [scorer.new_node_bound(r) for r in range(len(routes))]
    order = sorted(range(len(routes)), key=entry.__getitem__)  # stable: ties stay in index order
    pruned: set[int] = set()
    for pos in range(max_split, len(order)):  # fewer than max_split routes precede the first ones
        r = order[pos]
        fixed_r, days_r, late_r, ships_r = fixed[r], days[r], late[r], shipped[r]
        found = 0
        for d in order[:pos]:
            if fixed[d] > fixed_r or days[d] > days_r or late[d] > late_r:
                continue
            cover_d, unit_d = cover[d], unit[d]
            for k, q, u in ships_r:  # `d` holds at least what `r` may ship of each SKU, at no higher terms
                if cover_d[k] < q or unit_d[k] > u:
                    break
            else:
                if scorer.ships_no_dearer(d, r):
                    found += 1
                    if found >= max_split:
                        pruned.add(r)
                        break
    return pruned
