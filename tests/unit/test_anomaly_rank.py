"""How the anomaly agent orders and explains findings before raising them (no database)."""

from agents.anomaly_rank import explain, rank
from oms.domain.alerts import Severity
from oms.services.anomaly_models import Contribution
from tests.anomaly_findings import carrier_risk, stockout


def test_severity_ranks_before_score_and_each_kind_is_cut_at_its_top():
    findings = [
        stockout("TSH-BLU-L", score=0.99, severity=Severity.INFO),
        stockout("TSH-BLU-M", score=0.2),
        stockout("JKT-RED-M", score=0.3),
        carrier_risk("UPS", 0.6, Severity.WARNING),
    ]
    ranked = rank(findings, top_per_kind=2)
    assert [(f.kind.value, f.subject.sku or f.subject.carrier) for f in ranked] == [
        ("late_delivery_risk", "UPS"),
        ("stockout_predicted", "JKT-RED-M"),
        ("stockout_predicted", "TSH-BLU-M"),
    ]


def test_one_finding_per_condition_the_most_urgent():
    ranked = rank([carrier_risk("DHL", 0.9, Severity.WARNING), carrier_risk("DHL", 0.6)], top_per_kind=5)
    assert [(f.severity, f.score) for f in ranked] == [(Severity.CRITICAL, 0.6)]


def test_the_explanation_names_the_strongest_reasons_towards_the_anomaly_only():
    finding = carrier_risk("DHL", 0.8).model_copy(
        update={
            "contributions": [
                Contribution(feature="weekday", value="Mon", effect=-0.4),
                Contribution(feature="a", value="1", effect=0.004),
                Contribution(feature="b", value="2", effect=0.2),
                Contribution(feature="c", value="3", effect=0.1),
                Contribution(feature="d", value="4", effect=0.05),
            ]
        }
    )
    assert explain(finding) == "Score 0.80, mostly: b 2 (+0.20), c 3 (+0.10), d 4 (+0.05)."
    assert "mostly: b 2 (+0.20)." in explain(
        finding.model_copy(update={"contributions": finding.contributions[:3]})
    )
    bare = finding.model_copy(
        update={"contributions": [Contribution(feature="weekday", value="Mon", effect=-0.4)]}
    )
    assert explain(bare) == "Score 0.80; no single reason stands out."
