"""The event catalogue: every name a service publishes is in it, and subscriptions are checked against it."""

import re
from pathlib import Path
from typing import get_args

import pytest
from pydantic import TypeAdapter, ValidationError

from oms.services.event_types import EVENT_TYPES, EventTypeName

NAMES = TypeAdapter(list[EventTypeName])
SERVICES = Path(__file__).resolve().parents[2] / "src" / "oms" / "services"
# publish="x.y", PUBLISH = "x.y", and the event names order_actions passes to _act(..., "x.y", ...)
PUBLISHED = re.compile(r'(?:publish=|PUBLISH = |event=)"([a-z_]+\.[a-z_]+)"|_act\([^)]*?"[a-z_]+", "([a-z_]+\.[a-z_]+)"')


def published_names() -> set[str]:
    names = set()
    for path in SERVICES.rglob("*.py"):
        for match in PUBLISHED.finditer(path.read_text()):
            names.add(match.group(1) or match.group(2))
    return names


def built_names() -> set[str]:
    """Names the services build from a status or an event type (f"shipment.{status}" and the like)."""
    from oms.domain.tracking import TrackingStatus
    from oms.services.shipment_progress import PUBLISHED
    from oms.services.wms_event_models import WmsEvent

    wms_types = {t for event in get_args(get_args(WmsEvent)[0]) for t in get_args(event.model_fields["type"].annotation)}
    return ({f"fulfilment.{t}" for t in wms_types} | {f"shipment.{s.value}" for s in TrackingStatus}
            | {f"order.{s.value}" for s in PUBLISHED})  # fmt: skip


def test_every_published_event_type_is_in_the_catalogue():
    names = published_names() | built_names()
    assert {"order.created", "order.held", "inventory.updated", "node.outage", "fulfilment.picked",
            "shipment.in_transit", "order.shipped"} <= names  # the scan works
    assert names - set(EVENT_TYPES) == set()


def test_every_catalogue_entry_has_a_description():
    assert all(description.strip() for description in EVENT_TYPES.values())


def test_catalogue_names_and_the_wildcard_are_accepted():
    assert NAMES.validate_python(["order.shipped", "*"]) == ["order.shipped", "*"]


@pytest.mark.parametrize("names", [["order.create"], ["order.created", "nope"]])
def test_unknown_event_types_are_refused_by_name(names):
    with pytest.raises(ValidationError) as refused:
        NAMES.validate_python(names)
    assert [e["type"] for e in refused.value.errors()] == ["unknown_event_type"]
