"""Running the anomaly agent as the system does: with the configured chat model (if any) and the system
actor, from the command line or the worker's schedule."""

from agents.anomaly import ScanReport, run_scan
from agents.model_text import writer_model
from oms.services.anomaly_scan import ANOMALY_AGENT
from oms.services.uow import UnitOfWork

DIGEST = "anomaly digest"


def scheduled_scan(engine) -> int:
    """The worker's job: one scan as the anomaly agent; returns the alerts raised and resolved."""
    report: ScanReport = run_scan(UnitOfWork(engine), ANOMALY_AGENT, writer_model(DIGEST))
    return report.scan.raised + report.scan.resolved
