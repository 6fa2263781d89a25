"""Per-order search for the best plan: which eligible nodes ship how many units of each SKU.

Plans are compared on units shipped first (more is better; under ship_complete every unit must ship),
then on score (lower is better). A plan uses at most `max_split` nodes, and a SKU comes from one node
unless the strategy allows line splits.

Branch and bound over SKUs, heaviest first (its shipment weighs most in the score, so bounds bite early). At each SKU a branch picks the set of nodes that
ship it and how many units each ships; a set always ships as much as it can, since shipping less from
the same nodes only loses units. Branches are tried best first, so the first plan found is the greedy
one, and cut when even their best completion (every remaining SKU shipped in full, at its cheapest unit
terms, plus a new shipment if the nodes in use cannot fill it) cannot beat the best plan. The search is
exact unless it runs out of `budget` steps (huge orders, line splits over many nodes or units); then a
greedy plan improved SKU by SKU competes with the best found so far, and the result says it is not exact.
"""

from collections.abc import Collection, Iterable, Iterator, Sequence
from itertools import combinations

from oms.domain.routing.dominance import dominated_routes
from oms.domain.routing.greedy import best_single_node, greedy_plan, improve
from oms.domain.routing.partial_plan import Partial, extend, extended_score
from oms.domain.routing.plan_space import EPSILON, Found, compositions
from oms.domain.routing.profiles import Strategy
from oms.domain.routing.scoring import Item, Scorer

DEFAULT_BUDGET = 20_000  # steps (options weighed, node sets tried): under about 100 ms in CPython
LOCAL_PASSES = 4


class _OutOfBudget(Exception):
    pass


class Search:
    def __init__(
        self,
        items: Sequence[Item],
        scorer: Scorer,
        strategy: Strategy,
        budget: int = DEFAULT_BUDGET,
        prune: bool = True,
    ):
        self.scorer, self.budget, self.steps = scorer, budget, 0
        self.max_split, self.split_lines = strategy.max_split, strategy.allow_line_split
        self.complete = strategy.partial_fulfilment == "ship_complete"
        self.stock = [r.node.stock for r in scorer.routes]
        self.left_out = dominated_routes(scorer, items, self.max_split) if prune else set()
        self.holding = {
            i.sku: [r for r, s in enumerate(self.stock) if s.get(i.sku, 0) > 0 and r not in self.left_out]
            for i in items
        }
        self.items = sorted(
            items, key=lambda i: (-i.quantity * i.unit_weight_kg, len(self.holding[i.sku]), i.sku)
        )
        self.total = sum(i.quantity for i in items)
        self._fills: dict[tuple[str, tuple[int, ...]], int] = {}
        self.fill = {i.sku: self._fill_from(i, self.holding[i.sku]) for i in items}
        self.rest_fill = [sum(self.fill[i.sku] for i in self.items[k:]) for k in range(len(self.items) + 1)]
        self.entry_of = {
            sku: sorted((scorer.new_node_bound(r), r) for r in rs) for sku, rs in self.holding.items()
        }
        self.min_unit = {
            i.sku: min((scorer.unit[r][i.sku] for r in self.holding[i.sku]), default=0.0) for i in items
        }
        self.best: Found | None = None

    def run(self) -> Found | None:
        if self.complete and self.rest_fill[0] < self.total:
            return None
        if not self.items:
            return Found({}, 0, 0.0, exact=True)
        self._offer_incumbents()
        try:
            self._branch(0, Partial(), 0)
        except _OutOfBudget:
            return self.best and Found(self.best.plan, self.best.units, self.best.score, exact=False)
        return self.best and Found(self.best.plan, self.best.units, self.best.score, exact=True)

    def _offer_incumbents(self) -> None:
        """Good first incumbents: most branches are cut against them. For one SKU the greedy plan has
        weighed every single node and every move already, so the other two could not beat it."""
        greedy = greedy_plan(self)
        if greedy is not None:
            self._offer(greedy)
        if len(self.items) == 1:
            return
        start = best_single_node(self)
        if start is not None:
            self._offer(start)
        if self.best is not None:
            self._offer(improve(self, self.best, LOCAL_PASSES))

    def _tick(self) -> None:
        self.steps += 1
        if self.steps > self.budget:
            raise _OutOfBudget

    def _branch(self, k: int, partial: Partial, units: int) -> None:
        self._tick()
        item = self.items[k]
        children = []
        for option in self.options(k, partial, units):
            self._tick()
            score = extended_score(self.scorer, partial, item.sku, option)
            children.append((-sum(option.values()), score, option))
        children.sort(key=lambda c: (c[0], c[1]))
        for minus_units, score, option in children:
            weight = dict(partial.weight)
            for r, qty in option.items():
                weight[r] = weight.get(r, 0.0) + qty * self.scorer.weight[item.sku]
            if self._cut(k + 1, weight.keys(), units - minus_units, score, weight):
                continue
            child = extend(self.scorer, partial, item.sku, option)
            if k + 1 == len(self.items):
                self._offer(Found(child.plan, units - minus_units, child.score, exact=True))
            else:
                self._branch(k + 1, child, units - minus_units)

    def options(self, k: int, partial: Partial, units: int) -> Iterator[dict[int, int]]:
        """The ways to ship the `k`th SKU next to `partial`: from one node, split over several when lines
        may split (node sets that cannot beat the best plan are skipped), or not at all when allowed."""
        item, used = self.items[k], partial.weight.keys()
        room = self.max_split - len(used)
        for r in self.holding[item.sku]:
            qty = min(item.quantity, self.stock[r][item.sku])
            if (room > 0 or r in used) and (qty == item.quantity or not self.complete):
                yield {r: qty}
        largest = min(self.max_split if self.split_lines else 1, item.quantity)
        if largest >= 2:
            for nodes in self._split_sets(k, partial, units, largest):
                self._tick()
                new = [r for r in nodes if r not in used]
                bounds = [self.stock[r][item.sku] for r in nodes]
                target = min(item.quantity, sum(bounds))
                if len(new) > room or (target < item.quantity and self.complete):
                    continue
                least = partial.score + target * self.min_unit[item.sku] + self._entry(new, used)
                if not self._cut(k + 1, used | set(nodes), units + target, least):
                    for split in compositions(target, bounds):
                        yield dict(zip(nodes, split, strict=True))
        if not self.complete:
            yield {}

    def _split_sets(self, k: int, partial: Partial, units: int, largest: int) -> Iterator[tuple[int, ...]]:
        """Node sets of 2 to `largest` nodes the `k`th SKU might be split over. While a branch can at best
        tie the best plan on units, only sets shipping the SKU in full can compete and their entry cost
        only grows as nodes join: nodes are tried cheapest entry first (those in use are free) and a set
        stops growing once its entry alone reaches the best score."""
        item, used, best = self.items[k], partial.weight.keys(), self.best
        if best is None or best.units < units + item.quantity + self.rest_fill[k + 1]:
            for size in range(2, largest + 1):
                yield from combinations(self.holding[item.sku], size)
            return
        entries = [(0.0, r, False) for r in self.holding[item.sku] if r in used]
        entries += [(b, r, True) for b, r in self.entry_of[item.sku] if r not in used]
        room, split = self.max_split - len(used), self.scorer.w.split
        limit = best.score - EPSILON - partial.score - item.quantity * self.min_unit[item.sku]
        yield from self._grow(entries, 0, (), 0.0, 0, bool(used), (room, split, limit, largest))

    def _grow(self, entries, start, chosen, cost, new, opened, limits):
        """Sets extending `chosen` with entries from `start` on; `cost` is their entry so far, `new` how
        many of them are not yet in the plan."""
        room, split, limit, largest = limits
        if len(chosen) >= 2:
            yield chosen
        if len(chosen) == largest:
            return
        for j in range(start, len(entries)):
            bound, r, fresh = entries[j]
            add = bound + (split if opened or new else 0.0) if fresh else 0.0
            if (fresh and new >= room) or cost + add >= limit:
                return  # later entries are fresh too and cost no less
            yield from self._grow(entries, j + 1, (*chosen, r), cost + add, new + fresh, opened, limits)

    def _entry(self, new: Sequence[int], used: Collection[int]) -> float:
        """Least that bringing the routes `new` into a plan using `used` adds."""
        splits = len(new) - (0 if used or not new else 1)
        return sum(self.scorer.new_node_bound(r) for r in new) + self.scorer.w.split * splits

    def _fill_from(self, item: Item, nodes: Iterable[int]) -> int:
        """Most units of `item` some allowed choice among `nodes` ships: an upper bound. Memoised: the
        bounds ask it for the same few sets of nodes in use over and over."""
        key = (item.sku, tuple(nodes))
        fill = self._fills.get(key)
        if fill is None:
            held = sorted((self.stock[r].get(item.sku, 0) for r in key[1]), reverse=True)
            split = sum(held[: self.max_split]) if self.split_lines else max(held, default=0)
            fill = self._fills[key] = min(item.quantity, split)
        return fill

    def _fill_bound(self, k: int, used: Collection[int]) -> int:
        if len(used) < self.max_split:
            return self.rest_fill[k]
        return sum(self._fill_from(item, used) for item in self.items[k:])

    def _cut(
        self, k: int, used: Collection[int], units: int, score: float, weight: dict | None = None
    ) -> bool:
        """True when no completion of a plan using `used`, shipping `units` for SKUs before the `k`th
        and scoring at least `score` so far, can beat the best plan."""
        best = self.best
        bound = units + self._fill_bound(k, used)
        if best is None:
            return self.complete and bound < self.total
        if bound != best.units:
            return bound < best.units
        if score + self._rest_bound(k, used) >= best.score - EPSILON:
            return True
        return weight is not None and score + self._marginal_bound(k, weight) >= best.score - EPSILON

    def _rest_bound(self, k: int, used: Collection[int]) -> float:
        """Least the remaining SKUs add when each ships its fill bound, as a tie on units requires: their
        cheapest unit terms, and when the nodes in use cannot fill one, a new shipment from its cheapest
        node (the dearest such SKU counts: one new node may serve them all)."""
        bound, entry, needs_node = 0.0, 0.0, False
        no_room = len(used) >= self.max_split
        for item in self.items[k:]:
            from_used = self._fill_from(item, used)
            full = from_used if no_room else self.fill[item.sku]
            bound += full * self.min_unit[item.sku]
            if from_used < full:
                needs_node = True
                entry = max(entry, next((b for b, r in self.entry_of[item.sku] if r not in used), 0.0))
        if needs_node:
            bound += entry + (self.scorer.w.split if used else 0.0)
        return bound

    def _marginal_bound(self, k: int, weight: dict[int, float]) -> float:
        """Least the remaining SKUs add when each ships its fill bound (a tie on units requires it): the
        unit terms, plus the dearest of the SKUs' cheapest placements. Wherever a SKU ships, that node's
        shipment grows by at least its heaviest piece (all of it, or a share when lines may split), or
        opens with it; the other SKUs only add to that, so the largest such least increase is a bound."""
        sc, w, room = self.scorer, self.scorer.w, len(weight) < self.max_split
        units_part, dearest = 0.0, 0.0
        days = max((sc.routes[r].node.transit_days for r in weight), default=0)
        late = max((sc.routes[r].days_late for r in weight), default=0)
        for item in self.items[k:]:
            full = self.fill[item.sku] if room else self._fill_from(item, weight)
            if not full:
                continue
            units_part += full * self.min_unit[item.sku]
            piece = (-(-full // self.max_split) if self.split_lines else full) * item.unit_weight_kg
            least = None
            for r in self.holding[item.sku]:
                before = weight.get(r)
                if before is not None:
                    add = w.shipping_cost * (sc.shipping(r, before + piece) - sc.shipping(r, before))
                elif room:
                    route = sc.routes[r]
                    add = w.shipping_cost * sc.shipping(r, piece) + sc.fixed[r] - (0.0 if weight else w.split)
                    add += w.transit_days * max(0, route.node.transit_days - days)
                    add += w.sla_risk * max(0, route.days_late - late)
                else:
                    continue
                if least is None or add < least:
                    least = add
            dearest = max(dearest, least or 0.0)
        return units_part + dearest

    def _offer(self, found: Found) -> None:
        if found.beats(self.best):
            self.best = found
