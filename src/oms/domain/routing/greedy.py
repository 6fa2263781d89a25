"""The bounded fallback of the search: a greedy plan, then improved one SKU at a time.

Each SKU considers a few moves only (each single node, and when lines may split, filling from the nodes
already shipping and then the cheapest to bring in), so the work grows linearly with the order.
"""

from typing import TYPE_CHECKING

from oms.domain.routing.plan_space import Found, beats, with_units, without_sku
from oms.domain.routing.scoring import Item, PlanUnits

if TYPE_CHECKING:
    from oms.domain.routing.search import Search


def greedy_plan(search: "Search") -> Found | None:
    plan: PlanUnits = {}
    for item in search.items:
        best = _best_move(search, item, plan, None)
        if best is None:
            return None
        plan = best.plan
    return _found(search, plan)


def best_single_node(search: "Search") -> Found | None:
    """The best plan shipping from one node all it holds of the order: often the optimum, which a
    SKU-by-SKU greedy misses when each SKU alone is cheaper elsewhere but the order together is not."""
    best = None
    nodes = {r for rs in search.holding.values() for r in rs}
    for r in sorted(nodes):
        units = {i.sku: min(i.quantity, search.stock[r].get(i.sku, 0)) for i in search.items}
        units = {sku: q for sku, q in units.items() if q > 0}
        if search.complete and sum(units.values()) < search.total:
            continue
        candidate = _found(search, {r: units})
        if candidate.beats(best):
            best = candidate
    return best


def improve(search: "Search", found: Found, passes: int) -> Found:
    """Re-choose each SKU's nodes with the rest of the plan fixed, while that helps."""
    for _ in range(passes):
        before = found
        for item in search.items:
            found = _best_move(search, item, without_sku(found.plan, item.sku), found) or found
        if found is before:
            return found
    return found


def _best_move(search: "Search", item: Item, plan: PlanUnits, incumbent: Found | None) -> Found | None:
    """`plan` ships none of `item`: each move adds it, scored without building the plan it makes."""
    best, planned = incumbent, sum(q for u in plan.values() for q in u.values())
    for option in _moves(search, item, plan):
        units, score = planned + sum(option.values()), search.scorer.score_with(plan, item.sku, option)
        if beats(units, score, best):
            best = Found(with_units(plan, item.sku, option), units, score, exact=False)
    return best


def _moves(search: "Search", item: Item, plan: PlanUnits):
    stock, room = search.stock, len(plan) < search.max_split
    for r in search.holding[item.sku]:
        qty = min(item.quantity, stock[r][item.sku])
        if (r in plan or room) and (qty == item.quantity or not search.complete):
            yield {r: qty}
    if search.split_lines:
        yield from _filled_in_order(search, item, plan)
    if not search.complete:
        yield {}


def _filled_in_order(search: "Search", item: Item, plan: PlanUnits):
    order = [r for r in plan if r in search.holding[item.sku]]
    order += [r for _, r in search.entry_of[item.sku] if r not in plan]
    option, needed, nodes = {}, item.quantity, set(plan)
    for r in order:
        if needed == 0 or (r not in nodes and len(nodes) >= search.max_split):
            continue
        take = min(needed, search.stock[r][item.sku])
        option[r], needed = take, needed - take
        nodes.add(r)
    if option and (needed == 0 or not search.complete):
        yield option


def _found(search: "Search", plan: PlanUnits) -> Found:
    units = sum(q for u in plan.values() for q in u.values())
    return Found(plan, units, search.scorer.score(plan), exact=False)
