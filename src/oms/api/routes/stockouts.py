"""Anomalies: the stockout forecast per SKU and node (the manager page's stockout timeline)."""

from typing import Annotated

from fastapi import APIRouter, Query

from oms.api.deps import ActorDep, UowDep
from oms.api.problems import problem_responses
from oms.services.stockout_forecast import StockoutForecast, StockoutQuery, stockout_forecast

router = APIRouter(prefix="/anomalies", tags=["anomalies"])


@router.get("/stockouts", responses=problem_responses(403, 422))
def read_stockouts(
    query: Annotated[StockoutQuery, Query()], actor: ActorDep, uow: UowDep
) -> list[StockoutForecast]:
    """Positions projected to run out within the horizon, soonest first: ATP now, forecast daily demand,
    the stockout and replenishment dates, days of cover; `at_risk_only` keeps those that run out before
    replenishment can arrive. Needs inventory:read or reports:read."""
    return stockout_forecast(uow, actor, query)
