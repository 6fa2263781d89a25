"""Alerts: list, read, acknowledge, resolve."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services import alerts
from oms.services.alert_models import AcknowledgeCommand, AlertPage, AlertPublic, AlertQuery, ResolveCommand
from oms.services.alert_queries import get_alert, list_alerts

router = APIRouter(prefix="/alerts", tags=["alerts"])
ERRORS = problem_responses(404, 409, 422)


@router.get("", responses=ERRORS)
def search_alerts(query: Annotated[AlertQuery, Query()], actor: ActorDep, uow: UowDep) -> AlertPage:
    """Alerts, oldest first, filtered by kind, status, severity, node, carrier, channel and raised since; pass
    `next_cursor` back as `cursor` for the next page."""
    return list_alerts(uow, actor, query)


@router.get("/{alert_id}", responses=ERRORS)
def read_alert(alert_id: int, actor: ActorDep, uow: UowDep) -> AlertPublic:
    return get_alert(uow, actor, alert_id)


@router.post("/{alert_id}/acknowledge", responses=ERRORS)
def acknowledge_alert(alert_id: int, cmd: AcknowledgeCommand, actor: ActorDep, uow: UowDep) -> AlertPublic:
    """Someone is on it; 409 unless the alert is open."""
    return alerts.acknowledge(uow, actor, alert_id, cmd)


@router.post("/{alert_id}/resolve", responses=ERRORS)
def resolve_alert(alert_id: int, cmd: ResolveCommand, actor: ActorDep, uow: UowDep) -> AlertPublic:
    """Close the alert with a note; 409 if it is resolved already. If its condition still holds, the
    next SLA check raises a new one."""
    return alerts.resolve(uow, actor, alert_id, cmd)
