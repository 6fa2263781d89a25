"""Alerts as callers see them, what they send to act on one, and the filters of the list."""

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from oms.domain.alerts import AlertKind, AlertStatus, Severity
from oms.services.order_models import Command
from oms.services.pagination import DEFAULT_LIMIT, MAX_LIMIT, Page

Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class AlertSubject(BaseModel):
    """What the alert is about; only the ids that apply are set."""

    order_id: int | None = None
    fulfilment_order_id: int | None = None
    shipment_id: int | None = None
    node_id: str | None = None
    carrier: str | None = None
    sku: str | None = None
    channel_id: str | None = None


class AlertPublic(BaseModel):
    id: int
    kind: str = Field(description="ship_by_at_risk, ship_by_breached, deliver_by_at_risk, deliver_by_breached, "
                                  "shipment_exception, returned_to_sender, ...")  # fmt: skip
    severity: Severity
    status: AlertStatus
    dedupe_key: str = Field(
        description="The condition: while an alert of it is not resolved, no other is raised"
    )
    subject: AlertSubject
    message: str
    details: dict
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    resolved_at: dt.datetime | None
    resolved_by: str | None
    note: str | None = Field(description="What whoever acknowledged or resolved it wrote")


class AlertPage(Page[AlertPublic]):
    pass


class AlertQuery(Command):
    kind: AlertKind | None = None
    status: AlertStatus | None = None
    severity: Severity | None = None
    node: str | None = Field(default=None, max_length=40)
    carrier: str | None = Field(default=None, max_length=40)
    channel: str | None = Field(default=None, max_length=40)
    since: dt.datetime | None = Field(default=None, description="Raised at or after this time")
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(default=None, max_length=500)


class AcknowledgeCommand(Command):
    note: Note | None = None


class ResolveCommand(Command):
    note: Note = Field(description="Why it is resolved, or what was done")
