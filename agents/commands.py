"""Command mode: the assistant without an LLM. Terse commands (`order 1042`, `atp TSH-BLU-L FR`,
`hold 1042 reason`) are parsed deterministically into the same tool calls a model would make, so they are
validated, role-checked and confirmed the same way.

`parse` turns a command into its first tool call; `follow_up` gives the next call a command needs once a
result is in (`track PO-4411` finds the order by its reference, then tracks it)."""

import datetime as dt
import re
from dataclasses import dataclass, field

ORDER_NUMBER = re.compile(r"^#?(\d{1,12})$")
COUNTRY = re.compile(r"^[A-Za-z]{2}$")
COUNT = re.compile(r"^\d{1,4}$", re.ASCII)  # days, units, a line: str.isdigit() takes "²", int() does not
SLA_DAYS = 7

HELP = """Commands (free-form questions need an LLM endpoint: set OMS_LLM_BASE_URL and OMS_LLM_MODEL):
  order 1042                 an order, by its number or its channel reference (order WEB-1042)
  find camille               orders by customer, e-mail or reference
  late                       open orders past their promised delivery date
  atp TSH-BLU-L [FR|WH-LYON] what can still be sold, in total, in a country, or at a node
  promise TSH-BLU-L 2 75001 FR   delivery dates for 2 units to a postal code
  track 1042 | track PO-4411 the order's parcels and their tracking
  why 1042                   why it ships from where it does
  hold 1042 reason...        put on hold (asks you to confirm)
  release 1042 [reason]      release its hold (asks you to confirm)
  cancel 1042 [reason]       cancel the order; cancel 1042 line 2 [reason]: one line (asks you to confirm)
  alerts [acknowledged|resolved|any]   the alerts queue; ack 17 [note]: acknowledge one (asks you to confirm)
  sla [days]                 SLA attainment over the last days (7 by default)
  help                       this list"""


@dataclass(frozen=True)
class Call:
    tool: str
    args: dict = field(default_factory=dict)
    then: str | None = None  # the tool to call with the one order this call finds


@dataclass(frozen=True)
class Unknown:
    """Not a command: what to tell the person."""

    reply: str


def parse(text: str, today: dt.date | None = None) -> Call | Unknown:
    words = text.strip().split()
    if not words:
        return Unknown(HELP)
    verb, rest = words[0].lower(), words[1:]
    parser = _PARSERS.get(verb)
    if parser is None:
        return Unknown(f"“{words[0]}” is not a command I know. {HELP}")
    return parser(rest, today or dt.date.today())


def follow_up(first: Call, result) -> Call | None:
    """The next call of a two-step command, once the first call answered; None when there is none."""
    items = result.get("items", []) if isinstance(result, dict) else []
    if first.then and len(items) == 1:
        return Call(first.then, {"order_id": items[0]["id"]})
    return None


def _order_or_reference(rest: list[str], tool: str) -> Call | Unknown:
    if not rest:
        return Unknown(f"Which order? e.g. “{_VERBS[tool]} 1042”.")
    number = ORDER_NUMBER.match(rest[0])
    if number:
        return Call(tool, {"order_id": int(number.group(1))})
    return Call("find_orders", {"q": rest[0], "limit": 5}, then=tool)


def _action(tool: str, target: str = "order_id", reason_key: str = "reason", required: bool = False):
    """A write on one order (or alert) by its number, the rest of the words its reason (or note)."""

    def parse_action(rest: list[str], _today) -> Call | Unknown:
        number = ORDER_NUMBER.match(rest[0]) if rest else None
        if not number:
            what = "alert" if target == "alert_id" else "order"
            return Unknown(f"Which {what}? Give its number, e.g. “{_VERBS[tool]} 1042 customer called”.")
        args: dict = {target: int(number.group(1))}
        words = rest[1:]
        if tool == "cancel_order" and len(words) >= 2 and words[0].lower() == "line" and COUNT.match(words[1]):
            tool_, args["line_no"], words = "cancel_line", int(words[1]), words[2:]
        else:
            tool_ = tool
        if words:
            args[reason_key] = " ".join(words)
        elif required:
            return Unknown(f"Say why, e.g. “{_VERBS[tool]} {args[target]} address to check”: the reason is"
                           " kept on the order.")  # fmt: skip
        return Call(tool_, args)

    return parse_action


def _atp(rest: list[str], _today) -> Call | Unknown:
    if not rest:
        return Unknown("Which SKU? e.g. “atp TSH-BLU-L”, “atp TSH-BLU-L FR” or “atp TSH-BLU-L WH-LYON”.")
    args = {"sku": rest[0]}
    if len(rest) > 1:
        args["country" if COUNTRY.match(rest[1]) else "node"] = rest[1]
    return Call("check_atp", args)


def _promise(rest: list[str], _today) -> Call | Unknown:
    if len(rest) != 4 or not COUNT.match(rest[1]):
        return Unknown("Say SKU, units, postal code and country, e.g. “promise TSH-BLU-L 2 75001 FR”.")
    sku, quantity, postal_code, country = rest
    return Call("promise_delivery", {"lines": [{"sku": sku, "quantity": int(quantity)}],
                                     "destination": {"postal_code": postal_code, "country": country}})  # fmt: skip


def _alerts(rest: list[str], _today) -> Call | Unknown:
    status = rest[0].lower() if rest else "open"
    return Call("list_alerts", {} if status == "any" else {"status": status})


def _sla(rest: list[str], today: dt.date) -> Call | Unknown:
    days = int(rest[0]) if rest and COUNT.match(rest[0]) else SLA_DAYS  # at most 9999: a date that exists
    return Call("sla_report", {"from": (today - dt.timedelta(days=max(days, 1) - 1)).isoformat(),
                               "to": today.isoformat()})  # fmt: skip


_VERBS = {"get_order": "order", "track_order": "track", "explain_routing": "why", "hold_order": "hold",
          "release_hold": "release", "cancel_order": "cancel", "acknowledge_alert": "ack"}  # fmt: skip
_PARSERS = {
    "order": lambda rest, _today: _order_or_reference(rest, "get_order"),
    "find": lambda rest, _today: Call("find_orders", {"q": " ".join(rest)}) if rest
    else Unknown("Find what? e.g. “find camille” or “find WEB-1042”."),
    "late": lambda rest, _today: Call("find_orders", {"late": True}),
    "track": lambda rest, _today: _order_or_reference(rest, "track_order"),
    "why": lambda rest, _today: _order_or_reference(rest, "explain_routing"),
    "atp": _atp,
    "promise": _promise,
    "hold": _action("hold_order", required=True),
    "release": _action("release_hold"),
    "cancel": _action("cancel_order"),
    "alerts": _alerts,
    "ack": _action("acknowledge_alert", target="alert_id", reason_key="note"),
    "sla": _sla,
    "help": lambda rest, _today: Unknown(HELP),
}
