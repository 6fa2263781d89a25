"""Routing profiles as data: validation by the domain loader with every problem mapped to its field
path, JSON and YAML parsing, the reliability table a set pins, and the built-in profile set that is
active until a first save."""

import json
import re
from typing import Literal

import yaml
from sqlalchemy import Connection

from oms.domain.routing.profiles import ProfileError, ProfileSet, profiles_from_data
from oms.domain.routing.reliability import ReliabilityTable
from oms.services.delay_models_store import version_in
from oms.services.errors import FieldError, ValidationFailed
from oms.services.routing_reliability import RELIABILITY

# Weights are money per unit of each criterion: half a unit of money per transit day, five per day late,
# one per extra shipment on top of its carrier fees, two for taking all a store holds of a SKU.
_OBJECTIVE = {
    "shipping_cost": 1.0,
    "transit_days": 0.5,
    "sla_risk": 5.0,
    "split": 1.0,
    "node_priority": 0.01,
    "capacity_balance": 1.0,
    "store_stock_protection": 2.0,
}
# Capacity is a daily plan, not a reason to backorder: when no node with capacity left can ship an order
# whole, the last strategy ships it from wherever the stock is and the node works it when it can.
BUILTIN_PROFILES: dict = {
    "version": 1,
    "strategies": [
        {
            "name": "one-shipment",
            "objective": _OBJECTIVE,
            "max_split": 1,
            "partial_fulfilment": "ship_complete",
            "fallback": "split-up-to-3",
        },
        {
            "name": "split-up-to-3",
            "objective": _OBJECTIVE,
            "max_split": 3,
            "allow_line_split": True,
            "partial_fulfilment": "ship_complete",
            "fallback": "beyond-capacity",
        },
        {
            "name": "beyond-capacity",
            "filters": {"require_capacity": False},
            "objective": _OBJECTIVE,
            "max_split": 3,
            "allow_line_split": True,
            "partial_fulfilment": "ship_available_backorder_rest",
        },
    ],
}
BUILTIN_COMMENT = (
    "built-in default: one shipment when a node with capacity left can ship it all, else up to three,"
    " else what any node holds, capacity or not"
)


def validate_profiles(data: object) -> ProfileSet:
    if isinstance(data, dict):
        data = {**data, "version": 1}  # assigned on save: whatever the data says is not checked
    try:
        return profiles_from_data(data)
    except ProfileError as exc:
        raise ValidationFailed([_field_error(e) for e in exc.errors]) from None


def pinned_reliability(conn: Connection, profiles: ProfileSet) -> ReliabilityTable | None:
    """The reliability table `profiles` route with, None when they pin none; 422 on reliability_version
    when that version of the table was never learnt (a save checks it, so routing never meets one)."""
    version = profiles.reliability_version
    if version is None:
        return None
    found = version_in(conn, RELIABILITY, version, ReliabilityTable.from_bytes)
    if found is None:
        message = f"no routing reliability table version {version} (oms routing learn stores one)"
        raise ValidationFailed([FieldError(("reliability_version",), message, "not_found")])
    return found[1]


def parse_profiles_text(text: str, fmt: Literal["json", "yaml"]) -> object:
    """The data in a JSON or YAML document; 422 when it is neither."""
    try:
        return json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ValidationFailed([FieldError((), f"not valid {fmt}: {exc}", "syntax")]) from None


_PATH = re.compile(r"([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*): (.*)", re.DOTALL)


def _field_error(error: str) -> FieldError:
    """'strategies.0.max_split: message' as a FieldError; a message without a path has an empty one."""
    match = _PATH.fullmatch(error)
    if not match:
        return FieldError((), error)
    path = tuple(int(p) if p.isdigit() else p for p in match.group(1).split("."))
    return FieldError(path, match.group(2))
