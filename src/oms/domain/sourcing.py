"""Which nodes ship which lines when no single node can ship the whole cart.

Greedy set cover: take the node that can ship the most remaining lines whole (ties to the preferred
node), until no node can. Exact minimum cover is NP-hard and a promise is on the hot path; greedy stays
within a log factor of the optimum, and the routing engine (issue 02) is where allocation is optimised.
A line no node holds whole is split by quantity, nodes already shipping first so parcels stay few.
"""

from collections.abc import Mapping, Sequence


def fewest_nodes(
    lines: Mapping[str, int], capacity: Mapping[tuple[str, str], int], node_order: Sequence[str]
) -> tuple[dict[str, list[tuple[str, int]]], list[str]]:
    """`capacity[(node_id, sku)]` is what the node can ever ship of the SKU; `node_order` ranks the
    nodes, preferred first. Returns the plan {node_id: [(sku, quantity)]} and the SKUs it cannot cover."""
    remaining = dict(lines)
    plan: dict[str, list[tuple[str, int]]] = {}
    while remaining:
        whole = {n: [s for s, q in remaining.items() if capacity.get((n, s), 0) >= q] for n in node_order}
        best = max(node_order, key=lambda n: len(whole[n]), default=None)  # first of equals: the preferred
        if best is None or not whole[best]:
            break
        plan[best] = [(sku, remaining.pop(sku)) for sku in whole[best]]
    short = [sku for sku in remaining if not _split_line(sku, remaining[sku], capacity, node_order, plan)]
    return plan, short


def _split_line(sku: str, quantity: int, capacity, node_order: Sequence[str], plan: dict) -> bool:
    """Spread `quantity` of `sku` over nodes, adding to `plan`; False (plan untouched) if it cannot."""
    ordered = sorted(node_order, key=lambda n: n not in plan)  # stable: preference within each group
    picks, needed = [], quantity
    for node_id in ordered:
        take = min(needed, capacity.get((node_id, sku), 0))
        if take > 0:
            picks.append((node_id, take))
            needed -= take
        if needed == 0:
            break
    if needed > 0:
        return False
    for node_id, take in picks:
        plan.setdefault(node_id, []).append((sku, take))
    return True
