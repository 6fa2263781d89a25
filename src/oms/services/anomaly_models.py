"""What anomaly detection finds before it becomes an alert: a condition with a score to rank it by and
the reasons behind it. Every check (delay risk, stockout forecast, stuck orders, cancellation and return
rates, channel volume) returns findings; the anomaly agent ranks them and raises them as alerts."""

from pydantic import BaseModel, Field

from oms.domain.alerts import AlertKind, Severity
from oms.services.alert_models import AlertSubject


class Contribution(BaseModel):
    """One reason a finding scored as it did, e.g. the delay model's feature `carrier_region` pushing
    P(late) up by 0.12."""

    feature: str
    value: str = Field(description="The feature's value for this subject, as shown to a person")
    effect: float = Field(description="How much it moved the score (positive: towards the anomaly)")


class Finding(BaseModel):
    kind: AlertKind
    severity: Severity
    dedupe_key: str = Field(
        description="oms.domain.alerts.dedupe_key(kind, subject, id): one alert per condition"
    )
    subject: AlertSubject
    message: str = Field(description="One sentence a manager understands without the details")
    score: float = Field(ge=0, description="Ranks findings across kinds: 0..1, higher is more urgent")
    contributions: list[Contribution] = Field(
        default_factory=list, description="Top reasons, strongest first"
    )
    details: dict = Field(default_factory=dict, description="The figures behind it (JSON)")
