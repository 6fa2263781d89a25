"""The stockout check of the anomaly scan: a SKU at a node projected to run out before replenishment can
arrive (oms.services.stockout_forecast) is a STOCKOUT_PREDICTED finding, ranked by how soon and by how
many units of demand it leaves unserved until replenishment.

Each contribution is what taking one factor away would change of the score: the demand (without it, no
stockout), the weekday pattern (a flat week instead), ATP now (zero instead) and the inbound supply
before the stockout (none instead; the replenishment after it stays). Positive effects bring the
stockout forward."""

from dataclasses import replace
from datetime import UTC, date, datetime

from oms.domain.alerts import AlertKind, dedupe_key
from oms.domain.stockout import FLAT, outlook, risk_score, severity
from oms.services.actor import Actor, Permission
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_checks_settings import AnomalySettings
from oms.services.anomaly_models import Contribution, Finding
from oms.services.stockout_forecast import PositionOutlook, position_outlooks
from oms.services.uow import UnitOfWork


def stockout_findings(uow: UnitOfWork, actor: Actor, now: datetime | None = None) -> list[Finding]:
    """Positions that run out before replenishment, soonest first."""
    actor.require(Permission.INVENTORY_READ)
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    settings = AnomalySettings()
    with uow.reading():
        found = position_outlooks(uow.conn, today, settings)
    at_risk = sorted((p for p in found if p.outlook.at_risk), key=lambda p: (p.outlook.stockout, p.sku))
    return [_finding(p, today, settings) for p in at_risk]


def _finding(p: PositionOutlook, today: date, settings: AnomalySettings) -> Finding:
    days_left = (p.outlook.stockout - today).days
    kind = AlertKind.STOCKOUT_PREDICTED
    return Finding(
        kind=kind, severity=severity(days_left), dedupe_key=dedupe_key(kind, "sku", f"{p.sku}@{p.node_id}"),
        subject=AlertSubject(sku=p.sku, node_id=p.node_id), message=_message(p, today, days_left),
        score=round(risk_score(days_left, p.outlook.units_short, settings.horizon_days), 4),
        contributions=_contributions(p, today, settings),
        details={"atp": p.atp, "daily_demand": round(p.demand.level, 2),
                 "weekday_peak": round(p.demand.peak, 2),
                 "inbound_units": p.outlook.inbound_before, "stockout_date": p.outlook.stockout.isoformat(),
                 "replenishment_date": p.outlook.replenishment.isoformat(), "days_of_cover": days_left,
                 "units_short": round(p.outlook.units_short, 1)},
    )  # fmt: skip


def _message(p: PositionOutlook, today: date, days_left: int) -> str:
    if p.atp <= 0:
        state = f"has nothing left to promise (ATP {p.atp})"
    else:
        state = (
            "runs out today"
            if days_left == 0
            else f"runs out {p.outlook.stockout:%a %-d %b} ({days_left} days)"
        )
    return (f"{p.sku} at {p.node_id} {state}, selling {p.demand.level:.1f} a day; "
            f"replenishment {p.outlook.replenishment:%-d %b}")  # fmt: skip


def _contributions(p: PositionOutlook, today: date, settings: AnomalySettings) -> list[Contribution]:
    score = _score(p, today, settings)
    without = {
        "daily_demand": (f"{p.demand.level:.1f} units/day", replace(p, demand=replace(p.demand, level=0.0))),
        "weekday_peak": (f"x{p.demand.peak:.2f}", replace(p, demand=replace(p.demand, weekday=FLAT))),
        "atp": (str(p.atp), replace(p, atp=0)),
        "inbound": (
            f"{p.outlook.inbound_before} units",
            replace(p, inbound=_after(p.inbound, p.outlook.stockout)),
        ),
    }
    found = [Contribution(feature=name, value=value, effect=round(score - _score(other, today, settings), 4))
             for name, (value, other) in without.items()]  # fmt: skip
    return sorted(found, key=lambda c: -abs(c.effect))


def _after(inbound: list[tuple[date, int]], stockout: date) -> list[tuple[date, int]]:
    """The supply arriving after the stockout (the replenishment stays what it is)."""
    return [(day, units) for day, units in inbound if day > stockout]


def _score(p: PositionOutlook, today: date, settings: AnomalySettings) -> float:
    found = outlook(p.atp, p.inbound, p.demand, today, settings.horizon_days, settings.lead_time_days)
    if not found.at_risk:
        return 0.0
    return risk_score((found.stockout - today).days, found.units_short, settings.horizon_days)
