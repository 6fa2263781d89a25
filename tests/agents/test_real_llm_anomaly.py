"""The anomaly digest by a real model, when one is configured (OMS_LLM_BASE_URL and OMS_LLM_MODEL): it is
written by the model, short, and names the most urgent alert. Skipped here: there is no endpoint in CI."""

import os
from datetime import UTC, datetime

import pytest

from agents.anomaly import run_scan
from agents.llm import chat_model
from oms.services.uow import UnitOfWork
from oms.settings import Settings
from tests.anomaly_findings import SetConditions, carrier_risk, checks, stockout
from tests.factories import ADMIN, add_network

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(not os.environ.get("OMS_LLM_BASE_URL"), reason="no LLM endpoint (OMS_LLM_BASE_URL)"),
]


def test_a_real_model_writes_a_short_digest_naming_the_most_urgent_alert(engine):
    add_network(engine)
    conditions = checks(
        SetConditions(stockout("TSH-BLU-M", score=0.6)), SetConditions(carrier_risk("DHL", 0.9))
    )
    report = run_scan(UnitOfWork(engine), ADMIN, chat_model(Settings()), datetime.now(UTC), checks=conditions)
    assert report.scan.digest_by == "llm"
    assert "DHL" in report.scan.digest and len(report.scan.digest.splitlines()) <= 12
