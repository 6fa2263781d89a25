"""Findings for the anomaly agent's tests: checks whose conditions the test sets, about the small test
network's nodes and SKUs (tests.factories.add_network), so what a scan raises and resolves is known."""

from oms.domain.alerts import AlertKind, Severity, dedupe_key
from oms.services.alert_models import AlertSubject
from oms.services.anomaly_models import Contribution, Finding
from oms.services.anomaly_scan import Check


def stockout(sku: str, node: str = "WH-LYON", score: float = 0.5, severity=Severity.WARNING) -> Finding:
    return Finding(kind=AlertKind.STOCKOUT_PREDICTED, severity=severity,
                   dedupe_key=dedupe_key(AlertKind.STOCKOUT_PREDICTED, "sku_node", f"{sku}@{node}"),
                   subject=AlertSubject(node_id=node, sku=sku), message=f"{sku} runs out at {node} in 2 days",
                   score=score, contributions=[Contribution(feature="days_of_cover", value="2.0", effect=score),
                                               Contribution(feature="inbound_units", value="0", effect=0.1)],
                   details={"days_of_cover": 2.0})  # fmt: skip


def carrier_risk(carrier: str, score: float, severity=Severity.CRITICAL) -> Finding:
    return Finding(kind=AlertKind.LATE_DELIVERY_RISK, severity=severity,
                   dedupe_key=dedupe_key(AlertKind.LATE_DELIVERY_RISK, "carrier", carrier),
                   subject=AlertSubject(carrier=carrier), message=f"{carrier} parcels will be late",
                   score=score, contributions=[Contribution(feature="carrier_region", value=f"{carrier}/south",
                                                            effect=0.3),
                                               Contribution(feature="node_load", value="310", effect=0.12),
                                               Contribution(feature="weekday", value="Mon", effect=-0.05)])  # fmt: skip


class SetConditions:
    """A check finding exactly what the test says holds now; `fail` makes it raise."""

    def __init__(self, *findings: Finding):
        self.findings = list(findings)
        self.fail = False

    def __call__(self, uow, actor, now=None) -> list[Finding]:
        if self.fail:
            raise RuntimeError("the forecast service is down")
        return list(self.findings)


def checks(stock: SetConditions, delay: SetConditions) -> dict[str, Check]:
    return {"stockout": Check(stock, (AlertKind.STOCKOUT_PREDICTED,)),
            "delay": Check(delay, (AlertKind.LATE_DELIVERY_RISK,))}  # fmt: skip
