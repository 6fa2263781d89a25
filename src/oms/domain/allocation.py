"""Simple allocation: each line from the first node by priority that can fill it whole, otherwise
split over nodes in priority order; what no node can cover is backordered. The routing engine
(issue 02) replaces this policy; the reservation mechanics around it stay."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LineRequest:
    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allocation:
    line_no: int
    sku: str
    node_id: str
    quantity: int


def allocate(
    lines: list[LineRequest], available: dict[tuple[str, str], int], node_order: list[str]
) -> list[Allocation]:
    """`available[(node_id, sku)]` is the ATP the order may use; `node_order` ranks eligible nodes."""
    remaining = dict(available)
    result: list[Allocation] = []
    for line in lines:
        whole = next((n for n in node_order if remaining.get((n, line.sku), 0) >= line.quantity), None)
        if whole is not None:
            picks = [(whole, line.quantity)]
        else:
            picks = _split(line, remaining, node_order)
        for node_id, qty in picks:
            remaining[(node_id, line.sku)] -= qty
            result.append(Allocation(line.line_no, line.sku, node_id, qty))
    return result


def _split(line: LineRequest, remaining: dict[tuple[str, str], int], node_order: list[str]):
    picks, needed = [], line.quantity
    for node_id in node_order:
        take = min(needed, remaining.get((node_id, line.sku), 0))
        if take > 0:
            picks.append((node_id, take))
            needed -= take
        if needed == 0:
            break
    return picks
