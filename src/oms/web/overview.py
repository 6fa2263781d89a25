"""The managers' overview: orders per channel and day, fulfilment lead times, late shipments and stock-outs
over a period, as SVG charts (oms.web.charts) each with its numbers in a table. The numbers come from
oms.services.overview, which checks the role; a bad period is the console's readable 422 page."""

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query, Request

from oms.services.overview import overview
from oms.services.overview_models import Overview, OverviewQuery
from oms.web.charts import Series, bar_chart, line_chart
from oms.web.console import ConsoleDep, ConsoleRoute, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)


@router.get("/overview")
def overview_page(request: Request, console: ConsoleDep, query: Annotated[OverviewQuery, Query()]):
    report = overview(console.uow, console.actor, query)
    context = {"console": console, "report": report, "days": query.days, "charts": charts(report, query)}
    return render(request, "overview.html", context)


def charts(report: Overview, query: OverviewQuery) -> dict:
    """The four charts of the page, one value per day of the period (days without any count as zero)."""
    days = query.days
    labels = [day.strftime("%m-%d") for day in days]
    period = f"from {report.from_} to {report.to}" + (f", channel {report.channel}" if report.channel else "")
    per_channel: dict[str, dict] = defaultdict(lambda: defaultdict(int))
    for row in report.orders:
        per_channel[row.channel][row.day] += row.orders
    lead = {row.day: row for row in report.lead_times_by_day}
    backordered = {row.day: row.lines for row in report.stock_outs.backordered_by_day}

    def lead_series(name: str, field: str) -> Series:
        return Series(name, [getattr(lead[d], field) if d in lead else None for d in days])

    return {
        "orders": bar_chart("chart-orders", "Orders captured per day", f"Orders per day, stacked by channel, {period}.",
                            labels, [Series(c, [per_channel[c][d] for d in days]) for c in sorted(per_channel)]),
        "lead": line_chart("chart-lead", "Lead time per day, hours", "Hours from order capture to shipment and to"
                           f" delivery, median and 90th percentile, by the day shipments left, {period}.", labels,
                           [lead_series("to ship, p50", "to_ship_hours_p50"),
                            lead_series("to ship, p90", "to_ship_hours_p90"),
                            lead_series("to delivery, p50", "to_delivery_hours_p50"),
                            lead_series("to delivery, p90", "to_delivery_hours_p90")], " h"),
        "late": bar_chart("chart-late", "Late shipments per day", "Shipments that left late, and those that left"
                          f" on time but landed late, by the day they left, {period}.", labels,
                          [Series("shipped late", [lead[d].shipped_late if d in lead else 0 for d in days]),
                           Series("delivered late only",
                                  [lead[d].late - lead[d].shipped_late if d in lead else 0 for d in days])]),
        "backordered": bar_chart("chart-backordered", "Order lines backordered per day", "Order lines that went"
                                 f" backordered (no node had the stock), per day, {period}.", labels,
                                 [Series("lines backordered", [backordered.get(d, 0) for d in days])]),
    }  # fmt: skip
