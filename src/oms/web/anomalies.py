"""The managers' anomalies page: the latest scan's digest, the open anomaly alerts ranked as the agent
ranks them with the reasons it gave (each links to the alert, where it is acknowledged or resolved), the
delay risk of open shipments by node and by carrier (oms.services.delay_risk_views) and the stockout
timeline (oms.services.stockout_forecast), as SVG charts each with its numbers in a table."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from oms.services.anomaly_scan_queries import latest_scans, ranked_anomaly_alerts
from oms.services.delay_risk_views import DelayRiskPublic, RiskGrouping, delay_risk_by
from oms.services.stockout_forecast import StockoutForecast, StockoutQuery, stockout_forecast
from oms.web.charts import Series, bar_chart
from oms.web.console import ConsoleDep, ConsoleRoute, CsrfChecked, render

router = APIRouter(route_class=ConsoleRoute, include_in_schema=False)
ALERTS_SHOWN = 50
STOCKOUTS_SHOWN = 200


@router.get("/anomalies")
def anomalies_page(request: Request, console: ConsoleDep):
    uow, actor = console.uow, console.actor
    scans = latest_scans(uow, actor, limit=1)
    risk = {by: delay_risk_by(uow, actor, by) for by in RiskGrouping}
    stockouts = stockout_forecast(uow, actor, StockoutQuery(limit=STOCKOUTS_SHOWN))
    context = {"console": console, "scan": scans[0] if scans else None, "risk": risk, "stockouts": stockouts,
               "alerts": ranked_anomaly_alerts(uow, actor, limit=ALERTS_SHOWN),
               "charts": {**{by.value: risk_chart(risk[by]) for by in RiskGrouping},
                          "stockouts": stockout_timeline(stockouts, datetime.now(UTC).date())}}  # fmt: skip
    return render(request, "anomalies.html", context)


@router.post("/anomalies/scan", dependencies=[CsrfChecked])
def scan_now(console: ConsoleDep):
    """A scan now, as the manager who asked (the worker's next one comes on its schedule anyway)."""
    from agents.anomaly import run_scan  # the agent loads LangGraph: only when someone asks for a scan
    from agents.anomaly_run import DIGEST
    from agents.model_text import writer_model

    run_scan(console.uow, console.actor, writer_model(DIGEST))
    return RedirectResponse("/anomalies", status_code=303)


def risk_chart(risk: DelayRiskPublic):
    """Mean P(late) of the open shipments per node or carrier, riskiest first, in percent."""
    keys = [group.key for group in risk.groups]
    series = [Series("mean P(late)", [round(group.mean_p_late * 100, 1) for group in risk.groups])]
    return bar_chart(f"chart-risk-{risk.by.value}", f"Delay risk by {risk.by.value}",
                     f"Mean probability that an open shipment is delivered late, per {risk.by.value}, from the"
                     " delay model's latest scores.", keys, series, " %")  # fmt: skip


def stockout_timeline(stockouts: list[StockoutForecast], today: date):
    """Positions running out per day ahead, stacked by whether replenishment comes too late."""
    last = max((s.stockout_date for s in stockouts), default=today)
    days = [today + timedelta(days=n) for n in range((last - today).days + 1)]
    at_risk = Counter(s.stockout_date for s in stockouts if s.at_risk)
    covered = Counter(s.stockout_date for s in stockouts if not s.at_risk)
    series = [Series("before replenishment", [at_risk[d] for d in days]),
              Series("replenishment due by then", [covered[d] for d in days])]  # fmt: skip
    return bar_chart("chart-stockouts", "Stockouts ahead", "SKU and node positions projected to run out, per"
                     " day, stacked by whether replenishment arrives before.", [d.strftime("%m-%d") for d in days],
                     series)  # fmt: skip
