"""Routing profiles as data: a versioned, ordered list of strategies that business teams edit as JSON or
YAML. The first strategy whose conditions match an order routes it; its fallback takes over when it finds
no plan. Every mistake is refused with the path of the offending field."""

import json
from decimal import Decimal
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from oms.domain.routing.model import OrderFacts

NodeType = Literal["warehouse", "3pl", "store", "dropship"]
ServiceLevel = Literal["standard", "express", "pickup"]
PartialFulfilment = Literal["ship_complete", "ship_available_backorder_rest"]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Weight = Annotated[float, Field(ge=0)]
NonEmpty = Field(default=None, min_length=1)  # an empty list would select nothing: surely a mistake


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Conditions(_Strict):
    """What selects a strategy; an absent condition matches every order."""

    channels: list[str] | None = NonEmpty
    destination_countries: list[Country] | None = NonEmpty
    service_levels: list[ServiceLevel] | None = NonEmpty
    customer_tiers: list[str] | None = NonEmpty
    order_value_min: Decimal | None = Field(default=None, ge=0)
    order_value_max: Decimal | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _min_not_above_max(self) -> "Conditions":
        low, high = self.order_value_min, self.order_value_max
        if low is not None and high is not None and low > high:
            raise ValueError("order_value_min is above order_value_max")
        return self

    def failed(self, order: OrderFacts) -> str | None:
        """The first condition `order` fails, or None when the strategy applies to it."""
        checks = (
            ("channels", self.channels is None or order.channel_id in self.channels),
            (
                "destination_countries",
                self.destination_countries is None or order.destination_country in self.destination_countries,
            ),
            ("service_levels", self.service_levels is None or order.service_level in self.service_levels),
            ("customer_tiers", self.customer_tiers is None or order.customer_tier in self.customer_tiers),
            ("order_value_min", self.order_value_min is None or order.order_value >= self.order_value_min),
            ("order_value_max", self.order_value_max is None or order.order_value <= self.order_value_max),
        )
        return next((name for name, ok in checks if not ok), None)


class Filters(_Strict):
    """What restricts the candidate nodes of a strategy."""

    node_types: list[NodeType] | None = NonEmpty
    ship_from_store: bool = True
    excluded_nodes: list[str] = []
    max_distance_km: float | None = Field(default=None, gt=0)
    require_capacity: bool = True
    must_meet_promise: bool = False


class Objective(_Strict):
    """Weights of the criteria a plan is scored on (lower is better); see `scoring.CRITERIA`."""

    shipping_cost: Weight = 1.0
    transit_days: Weight = 0.0
    sla_risk: Weight = 0.0
    split: Weight = 0.0
    node_priority: Weight = 0.0
    capacity_balance: Weight = 0.0
    store_stock_protection: Weight = 0.0
    late_risk: Weight = 0.0  # needs the profile set's reliability_version, as the next one does
    predicted_transit_days: Weight = 0.0


class Strategy(_Strict):
    name: str = Field(min_length=1, max_length=80)
    conditions: Conditions = Conditions()
    filters: Filters = Filters()
    objective: Objective = Objective()
    max_split: int = Field(default=1, ge=1, le=10)
    allow_line_split: bool = False
    partial_fulfilment: PartialFulfilment = "ship_available_backorder_rest"
    fallback: str | None = None

    @model_validator(mode="after")
    def _line_split_needs_room(self) -> "Strategy":
        if self.allow_line_split and self.max_split < 2:
            raise ValueError("allow_line_split needs max_split of 2 or more")
        return self


PREDICTED = ("late_risk", "predicted_transit_days")  # criteria only a reliability table can value


class ProfileSet(_Strict):
    version: int = Field(ge=1)
    strategies: list[Strategy] = Field(min_length=1)
    reliability_version: int | None = Field(
        default=None, ge=1
    )  # the 'routing_reliability' table it routes with

    @model_validator(mode="after")
    def _predictions_need_a_table(self) -> "ProfileSet":
        if self.reliability_version is None:
            for i, strategy in enumerate(self.strategies):
                weighed = next((c for c in PREDICTED if getattr(strategy.objective, c) > 0), None)
                if weighed:
                    raise ValueError(f"strategies.{i}.objective.{weighed}: needs reliability_version")
        return self

    @model_validator(mode="after")
    def _names_and_fallbacks(self) -> "ProfileSet":
        by_name: dict[str, Strategy] = {}
        for i, strategy in enumerate(self.strategies):
            if strategy.name in by_name:
                raise ValueError(f"strategies.{i}.name: duplicate strategy name '{strategy.name}'")
            by_name[strategy.name] = strategy
        for i, strategy in enumerate(self.strategies):
            if strategy.fallback is not None and strategy.fallback not in by_name:
                raise ValueError(f"strategies.{i}.fallback: no strategy is named '{strategy.fallback}'")
        for i, strategy in enumerate(self.strategies):
            seen, current = [strategy.name], strategy.fallback
            while current is not None:
                if current in seen:
                    cycle = " -> ".join([*seen, current])
                    raise ValueError(f"strategies.{i}.fallback: fallbacks form a cycle: {cycle}")
                seen.append(current)
                current = by_name[current].fallback
        return self

    def named(self, name: str) -> Strategy:
        return next(s for s in self.strategies if s.name == name)


class ProfileError(ValueError):
    """A profile set that cannot be used; `errors` holds one 'path: message' per problem."""

    def __init__(self, errors: list[str]):
        super().__init__("invalid routing profiles:\n" + "\n".join(errors))
        self.errors = errors


def load_profiles(text: str, fmt: Literal["json", "yaml"]) -> ProfileSet:
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise ProfileError([f"not valid {fmt}: {exc}"]) from exc
    return profiles_from_data(data)


def profiles_from_data(data: object) -> ProfileSet:
    try:
        return ProfileSet.model_validate(data)
    except ValidationError as exc:
        raise ProfileError([_describe(error) for error in exc.errors()]) from exc


def _describe(error: dict) -> str:
    path = ".".join(str(part) for part in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    return f"{path}: {message}" if path else message
