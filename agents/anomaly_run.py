"""Running the anomaly agent as the system does: with the configured chat model (if any) and the system
actor, from the command line or the worker's schedule."""

import logging

from agents.anomaly import ScanReport, run_scan
from agents.llm import LlmSettingsError, chat_model
from oms.services.anomaly_scan import ANOMALY_AGENT
from oms.services.uow import UnitOfWork
from oms.settings import Settings

log = logging.getLogger(__name__)


def digest_model():
    """The configured chat model, or None (the digest comes from the template): settings that are
    incomplete are logged, not fatal, as a scan's alerts matter more than its prose."""
    try:
        return chat_model(Settings())
    except LlmSettingsError as error:
        log.warning("anomaly digest from the template: %s", error)
        return None


def scheduled_scan(engine) -> int:
    """The worker's job: one scan as the anomaly agent; returns the alerts raised and resolved."""
    report: ScanReport = run_scan(UnitOfWork(engine), ANOMALY_AGENT, digest_model())
    return report.scan.raised + report.scan.resolved
