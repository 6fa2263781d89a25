"""The delay model trained on the OMS's own delivered shipments, stored by version, scoring the open ones,
and the findings of those likely to be late. One demo database for the module: 45 days of history (its
hidden lateness mechanism included) up to a Friday afternoon in the Christmas run."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from oms.domain.alerts import AlertKind, Severity
from oms.ml.delay_features import node_loads
from oms.ml.delay_rows import is_late
from oms.services.actor import Actor, Role
from oms.services.delay_history import SETTLE, delivered_records, load_context, open_records
from oms.services.delay_models_store import latest_model, list_models
from oms.services.delay_risk import score_open_shipments
from oms.services.delay_risk_findings import delay_findings
from oms.services.delay_risk_retraining import RETRAINER, retrain_when_stale
from oms.services.delay_risk_training import NotEnoughHistory, train_from_database
from oms.services.delay_risk_views import RiskGrouping, delay_risk_by
from oms.services.demo.bulk import copy_rows
from oms.services.demo.simulation import simulate
from oms.services.errors import Forbidden
from oms.services.uow import UnitOfWork
from tests.factories import OPS, VIEWER, forget_cached_reads

NOW = datetime(2026, 12, 4, 16, 30, tzinfo=UTC)
DAYS = 45
MANAGER = Actor(name="test-manager", role=Role.MANAGER)
OPEN = (
    "SELECT id FROM shipments WHERE delivered_at IS NULL "
    "AND status IN ('shipped','in_transit','out_for_delivery','exception')"
)


def load_demo_world(session_engine, days: int, now: datetime):
    """The demo's tables as `oms seed demo` loads them, without what these tests never read (catalogue
    embeddings, keys, sample documents: most of the seeding time)."""
    engine, truncate = session_engine
    with engine.begin() as conn:
        conn.execute(text(truncate))
        for table, (columns, rows) in simulate(days, now).items():
            copy_rows(conn, table, columns, rows)
    forget_cached_reads()
    return engine


# oms.services.overview_queries' rule: late after the end of the promised day in the node's zone.
SLA_LATE = """
    SELECT s.id FROM shipments s JOIN nodes n ON n.id = s.node_id
    WHERE s.delivered_at >= CAST(s.promised_delivery_date + 1 AS timestamp) AT TIME ZONE n.timezone
"""

LOAD = """
    SELECT o.id, count(p.id) FROM shipments o
    LEFT JOIN shipments p ON p.node_id = o.node_id AND p.released_at >= o.released_at - interval '24 hours'
                         AND p.released_at < o.released_at
    WHERE o.id = ANY(:ids) GROUP BY o.id
"""


@pytest.fixture(scope="module")
def demo(_session_engine):
    return load_demo_world(_session_engine, DAYS, NOW)


@pytest.fixture(scope="module")
def trained(demo):
    return train_from_database(UnitOfWork(demo), MANAGER, now=NOW)


def scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def test_history_records_are_late_exactly_when_the_sla_report_counts_them_late(demo):
    with demo.connect() as conn:
        records = delivered_records(conn, NOW - timedelta(days=DAYS + 1), NOW)
        late_by_sla = set(conn.execute(text(SLA_LATE)).scalars())
    assert len(records) == scalar(demo, "SELECT count(*) FROM shipments WHERE status = 'delivered'")
    late = {int(r.shipment_id) for r in records if is_late(r)}
    assert late == late_by_sla and 0.05 < len(late) / len(records) < 0.5


def test_the_node_load_of_an_open_shipment_counts_every_parcel_its_node_released_in_the_day_before(demo):
    with demo.connect() as conn:
        shipments = open_records(conn)
        loads = node_loads(shipments, load_context(conn, shipments))
        expected = dict(conn.execute(text(LOAD), {"ids": [int(r.shipment_id) for r in shipments]}).all())
    assert {int(r.shipment_id): load for r, load in zip(shipments, loads, strict=True)} == expected
    assert max(expected.values()) > 100  # the warehouses' day


def test_before_any_training_nothing_is_scored_and_nothing_is_found(demo):
    assert score_open_shipments(UnitOfWork(demo), OPS, now=NOW) == []
    assert delay_findings(UnitOfWork(demo), OPS, now=NOW) == []
    assert latest_model(UnitOfWork(demo)) is None
    assert scalar(demo, "SELECT count(*) FROM shipment_risks") == 0


def test_too_little_history_is_refused_with_the_reason_and_nothing_is_stored(demo):
    with pytest.raises(NotEnoughHistory, match="at least 200"):
        train_from_database(UnitOfWork(demo), MANAGER, since=NOW, now=NOW)
    with pytest.raises(NotEnoughHistory, match="days"):
        train_from_database(UnitOfWork(demo), MANAGER, since=NOW - timedelta(days=12), now=NOW)
    assert scalar(demo, "SELECT count(*) FROM ml_models") == 0
    assert scalar(demo, "SELECT count(*) FROM audit_events WHERE action = 'ml_model.trained'") == 0


def test_a_viewer_or_the_ops_desk_cannot_train(demo):
    for actor in (VIEWER, OPS):
        with pytest.raises(Forbidden):
            train_from_database(UnitOfWork(demo), actor, now=NOW)


def test_each_training_stores_the_next_version_with_its_windows_rows_and_metrics(demo, trained):
    second = train_from_database(UnitOfWork(demo), MANAGER, since=NOW - timedelta(days=30), now=NOW)
    assert (trained.version, second.version) == (1, 2)
    for info in (trained, second):
        # measured on the latest weeks by a fit on the weeks before, then refitted on them all
        assert info.train_from < info.validate_from < info.validate_to <= info.train_to <= NOW - SETTLE
        assert info.trained_by == "test-manager" and info.rows >= 200
        for metrics in (info.metrics, info.metrics["baseline"]):
            assert {"roc_auc", "brier", "precision_at_100", "late_rate"} <= metrics.keys()
    assert second.train_from >= NOW - timedelta(days=30) > trained.train_from
    listed = list_models(UnitOfWork(demo), VIEWER).models
    assert [(m.name, m.version) for m in listed] == [("delay", 2), ("delay", 1)]
    assert scalar(demo, "SELECT count(*) FROM audit_events WHERE action = 'ml_model.trained'") == 2
    info, model = latest_model(UnitOfWork(demo))
    assert info.version == 2 and model.metadata["rows"]["total"] == info.rows


def test_the_worker_retrains_the_model_once_it_is_a_week_old_and_only_then(demo, trained, monkeypatch):
    latest = "SELECT max(version) FROM ml_models"
    before = scalar(demo, latest)
    assert retrain_when_stale(demo, now=NOW + timedelta(days=6)) == 0
    monkeypatch.setenv("OMS_ANOMALY_DELAY_RETRAIN_DAYS", "0")  # never
    assert retrain_when_stale(demo, now=NOW + timedelta(days=8)) == 0
    monkeypatch.delenv("OMS_ANOMALY_DELAY_RETRAIN_DAYS")
    assert retrain_when_stale(demo, now=NOW + timedelta(days=8)) == 1
    assert retrain_when_stale(demo, now=NOW + timedelta(days=9)) == 0
    assert scalar(demo, latest) == before + 1
    assert scalar(demo, "SELECT trained_by FROM ml_models ORDER BY version DESC LIMIT 1") == RETRAINER.name


def test_the_model_trained_on_the_demo_ranks_lateness_better_than_the_carriers_late_rate(trained):
    # the records the database gives carry the hidden mechanism (regions, cut-offs, load), not just carriers
    assert trained.metrics["roc_auc"] > trained.metrics["baseline"]["roc_auc"]
    assert trained.metrics["precision_at_100"] > trained.metrics["baseline"]["precision_at_100"]


def test_scoring_keeps_one_risk_per_open_shipment_with_three_reasons(demo, trained):
    risks = score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    with demo.connect() as conn:
        open_ids = set(conn.execute(text(OPEN)).scalars())
        stored = conn.execute(
            text("SELECT shipment_id, p_late, model_version, contributions FROM shipment_risks")
        ).all()
    assert open_ids and {r.shipment_id for r in risks} == open_ids == {s.shipment_id for s in stored}
    latest = latest_model(UnitOfWork(demo))[0].version
    assert all(0 <= s.p_late <= 1 and s.model_version == latest and len(s.contributions) == 3 for s in stored)
    assert len({round(r.p_late, 3) for r in risks}) > 10  # risks differ from parcel to parcel


def test_a_shipment_delivered_since_the_last_scoring_loses_its_risk(demo, trained):
    score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    delivered = scalar(demo, OPEN + " ORDER BY id LIMIT 1")
    with demo.begin() as conn:
        conn.execute(text("UPDATE shipments SET status = 'delivered', delivered_at = :at WHERE id = :id"),
                     {"at": NOW, "id": delivered})  # fmt: skip
    score_open_shipments(UnitOfWork(demo), OPS, now=NOW + timedelta(minutes=15))
    assert scalar(demo, "SELECT count(*) FROM shipment_risks WHERE shipment_id = :id", id=delivered) == 0
    assert scalar(demo, "SELECT count(*) FROM shipment_risks") == scalar(
        demo, f"SELECT count(*) FROM ({OPEN}) o"
    )


def test_findings_are_the_shipments_at_or_over_the_threshold_riskiest_first(demo, trained, monkeypatch):
    risks = score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    ahead = sorted((r for r in risks if r.promised_delivery_at > NOW), key=lambda r: -r.p_late)
    threshold = ahead[len(ahead) // 10].p_late  # the riskiest tenth or so
    monkeypatch.setenv("OMS_ANOMALY_DELAY_THRESHOLD", str(threshold))
    monkeypatch.setenv("OMS_ANOMALY_DELAY_CRITICAL", str(ahead[0].p_late))
    findings = delay_findings(UnitOfWork(demo), OPS, now=NOW)
    assert len(findings) == sum(r.p_late >= threshold for r in ahead) >= 3
    assert [f.score for f in findings] == sorted((f.score for f in findings), reverse=True)
    top = findings[0]
    assert top.kind == AlertKind.LATE_DELIVERY_RISK and top.severity == Severity.CRITICAL
    assert top.dedupe_key == f"late_delivery_risk:shipment:{top.subject.shipment_id}"
    assert top.message.startswith(f"Shipment {top.subject.shipment_id} ({top.subject.carrier} from ")
    assert f"is {top.score:.0%} likely to arrive after " in top.message
    assert findings[-1].severity == Severity.WARNING and len(top.contributions) == 3


def test_a_shipment_past_its_promise_is_late_already_and_no_risk_finding(demo, trained, monkeypatch):
    monkeypatch.setenv("OMS_ANOMALY_DELAY_THRESHOLD", "0")
    risks = score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    found = {f.subject.shipment_id for f in delay_findings(UnitOfWork(demo), OPS, now=NOW)}
    past = {r.shipment_id for r in risks if r.promised_delivery_at <= NOW}
    assert past and not past & found and found | past == {r.shipment_id for r in risks}


def test_delay_risk_per_node_and_per_carrier_covers_every_scored_shipment(demo, trained):
    score_open_shipments(UnitOfWork(demo), OPS, now=NOW)
    total = scalar(demo, "SELECT count(*) FROM shipment_risks")
    for by in RiskGrouping:
        view = delay_risk_by(UnitOfWork(demo), VIEWER, by)
        assert sum(g.shipments for g in view.groups) == total and view.model_version is not None
        assert [g.mean_p_late for g in view.groups] == sorted(
            (g.mean_p_late for g in view.groups), reverse=True
        )
