"""The ops desk's tools: the SLA report, the alerts queue, and acknowledging an alert."""

from pydantic import Field

from agents.tool_base import OmsTool, ToolContext, ToolFailure, command_of, targeted
from oms.domain.alerts import allowed
from oms.services import alerts
from oms.services.actor import Permission
from oms.services.alert_models import AcknowledgeCommand, AlertQuery
from oms.services.alert_queries import get_alert, list_alerts
from oms.services.sla_report import SlaReportQuery, sla_report

AcknowledgeArgs = targeted(AcknowledgeCommand, "AcknowledgeAlert", alert_id=(int, Field(gt=0)))


def _acknowledge_preview(ctx: ToolContext, args) -> dict | ToolFailure:
    alert = get_alert(ctx.uow, ctx.actor, args.alert_id)
    if not allowed("acknowledge", alert.status):
        return ToolFailure(f"alert {alert.id} is {alert.status}: only an open alert is acknowledged")
    return {"summary": f"Acknowledge alert {alert.id}: {alert.message}",
            "alert": alert.model_dump(mode="json", include={"id", "kind", "severity", "status"}),
            "change": command_of(args, AcknowledgeCommand).model_dump(mode="json", exclude_none=True)}  # fmt: skip


DESK_TOOLS = (
    OmsTool("sla_report", "SLA attainment over a period: per node, work shipped by its ship-by date; per"
            " carrier, parcels delivered by their deliver-by date.", SlaReportQuery, Permission.SLA_READ,
            lambda ctx, a: sla_report(ctx.uow, ctx.actor, a)),
    OmsTool("list_alerts", "Alerts (late or at-risk work, carrier exceptions), oldest first, by status, kind,"
            " severity, node or carrier.", AlertQuery, Permission.ALERTS_READ,
            lambda ctx, a: list_alerts(ctx.uow, ctx.actor, a)),
    OmsTool("acknowledge_alert", "Say someone is on an open alert, with an optional note.", AcknowledgeArgs,
            Permission.ALERTS_MANAGE,
            lambda ctx, a: alerts.acknowledge(ctx.uow, ctx.actor, a.alert_id, command_of(a, AcknowledgeCommand)),
            _acknowledge_preview),
)  # fmt: skip
