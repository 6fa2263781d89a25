"""The managers' anomalies page: the latest digest, the open anomaly alerts ranked with their reasons and
links to act on them, delay risk by node and carrier, the stockout timeline; a page with no data says
so, and roles without alerts:read do not see it."""

from sqlalchemy import text

from agents.anomaly import run_scan
from oms.services.actor import Role
from oms.services.uow import UnitOfWork
from tests.anomaly_findings import SetConditions, carrier_risk, checks, stockout
from tests.factories import ADMIN
from tests.returns_factories import shipped_order
from tests.web.conftest import as_role, csrf_of


def _scored_shipment_sold_yesterday(engine) -> int:
    """A shipment in transit from WH-LYON with a delay risk, its order (the stock's only demand) dated
    yesterday so that the forecast counts it."""
    order_id = shipped_order(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE orders SET created_at = created_at - interval '1 day'"))
        shipment = conn.execute(
            text("SELECT id FROM shipments WHERE order_id = :id"), {"id": order_id}
        ).scalar()
        conn.execute(text("INSERT INTO shipment_risks (shipment_id, p_late, model_version, contributions)"
                          " VALUES (:id, 0.72, 1, '[]')"), {"id": shipment})  # fmt: skip
    return shipment


def test_a_manager_sees_the_digest_ranked_alerts_risk_and_stockouts(web, engine):
    _scored_shipment_sold_yesterday(engine)
    stock = SetConditions(stockout("TSH-BLU-L", score=0.4), stockout("TSH-BLU-M", score=0.9))
    run_scan(UnitOfWork(engine), ADMIN, checks=checks(stock, SetConditions(carrier_risk("DHL", 0.8))))
    as_role(web, engine, Role.MANAGER)
    page = web.get("/anomalies")
    assert page.status_code == 200 and 'href="/anomalies"' in page.text
    assert "3 new alert(s)" in page.text and "from the template" in page.text
    with engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT dedupe_key, id FROM alerts")).all())
    order = [f'data-alert="{ids[key]}"' for key in ("late_delivery_risk:carrier:DHL",
                                                    "stockout_predicted:sku_node:TSH-BLU-M@WH-LYON",
                                                    "stockout_predicted:sku_node:TSH-BLU-L@WH-LYON")]  # fmt: skip
    assert page.text.index(order[0]) < page.text.index(order[1]) < page.text.index(order[2])
    assert f'href="/alerts/{ids["late_delivery_risk:carrier:DHL"]}"' in page.text
    assert "carrier region DHL/south (+0.30)" in page.text
    assert 'id="chart-risk-node"' in page.text and 'data-risk-node="WH-LYON"' in page.text
    assert 'data-risk-carrier="colissimo"' in page.text and "72 %" in page.text
    assert 'id="chart-stockouts"' in page.text and 'data-stockout="TSH-BLU-L@WH-LYON"' in page.text


def test_a_page_without_data_says_so(web, engine):
    as_role(web, engine, Role.VIEWER)
    page = web.get("/anomalies").text
    for empty in ("no-scan", "no-anomaly-alerts", "no-risk-node", "no-risk-carrier", "no-stockouts"):
        assert f'data-testid="{empty}"' in page


def test_a_channel_key_has_no_anomalies_page(web, engine):
    as_role(web, engine, Role.CHANNEL, "web")
    assert web.get("/anomalies").status_code == 403
    assert 'href="/anomalies"' not in web.get("/orders").text


def test_a_manager_scans_now_and_a_viewer_may_not(web, engine):
    as_role(web, engine, Role.MANAGER)
    token = csrf_of(web.get("/anomalies").text)
    answer = web.post("/anomalies/scan", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/anomalies"
    assert 'data-testid="digest"' in web.get("/anomalies").text
    as_role(web, engine, Role.VIEWER)
    page = web.get("/anomalies").text
    assert 'action="/anomalies/scan"' not in page
    assert web.post("/anomalies/scan", data={"csrf_token": csrf_of(page)}).status_code == 403
    with engine.connect() as conn:
        actors = conn.execute(text("SELECT actor FROM anomaly_scans")).scalars().all()
    assert len(actors) == 1 and actors[0].startswith("test-manager")  # the scan of the person who asked
