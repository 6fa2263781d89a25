"""Thresholds of the anomaly checks (stockout forecast, stuck orders, cancellation and return rates,
channel volume), from OMS_ANOMALY_* environment variables, e.g. OMS_ANOMALY_LEAD_TIME_DAYS=10 or
OMS_ANOMALY_STUCK_HOURS='{"on_hold": 24}'."""

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from oms.domain.anomaly_rules import RateTest

# How long an order may sit in each state before it counts as stuck. A received order is normally
# allocated within seconds, a released one shipped within two working days.
DEFAULT_STUCK_HOURS = {
    "received": 1.0,
    "on_hold": 48.0,
    "allocated": 24.0,
    "partially_allocated": 72.0,
    "backordered": 168.0,
    "released": 72.0,
    "partially_shipped": 120.0,
}


class AnomalySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMS_ANOMALY_", extra="ignore")

    # Stockout forecast
    history_weeks: int = Field(default=8, ge=1, le=52, description="Demand history, in whole weeks")
    horizon_days: int = Field(default=28, ge=1, le=365, description="How far ATP is projected")
    lead_time_days: int = Field(default=7, ge=0, description="Replenishment when no inbound is expected")
    # Stuck orders
    stuck_hours: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_STUCK_HOURS))
    # Cancellation and return rates
    rate_recent_days: int = Field(default=14, ge=1)
    rate_baseline_days: int = Field(default=90, ge=1, description="Before the recent window")
    rate_min_count: int = Field(default=5, ge=1)
    rate_min_ratio: float = Field(default=2.0, ge=1)
    rate_alpha: float = Field(default=0.001, gt=0, lt=1)
    # Channel volume
    volume_hours: list[int] = Field(default=[3, 24], min_length=1, description="The recent windows compared")
    volume_weeks: int = Field(
        default=4, ge=1, le=12, description="Previous weeks' same hours it is compared to"
    )
    volume_min_expected: float = Field(default=10.0, gt=0)
    volume_alpha: float = Field(default=0.001, gt=0, lt=1)

    @field_validator("stuck_hours")
    @classmethod
    def _over_the_defaults(cls, hours: dict[str, float]) -> dict[str, float]:
        """A state set in the environment changes that state's limit; the others keep theirs."""
        return {**DEFAULT_STUCK_HOURS, **hours}

    def rate_test(self) -> RateTest:
        return RateTest(self.rate_min_count, self.rate_min_ratio, self.rate_alpha)
