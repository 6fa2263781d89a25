"""A routing decision as the API shows it and the database stores it: every candidate node with why it
was filtered out or how it scores, the chosen plan with its score per criterion, and the strategies
tried. `decision_data` makes the stored JSON (plain data, cheap enough for the capture path);
`RoutingDecisionPublic` reads it back."""

from pydantic import BaseModel, Field

from oms.domain.routing.model import Decision, NodeVerdict, Plan, PlannedShipment


class CriterionPublic(BaseModel):
    value: float
    weighted: float = Field(description="The value times the criterion's weight: what the score adds")


class ShipmentLinePublic(BaseModel):
    line_no: int
    sku: str
    quantity: int


class ShipmentPublic(BaseModel):
    node_id: str
    carrier: str
    lines: list[ShipmentLinePublic]
    weight_kg: float
    cost: float
    transit_days: int
    on_time: float | None = Field(default=None, description="Predicted on-time probability (profiles with a "
                                  "reliability_version); absent otherwise")  # fmt: skip
    predicted_transit_days: float | None = Field(default=None, description="Predicted mean transit days")


class PlanPublic(BaseModel):
    shipments: list[ShipmentPublic]
    backorders: list[ShipmentLinePublic] = Field(description="What no eligible node can ship")
    score: float = Field(description="The weighted objective; lower is better")
    breakdown: dict[str, CriterionPublic]
    exact: bool = Field(description="False when the search ran out of budget and a heuristic decided")


class CandidatePublic(BaseModel):
    node_id: str
    filtered_by: str | None = Field(description="The filter that left the node out")
    reason: str | None
    units: int = Field(description="Units of the order the node could ship")
    alone: dict[str, CriterionPublic] | None = Field(description="How it scores shipping those alone")
    chosen: bool


class AttemptPublic(BaseModel):
    strategy: str
    outcome: str


class RoutingDecisionPublic(BaseModel):
    strategy: str | None = Field(description="The strategy that decided; none when no conditions matched")
    plan: PlanPublic | None
    candidates: list[CandidatePublic]
    attempts: list[AttemptPublic]


def decision_data(decision: Decision) -> dict:
    """The decision as JSON-ready data, in the shape of RoutingDecisionPublic."""
    return {
        "strategy": decision.strategy,
        "plan": None if decision.plan is None else _plan(decision.plan),
        "candidates": [_candidate(v) for v in decision.candidates],
        "attempts": [{"strategy": a.strategy, "outcome": a.outcome} for a in decision.attempts],
    }


def decision_public(decision: Decision) -> RoutingDecisionPublic:
    return RoutingDecisionPublic.model_validate(decision_data(decision))


def _plan(plan: Plan) -> dict:
    return {
        "shipments": [_shipment(s) for s in plan.shipments],
        "backorders": _lines(plan.backorders),
        "score": plan.score,
        "breakdown": _criteria(plan.breakdown),
        "exact": plan.exact,
    }


def _shipment(s: PlannedShipment) -> dict:
    """Predictions only when routing had them: decisions without stay as they were stored before."""
    data = {"node_id": s.node_id, "carrier": s.carrier, "lines": _lines(s.lines), "weight_kg": s.weight_kg,
            "cost": s.cost, "transit_days": s.transit_days}  # fmt: skip
    if s.on_time is not None:
        data |= {"on_time": s.on_time, "predicted_transit_days": s.predicted_transit_days}
    return data


def _candidate(v: NodeVerdict) -> dict:
    return {"node_id": v.node_id, "filtered_by": v.filtered_by, "reason": v.reason, "units": v.units,
            "alone": None if v.alone is None else _criteria(v.alone), "chosen": v.chosen}  # fmt: skip


def _lines(lines) -> list[dict]:
    return [{"line_no": no, "sku": sku, "quantity": qty} for no, sku, qty in lines]


def _criteria(criteria) -> dict[str, dict]:
    return {name: {"value": c.value, "weighted": c.weighted} for name, c in criteria.items()}
