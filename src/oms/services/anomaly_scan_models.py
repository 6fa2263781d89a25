"""An anomaly scan as callers see it, and what the agent hands over to record one."""

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from oms.domain.alerts import AlertKind
from oms.services.anomaly_models import Finding


class CheckRun(BaseModel):
    """What the checks found: findings per check, and the checks that failed (their kinds stay as they
    were: a check that could not look clears nothing)."""

    findings: dict[str, list[Finding]] = Field(default_factory=dict)
    failed: dict[str, str] = Field(default_factory=dict, description="Check name -> what went wrong")
    covered: list[AlertKind] = Field(default_factory=list, description="The kinds of the checks that ran")


class ScanRecord(BaseModel):
    """A scan to record: the ranked findings to raise, every condition found (raised or not: one ranked
    below the cut stays open rather than flapping), the kinds looked at, and the figures of the run."""

    started_at: dt.datetime
    findings: list[Finding]
    found: list[str] = Field(description="Dedupe keys of every condition the checks found")
    covered: list[AlertKind]
    summary: dict = Field(default_factory=dict)


class ScanPublic(BaseModel):
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    actor: str
    raised: int = Field(description="Alerts raised by this scan (conditions already open are not counted)")
    resolved: int = Field(description="Open alerts this scan resolved because their condition cleared")
    summary: dict
    digest: str | None
    digest_by: Literal["llm", "template"] | None
