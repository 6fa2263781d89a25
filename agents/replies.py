"""Command mode's answers: a tool's JSON result written as a few plain lines for the ops desk. (With an
LLM, the model writes its own answer from the same JSON.)"""

from collections.abc import Callable

MAX_ROWS = 10


def _order(o: dict) -> str:
    hold = f" (hold: {o['hold_reason']})" if o.get("hold_reason") else ""
    promised = f"ships {o['promised_ship_date'] or '-'}, delivered {o['promised_delivery_date'] or '-'}"
    lines = [f"Order {o['id']} ({o['channel']} {o['external_id']}), {o['customer']['name']}: {o['status']}{hold}",
             f"  promised: {promised}; total {o['total_amount']} {o['currency']}"]  # fmt: skip
    lines += [f"  line {line['line_no']}: {line['quantity']} x {line['sku']}, {line['status']} ({_where(line)})"
              for line in o["lines"]]  # fmt: skip
    return "\n".join(lines)


def _where(line: dict) -> str:
    if line["allocations"]:
        return ", ".join(f"{a['quantity']} at {a['node_id']}" for a in line["allocations"])
    return f"{line['shipped_quantity']} shipped" if line["shipped_quantity"] else "none allocated"


def _orders(page: dict) -> str:
    rows = page["items"]
    if not rows:
        return "No order matches."
    shown = [f"  {o['id']}  {o['channel']} {o['external_id']}  {o['customer_name']}  {o['status']}"
             + ("  LATE" if o.get("late") else "  at risk" if o.get("at_risk") else "") for o in rows[:MAX_ROWS]]  # fmt: skip
    more = f"\n  … and more ({len(rows) - MAX_ROWS} on this page)" if len(rows) > MAX_ROWS else ""
    return f"{len(rows)}{'+' if page.get('next_cursor') else ''} order(s):\n" + "\n".join(shown) + more


def _atp(a: dict) -> str:
    where = f" in {a['country']}" if a.get("country") else ""
    nodes = "\n".join(f"  {n['node_id']}: {n['atp']} (on hand {n['on_hand']}, reserved {n['reserved']},"
                      f" safety {n['safety_stock']})" for n in a["nodes"])  # fmt: skip
    return f"{a['sku']}{where}: {a['total']} can be sold.\n{nodes}".rstrip()


def _tracking(shipments: list) -> str:
    if not shipments:
        return "No parcel has shipped for this order yet."
    return "\n".join(f"Parcel {s['carrier']} {s['tracking_number'] or '(no tracking number)'} from {s['node_id']}:"
                     f" {s['status']}" + (_last_scan(s['tracking'][-1]) if s["tracking"] else "")
                     for s in shipments)  # fmt: skip


def _last_scan(event: dict) -> str:
    return f", last scan {event['status']} at {event['location'] or '?'} on {event['occurred_at'][:16]}"


def _routing(decisions: list) -> str:
    if not decisions:
        return "This order was never routed."
    d = decisions[0]["decision"]
    shipments = (d["plan"] or {}).get("shipments", [])
    ships = "; ".join(f"{s['node_id']} ships {_units(s['lines'])} by {s['carrier']}{_predicted(s)}" for s in shipments)
    others = "; ".join(f"{c['node_id']}: {c['reason'] or c['filtered_by']}" for c in d["candidates"]
                       if not c["chosen"] and (c["reason"] or c["filtered_by"]))  # fmt: skip
    return f"Strategy {d['strategy'] or '-'}: {ships or 'nothing could ship'}." + (
        f"\nNot chosen: {others}." if others else "")


def _predicted(shipment: dict) -> str:
    """The reliability table's predictions, when the profiles that routed the order pinned one."""
    if shipment.get("on_time") is None:
        return ""
    return f" ({shipment['on_time']:.0%} predicted on time, {shipment['predicted_transit_days']:.1f} days in transit)"


def _units(lines: list) -> str:
    return ", ".join(f"{x['quantity']} x {x['sku']}" for x in lines)


def _alerts(page: dict) -> str:
    if not page["items"]:
        return "No alert matches."
    return "\n".join(f"  {a['id']}  {a['severity']}  {a['kind']}: {a['message']} ({a['status']})"
                     for a in page["items"][:MAX_ROWS])  # fmt: skip


def _sla(r: dict) -> str:
    nodes = "\n".join(f"  {n['node_id']}: {n['attainment_pct']} % shipped on time ({n['due']} due)" for n in r["nodes"])
    carriers = "\n".join(f"  {c['carrier']}: {c['attainment_pct']} % delivered on time ({c['shipments']} parcels)"
                         for c in r["carriers"])  # fmt: skip
    return f"SLA from {r['from']} to {r['to']}:\n{nodes or '  no work was due'}\n{carriers}".rstrip()


def _promise(p: dict) -> str:
    return "\n".join(f"  {o['service_level']}: " + (f"delivered {o['delivery_date'] or 'n/a'}, ready {o['ready_date']}"
                                                    if o["service_level"] == "pickup" and o["ready_date"]
                                                    else f"delivered {o['delivery_date']}" if o["available"]
                                                    else f"not possible ({o['reason']})")
                     for o in p["options"]) or "No delivery can be promised for these lines."  # fmt: skip


def _alert(a: dict) -> str:
    return f"Alert {a['id']} is {a['status']}."


def _return(r: dict) -> str:
    return f"Return {r['rma_number']} is {r['status']}."


_FORMATS: dict[str, Callable] = {
    "get_order": _order, "hold_order": _order, "release_hold": _order, "cancel_order": _order,
    "cancel_line": _order, "edit_order": _order, "find_orders": _orders, "check_atp": _atp,
    "track_order": _tracking, "explain_routing": _routing, "list_alerts": _alerts, "sla_report": _sla,
    "promise_delivery": _promise, "acknowledge_alert": _alert, "create_return": _return,
}  # fmt: skip


def reply(tool: str, result) -> str:
    """A tool's result as text (a tool without a format of its own: that it is done)."""
    format_ = _FORMATS.get(tool)
    return format_(result) if format_ else f"{tool}: done."
